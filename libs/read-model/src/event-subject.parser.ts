import { SYSTEM_SCOPE } from '@coffer/contracts';
import { READ_MODEL_KINDS } from './kinds/read-model-kinds';
import { EventSubject } from './event-subject';
import { SubjectRule } from './kinds/read-model-kind';
import { UnprojectableEventError } from './read-model.errors';

export * from './event-subject';

const RULES: ReadonlyMap<string, SubjectRule> = new Map(READ_MODEL_KINDS.flatMap((kind) => kind.subjects).map((rule) => [rule.token, rule]));

/**
 * `coffer.events.<vault>.vault`, `coffer.events.<vault>.secret.<name>`, `coffer.events.<vault>.key.<name>` (see Streams.events), or
 * `coffer.events._system.principal.<id>` / `.roleassignment.<id>` (see SystemStreams): the tokens are the read-model kinds' (kinds/).
 */
export function parseEventSubject(subject: string): EventSubject {
  const t = subject.split('.');
  if (t[0] === 'coffer' && t[1] === 'events' && t[2]) {
    const rule = RULES.get(t[3] ?? '');
    if (t[2] === SYSTEM_SCOPE) {
      if (rule?.shape === 'system' && t.length === 5 && t[4]) return { kind: rule.kind, id: t[4] };
    } else {
      if (rule?.shape === 'vault' && t.length === 4) return { kind: rule.kind, vault: t[2] };
      if (rule?.shape === 'named' && t.length === 5 && t[4]) return { kind: rule.kind, vault: t[2], name: t[4] };
    }
  }
  throw new UnprojectableEventError(`'${subject}' is not a Coffer event subject`);
}
