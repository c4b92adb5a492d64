import { SYSTEM_SCOPE } from '@coffer/contracts';
import { UnprojectableEventError } from './read-model.errors';

export type EventSubject =
  | { kind: 'vault'; vault: string }
  | { kind: 'secret'; vault: string; name: string }
  | { kind: 'key'; vault: string; name: string }
  | { kind: 'certificate'; vault: string; name: string }
  | { kind: 'issuer'; vault: string; name: string }
  | { kind: 'certificateContacts'; vault: string }
  | { kind: 'principal'; id: string }
  | { kind: 'roleAssignment'; id: string };

/**
 * `coffer.events.<vault>.vault`, `coffer.events.<vault>.secret.<name>`, `coffer.events.<vault>.key.<name>` (see Streams.events), or
 * `coffer.events._system.principal.<id>` / `.roleassignment.<id>` (see SystemStreams).
 */
export function parseEventSubject(subject: string): EventSubject {
  const t = subject.split('.');
  if (t[0] === 'coffer' && t[1] === 'events' && t[2]) {
    if (t[2] === SYSTEM_SCOPE) {
      if (t.length === 5 && t[3] === 'principal' && t[4]) return { kind: 'principal', id: t[4] };
      if (t.length === 5 && t[3] === 'roleassignment' && t[4]) return { kind: 'roleAssignment', id: t[4] };
    } else {
      if (t.length === 4 && t[3] === 'vault') return { kind: 'vault', vault: t[2] };
      if (t.length === 5 && t[3] === 'secret' && t[4]) return { kind: 'secret', vault: t[2], name: t[4] };
      if (t.length === 5 && t[3] === 'key' && t[4]) return { kind: 'key', vault: t[2], name: t[4] };
      if (t.length === 5 && t[3] === 'certificate' && t[4]) return { kind: 'certificate', vault: t[2], name: t[4] };
      if (t.length === 5 && t[3] === 'issuer' && t[4]) return { kind: 'issuer', vault: t[2], name: t[4] };
      if (t.length === 4 && t[3] === 'certificatecontacts') return { kind: 'certificateContacts', vault: t[2] };
    }
  }
  throw new UnprojectableEventError(`'${subject}' is not a Coffer event subject`);
}
