import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AddCredentialRequest, AuthSubjects, badParameter, CredentialCreated, DataActions, StoredCredential } from '@coffer/contracts';
import { newCredentialId } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { generateClientSecret, secretHint } from '../auth/client-secret';
import { SecretVerifier } from '../auth/secret-verifier';
import { normalizeEd25519PublicKey } from '../auth/ed25519-credential';
import { allScope } from '../auth/scopes';
import { Clock } from '../infrastructure/clock';
import { Idempotency } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { PrincipalWriter } from './principal-writer';

/**
 * Adds a credential. A client secret is generated here, stored only as its keyed hash (HSM), and
 * returned this once (a retried request gets the credential id without it).
 */
@Controller()
export class AddCredentialHandler {
  constructor(private readonly principals: PrincipalWriter, private readonly clock: Clock, private readonly secrets: SecretVerifier) {}

  @MessagePattern(AuthSubjects.principal('credential.add'))
  @Access(DataActions.principalsWrite, allScope)
  async handle(@Payload() req: AddCredentialRequest, @Idempotency() request: RequestKey): Promise<CredentialCreated> {
    const now = this.clock.now();
    if (req.expires && Date.parse(req.expires) <= now.getTime()) throw badParameter('expires must be in the future.');
    const base = { id: newCredentialId(), created: now.toISOString(), ...(req.expires && { expires: new Date(req.expires).toISOString() }) };
    let credential: StoredCredential;
    let clientSecret: string | undefined;
    if (req.kind === 'secret') {
      if (req.publicKey !== undefined) throw badParameter('publicKey is only for ed25519 credentials.');
      clientSecret = generateClientSecret();
      credential = { ...base, kind: 'secret', hash: await this.secrets.keyedHash(req.id, clientSecret), hint: secretHint(clientSecret) };
    } else {
      const publicKey = normalizeEd25519PublicKey(req.publicKey ?? '');
      if (!publicKey) throw badParameter('publicKey must be an Ed25519 public key: a NATS user nkey (U…) or base64 of 32 bytes.');
      credential = { ...base, kind: 'ed25519', publicKey };
    }
    const outcome = await this.principals.run(req.id, request, { type: 'AddCredential', principalId: req.id, credential });
    return { principalId: req.id, credentialId: outcome.event.data.credential.id, ...(!outcome.replayed && clientSecret && { clientSecret }) };
  }
}
