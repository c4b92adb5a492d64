import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { AuthSubjects, TokenReply, TokenRequest } from '@coffer/contracts';
import { requestIdOf } from '../request/request-context.decorators';
import { Anonymous } from './access.decorator';
import { CredentialExchange } from './credential-exchange';
import { TOKEN_ACTION } from './request-throttle';

@Controller()
export class TokenHandler {
  constructor(private readonly exchange: CredentialExchange) {}

  @MessagePattern(AuthSubjects.token)
  @Anonymous(TOKEN_ACTION)
  handle(@Payload() req: TokenRequest, @Ctx() ctx: NatsContext): Promise<TokenReply> {
    return this.exchange.exchange(req, requestIdOf(ctx));
  }
}
