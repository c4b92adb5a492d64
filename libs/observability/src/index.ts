export * from './app-metrics';
export * from './readiness';
export * from './probes';
export * from './ops-server';
export * from './serve-ops';
export * from './request-metrics';
