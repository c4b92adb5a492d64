import { ScopeOf } from './access.decorator';

/** Scope functions for @Access. A malformed name falls back to the vault (a stricter check; validation then refuses it). */
export const allScope: ScopeOf = () => ({ level: 'all' });
export const vaultScope: ScopeOf = (_req, vault) => ({ level: 'vault', vault });
