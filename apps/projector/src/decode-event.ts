import { DomainEvent, EventEnvelope, eventShapeProblem, UnknownEventError, upcast } from '@coffer/contracts';
import { parseEventSubject, UnprojectableEventError } from '@coffer/read-model';
import { PoisonEventError } from './projector.errors';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown) => typeof x === 'string';

const decoder = new TextDecoder();

/** Stored message → current-shape DomainEvent, or PoisonEventError (which never quotes the body). */
export function decodeEvent(data: Uint8Array, subject: string, sequence: number): DomainEvent {
  let stored: unknown;
  try {
    stored = JSON.parse(decoder.decode(data));
  } catch {
    // JSON.parse messages quote the input: keep them out of logs.
    throw new PoisonEventError(sequence, undefined, 'body is not valid JSON');
  }
  if (!isObj(stored) || !isStr(stored.type) || !Number.isInteger(stored.version) || !isObj(stored.data)
    || !isObj(stored.metadata) || !isStr(stored.metadata.requestId)) {
    throw new PoisonEventError(sequence, undefined, 'body is not an event envelope');
  }
  const type = stored.type as string;
  let event: DomainEvent;
  try {
    event = upcast(stored as unknown as EventEnvelope);
  } catch (err) {
    if (err instanceof UnknownEventError) throw new PoisonEventError(sequence, type, `unknown event type or version v${String(stored.version)}`);
    throw new PoisonEventError(sequence, type, 'upcast failed');
  }
  // The field checks of each type are in its kind's event catalogue: enough that a malformed event fails here, not half way into SQL.
  const problem = eventShapeProblem(event);
  if (problem) throw new PoisonEventError(sequence, type, problem);
  try {
    parseEventSubject(subject);
  } catch (err) {
    if (err instanceof UnprojectableEventError) throw new PoisonEventError(sequence, type, err.message);
    throw err;
  }
  return event;
}
