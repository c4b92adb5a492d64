import { Controller, Injectable } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateNameRequest, CertificateOperation, DataActions, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { certificateScope, CertificateWriter } from './certificate.kind';
import { finishedOperation } from './certificate.mapper';

/**
 * Cancels (`pending.cancel`) or deletes (`pending.delete`) the pending operation; its HSM key is destroyed once that is recorded.
 * @Injectable so the constructor's parameter types are emitted here, where the subclasses' injection finds them.
 */
@Injectable()
abstract class EndPendingOperation {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: CertificateWriter, private readonly crypto: KeyCryptoClient) {}

  protected async end(req: CertificateNameRequest, vaultName: string, request: RequestKey, deleted: boolean): Promise<CertificateOperation> {
    await this.vaults.require(vaultName);
    let issuerName = '';
    let csr = '';
    const outcome = await this.writer.run(vaultName, req.name, request, false, (now, state) => {
      issuerName = state.pending?.issuerName ?? '';
      csr = state.pending?.csr ?? '';
      return { type: 'CancelCertificateOperation', name: req.name, deleted, now };
    });
    await this.crypto.destroy(outcome.event.data.destroyedHsmKeys);
    return finishedOperation(vaultName, req.name, issuerName, csr, request.id, 'cancelled');
  }
}

@Controller()
export class CancelPendingOperationHandler extends EndPendingOperation {
  @MessagePattern(Patterns.certificate('pending.cancel'))
  @Access(DataActions.certificatesUpdate, certificateScope)
  handle(@Payload() req: CertificateNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificateOperation> {
    return this.end(req, vaultName, request, false);
  }
}

@Controller()
export class DeletePendingOperationHandler extends EndPendingOperation {
  @MessagePattern(Patterns.certificate('pending.delete'))
  @Access(DataActions.certificatesDelete, certificateScope)
  handle(@Payload() req: CertificateNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificateOperation> {
    return this.end(req, vaultName, request, true);
  }
}
