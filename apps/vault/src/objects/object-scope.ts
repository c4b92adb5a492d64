import { ObjectKind, OBJECT_NAME, Scope } from '@coffer/contracts';
import { ScopeOf } from '../auth/access.decorator';

/** @Access scope of a request about one object of `kind`; a malformed name falls back to the vault (stricter; validation then refuses it). */
export const objectScope = (kind: ObjectKind): ScopeOf => (req, vault): Scope =>
  typeof req.name === 'string' && OBJECT_NAME.test(req.name) ? { level: 'object', vault, kind, name: req.name } : { level: 'vault', vault };
