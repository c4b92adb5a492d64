import { KindField, kindsWith } from '../kinds/contract-kinds';
import { OBJECT_NAME, VAULT_NAME } from '../limits';

/**
 * Where a role assignment applies: everything (`/`), one vault (`/vaults/<vault>`), or one object
 * (`/vaults/<vault>/secrets/<name>`, likewise each kind that declares `objects` in CONTRACT_KINDS).
 * An assignment covers its scope and everything below it.
 */
export type ObjectKind = KindField<'objects'>;
export const OBJECT_KINDS: readonly ObjectKind[] = kindsWith('objects').map(([, objects]) => objects as ObjectKind);

export type Scope =
  | { level: 'all' }
  | { level: 'vault'; vault: string }
  | { level: 'object'; vault: string; kind: ObjectKind; name: string };

export function formatScope(scope: Scope): string {
  switch (scope.level) {
    case 'all':
      return '/';
    case 'vault':
      return `/vaults/${scope.vault}`;
    case 'object':
      return `/vaults/${scope.vault}/${scope.kind}/${scope.name}`;
  }
}

/** Parses a scope string; undefined when it is not one (callers turn that into BadParameter). */
export function parseScope(text: string): Scope | undefined {
  if (text === '/') return { level: 'all' };
  const parts = text.split('/');
  if (parts[0] !== '' || parts[1] !== 'vaults' || !VAULT_NAME.test(parts[2] ?? '')) return undefined;
  if (parts.length === 3) return { level: 'vault', vault: parts[2] };
  if (parts.length === 5 && (OBJECT_KINDS as readonly string[]).includes(parts[3]) && OBJECT_NAME.test(parts[4])) {
    return { level: 'object', vault: parts[2], kind: parts[3] as ObjectKind, name: parts[4] };
  }
  return undefined;
}

/** Whether an assignment at `granted` covers a request on `target`. */
export function scopeCovers(granted: Scope, target: Scope): boolean {
  if (granted.level === 'all') return true;
  if (target.level === 'all') return false;
  if (granted.vault !== target.vault) return false;
  if (granted.level === 'vault') return true;
  return target.level === 'object' && granted.kind === target.kind && granted.name === target.name;
}
