export * from './json-wire.serializer';
export * from './json-wire.deserializer';
export * from './wire-exception.filter';
export * from './wire-validation.pipe';
export * from './nats-server-options';
export * from './request-gate';
export * from './coffer-nats.server';
export * from './coffer-microservice';
