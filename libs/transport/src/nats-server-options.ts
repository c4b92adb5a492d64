import { CofferConfig, natsConnectOptions } from '@coffer/config';
import { RequestLimits } from '@coffer/contracts';
import { MicroserviceOptions } from '@nestjs/microservices';
import { CofferNatsServer } from './coffer-nats.server';
import { JsonWireDeserializer } from './json-wire.deserializer';
import { defaultJsonLimits, JsonLimits } from './json-shape.scanner';
import { JsonWireSerializer } from './json-wire.serializer';

/**
 * The body limits of a service from its configuration. `extraBytes` is for internal services whose
 * requests wrap a client's (the crypto-worker's carry a public request's values plus a small envelope).
 */
export function jsonLimitsOf(request: CofferConfig['request'] | undefined, extraBytes = 0): JsonLimits {
  if (!request) return defaultJsonLimits();
  return {
    maxBytes: request.maxBytes + extraBytes,
    maxDepth: request.maxDepth,
    maxKeys: request.maxKeys,
    maxKeysPerObject: RequestLimits.maxKeysPerObject,
    maxArrayItems: RequestLimits.maxArrayItems,
  };
}

/**
 * NestJS NATS transport speaking Coffer's plain-JSON wire protocol, connected as configured
 * (natsConnectOptions: credentials, TLS, reconnect forever), refusing bodies over `limits`.
 */
export function natsMicroserviceOptions(
  config: Pick<CofferConfig, 'natsUrl' | 'nats'> & Partial<Pick<CofferConfig, 'request'>>, name: string, queue: string, limits = jsonLimitsOf(config.request),
): MicroserviceOptions {
  return {
    strategy: new CofferNatsServer({
      ...natsConnectOptions(config, name),
      queue,
      serializer: new JsonWireSerializer(),
      deserializer: new JsonWireDeserializer(limits),
    } as ConstructorParameters<typeof CofferNatsServer>[0]),
  };
}
