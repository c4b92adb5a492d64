import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { AuthSubjects, CofferError, TokenReply, TokenRequest } from '@coffer/contracts';
import { requestIdOf } from '../request/request-context.decorators';
import { Anonymous } from './access.decorator';
import { credentialFailures, tokensIssued } from './auth-metrics';
import { CredentialExchange } from './credential-exchange';
import { TOKEN_ACTION } from './request-throttle';

@Controller()
export class TokenHandler {
  constructor(private readonly exchange: CredentialExchange) {}

  @MessagePattern(AuthSubjects.token)
  @Anonymous(TOKEN_ACTION)
  async handle(@Payload() req: TokenRequest, @Ctx() ctx: NatsContext): Promise<TokenReply> {
    try {
      const reply = await this.exchange.exchange(req, requestIdOf(ctx));
      tokensIssued.inc();
      return reply;
    } catch (err) {
      const reason = err instanceof CofferError ? String(err.innerCode ?? err.code) : 'InternalError';
      credentialFailures.labels(req.clientSecret !== undefined ? 'secret' : 'key', reason).inc();
      throw err;
    }
  }
}
