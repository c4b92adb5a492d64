import { Injectable } from '@nestjs/common';
import { conflict, InnerErrorCodes } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';

/**
 * A certificate owns the key and the secret of its name (its kid and sid). A name already used by a
 * plain key or secret cannot become a certificate (Azure refuses it the same way).
 */
@Injectable()
export class CertificateNames {
  constructor(private readonly readModel: ReadModel) {}

  async assertFree(vault: string, name: string): Promise<void> {
    const [key, secret] = await Promise.all([this.readModel.getKey(vault, name), this.readModel.getSecret(vault, name)]);
    for (const [kind, row] of [['key', key], ['secret', secret]] as const) {
      if (row && !row.managedBy) {
        throw conflict(`A ${kind} named '${name}' exists: a certificate needs its name for its own ${kind}.`, InnerErrorCodes.ObjectAlreadyExists);
      }
    }
  }
}
