export * from './new-event';
export * from './vault/vault.state';
export * from './vault/vault.commands';
export * from './vault/vault.decider';
export * from './secret/secret.state';
export * from './secret/secret.commands';
export * from './secret/secret.decider';
export * from './secret/if-match';
