import { CofferConfig, natsConnectOptions } from '@coffer/config';
import { MicroserviceOptions } from '@nestjs/microservices';
import { CofferNatsServer } from './coffer-nats.server';
import { JsonWireDeserializer } from './json-wire.deserializer';
import { JsonWireSerializer } from './json-wire.serializer';

/**
 * NestJS NATS transport speaking Coffer's plain-JSON wire protocol, connected as configured
 * (natsConnectOptions: credentials, TLS, reconnect forever).
 */
export function natsMicroserviceOptions(config: Pick<CofferConfig, 'natsUrl' | 'nats'>, name: string, queue: string): MicroserviceOptions {
  return {
    strategy: new CofferNatsServer({
      ...natsConnectOptions(config, name),
      queue,
      serializer: new JsonWireSerializer(),
      deserializer: new JsonWireDeserializer(),
    } as ConstructorParameters<typeof CofferNatsServer>[0]),
  };
}
