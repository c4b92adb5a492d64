export * from './nats-server';
export * from './softhsm-token';
export * from './postgres';
export * from './scan';
export * from './coffer-stack';
export * from './host-env';
export * from './tls-fixture';
export * from './nats-cluster';
