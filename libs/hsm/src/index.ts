export * from './hsm.port';
export * from './hsm.errors';
export * from './session-pool';
export * from './pkcs11-hsm';
export * from './hsm-keys.port';
export * from './pkcs11-keys';
export { BACKUP_WRAP_KEY_LABEL, keyLabel } from './key-templates';
