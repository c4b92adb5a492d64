import { OBJECT_NAME, Scope } from '@coffer/contracts';
import { ScopeOf } from './access.decorator';

/** Scope functions for @Access. A malformed name falls back to the vault (a stricter check; validation then refuses it). */
export const allScope: ScopeOf = () => ({ level: 'all' });
export const vaultScope: ScopeOf = (_req, vault) => ({ level: 'vault', vault });
export const secretScope: ScopeOf = (req, vault): Scope =>
  typeof req.name === 'string' && OBJECT_NAME.test(req.name) ? { level: 'object', vault, kind: 'secrets', name: req.name } : { level: 'vault', vault };
