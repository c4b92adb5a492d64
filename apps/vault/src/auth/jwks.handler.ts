import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, EmptyRequest, JwksReply } from '@coffer/contracts';
import { Anonymous } from './access.decorator';
import { SigningKeys } from './signing-keys';

/**
 * The token-signing public key as a JWK set, so that anyone holding a Coffer token can verify it
 * (the gateway's OpenID jwks_uri). Anonymous because it is public by nature; it reveals nothing a
 * token's holder could not learn, is answered from memory (no HSM call per request), and the gate
 * still throttles and audits it like every anonymous request.
 */
@Controller()
export class JwksHandler {
  constructor(private readonly keys: SigningKeys) {}

  @MessagePattern(AuthSubjects.jwks)
  @Anonymous('Coffer/auth/jwks')
  handle(@Payload() _req: EmptyRequest): Promise<JwksReply> {
    return this.keys.publicJwks();
  }
}
