import { Injectable } from '@nestjs/common';
import { BACKUP_KEK_ID, badParameter, InnerErrorCodes } from '@coffer/contracts';
import { BackupKind, openBlob, parseSealedBlob, sealBlob } from './backup.codec';
import { CryptoWorkerClient, CryptoWorkerError } from '../crypto/crypto-worker.client';

/**
 * Seals and opens backup blobs with a one-time data key from the HSM's backup KEK: only a Coffer
 * holding that KEK can open them. The plaintext data key is erased as soon as it has been used.
 */
@Injectable()
export class BackupSealer {
  constructor(private readonly crypto: CryptoWorkerClient) {}

  async seal(kind: BackupKind, payload: unknown): Promise<string> {
    const { plaintext, wrapped } = await this.crypto.generateDataKey(BACKUP_KEK_ID);
    try {
      return sealBlob(kind, payload, plaintext, wrapped);
    } finally {
      plaintext.fill(0);
    }
  }

  async open<T>(kind: BackupKind, blob: string, isValid: (payload: unknown) => payload is T): Promise<T> {
    const sealed = parseSealedBlob(kind, blob);
    const key = await this.crypto.unwrapDataKey(BACKUP_KEK_ID, sealed.wrapped).catch((err: unknown) => {
      throw err instanceof CryptoWorkerError ? badParameter(`The ${kind} backup cannot be opened by this Coffer.`, InnerErrorCodes.InvalidBackup) : err;
    });
    try {
      return openBlob(kind, sealed, key, isValid);
    } finally {
      key.fill(0);
    }
  }
}
