import { MicroserviceOptions } from '@nestjs/microservices';
import { CofferNatsServer } from './coffer-nats.server';
import { JsonWireDeserializer } from './json-wire.deserializer';
import { JsonWireSerializer } from './json-wire.serializer';

/** NestJS NATS transport speaking Coffer's plain-JSON wire protocol. */
export function natsMicroserviceOptions(url: string, name: string, queue: string): MicroserviceOptions {
  return {
    strategy: new CofferNatsServer({
      servers: [url],
      name,
      queue,
      noAsyncTraces: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      serializer: new JsonWireSerializer(),
      deserializer: new JsonWireDeserializer(),
    } as ConstructorParameters<typeof CofferNatsServer>[0]),
  };
}
