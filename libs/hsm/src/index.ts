export * from './hsm.port';
export * from './hsm.errors';
export * from './session-pool';
export * from './pkcs11-hsm';
