import { UnprojectableEventError } from './read-model.errors';

export type EventSubject = { kind: 'vault'; vault: string } | { kind: 'secret'; vault: string; name: string };

/** `coffer.events.<vault>.vault` or `coffer.events.<vault>.secret.<name>` (see Streams.events). */
export function parseEventSubject(subject: string): EventSubject {
  const t = subject.split('.');
  if (t[0] === 'coffer' && t[1] === 'events' && t[2]) {
    if (t.length === 4 && t[3] === 'vault') return { kind: 'vault', vault: t[2] };
    if (t.length === 5 && t[3] === 'secret' && t[4]) return { kind: 'secret', vault: t[2], name: t[4] };
  }
  throw new UnprojectableEventError(`'${subject}' is not a Coffer event subject`);
}
