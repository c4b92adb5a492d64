import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import {
  badParameter, BatchReply, CofferError, ENCRYPTION_ALGORITHMS, EncryptionAlgorithm, ErrorCodes, InternalSubjects, SIGNATURE_ALGORITHMS,
  SignatureAlgorithm,
} from '@coffer/contracts';
import { EncryptResult, HSM_KEYS, HsmError, HsmKeysPort } from '@coffer/hsm';
import { hsmErrorToCoffer } from '../hsm-error.mapper';
import { encryptReply } from './cipher-reply';
import { BatchDto, bytes } from './key-requests.dto';

/**
 * Many signatures (items are digests) or encryptions with one key version. A problem with the key
 * or the algorithm fails the request; a problem with one item fails that item only.
 */
@Controller()
export class BatchHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.batch'))
  async handle(@Payload() { hsmKeyId, op, alg, items }: BatchDto, @Ctx() context: NatsContext): Promise<BatchReply> {
    const subject = context.getSubject();
    const itemError = (err: HsmError) => {
      const mapped = hsmErrorToCoffer(err, subject);
      const { code, message } = mapped instanceof CofferError ? mapped.toWire() : { code: ErrorCodes.InternalError, message: 'internal error' };
      return { error: { code, message } };
    };
    if (op === 'sign') {
      if (!(SIGNATURE_ALGORITHMS as readonly string[]).includes(alg)) throw badParameter(`op sign needs a signature algorithm (${SIGNATURE_ALGORITHMS.join(', ')})`);
      if (items.some((item) => item.aad !== undefined)) throw badParameter('aad is not accepted when signing');
      const results = await this.keys.signBatch(hsmKeyId, alg as SignatureAlgorithm, items.map((item) => bytes(item.value)));
      return { items: results.map((r) => (r instanceof HsmError ? itemError(r) : { value: r.toString('base64') })) };
    }
    if (!(ENCRYPTION_ALGORITHMS as readonly string[]).includes(alg)) throw badParameter(`op encrypt needs an encryption algorithm (${ENCRYPTION_ALGORITHMS.join(', ')})`);
    const results = await this.keys.encryptBatch(hsmKeyId, alg as EncryptionAlgorithm, items.map((item) => ({ value: bytes(item.value), aad: bytes(item.aad) })));
    return { items: results.map((r) => (r instanceof HsmError ? itemError(r) : encryptReply(r as EncryptResult))) };
  }
}
