import { ConfigError, loadConfig } from './coffer-config';

describe('operations endpoint settings', () => {
  it('bind to loopback on one default port per app, metrics on', () => {
    expect(loadConfig({ COFFER_HOME: '/tmp/coffer-x' }).ops).toEqual({
      host: '127.0.0.1', metrics: true, ports: { vault: 9464, projector: 9465, audit: 9466, 'crypto-worker': 9467, scheduler: 9468, gateway: 9469 },
    });
  });

  it('take a host, ports (0: none) and COFFER_METRICS=0', () => {
    const env = { COFFER_HOME: '/tmp/coffer-x', COFFER_OPS_HOST: '0.0.0.0', COFFER_METRICS: '0', COFFER_OPS_PORT_CRYPTO_WORKER: '0', COFFER_OPS_PORT_VAULT: '19464' };
    expect(loadConfig(env).ops).toMatchObject({ host: '0.0.0.0', metrics: false, ports: { vault: 19464, 'crypto-worker': 0, gateway: 9469 } });
  });

  it('refuse what is not a port or a switch', () => {
    expect(() => loadConfig({ COFFER_HOME: '/tmp/coffer-x', COFFER_OPS_PORT_AUDIT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ COFFER_HOME: '/tmp/coffer-x', COFFER_METRICS: 'maybe' })).toThrow(/COFFER_METRICS/);
  });
});
