import { OBJECT_NAME, Scope } from '@coffer/contracts';
import { ScopeOf } from '../auth/access.decorator';

/** @Access scope of a request about one certificate; a malformed name falls back to the vault (stricter; validation then refuses it). */
export const certificateScope: ScopeOf = (req, vault): Scope =>
  typeof req.name === 'string' && OBJECT_NAME.test(req.name) ? { level: 'object', vault, kind: 'certificates', name: req.name } : { level: 'vault', vault };
