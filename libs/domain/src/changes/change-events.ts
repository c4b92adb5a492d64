import { CHANGE_OBJECT_PATHS, CHANGE_TYPE_PREFIX, ChangeEvent, changeSpecsOf, DomainEvent } from '@coffer/contracts';

/** Where an event sits in the log: its subject (`coffer.events.<vault>.<kind>.<name>`) and sequence. */
export interface LoggedEvent {
  subject: string;
  sequence: number;
  event: DomainEvent;
}

/**
 * The public change events one logged domain event stands for (which ones: its kind's event
 * catalogue). Pure: the feed is computed from the log on every read, so a replay from any cursor
 * yields the same events, with the same ids, in the same order.
 */
export function toChangeEvents({ subject, sequence, event }: LoggedEvent): ChangeEvent[] {
  const subjectVault = subject.split('.')[2] ?? '';
  return changeSpecsOf(event).map((spec, index): ChangeEvent => {
    const { type, objectType, name, data = {}, vault = subjectVault } = spec;
    const path = objectType === 'Vault' ? '' : `/${CHANGE_OBJECT_PATHS[objectType]}/${name}${data.Version ? `/${data.Version}` : ''}`;
    const id = `coffer://${vault}${path}`;
    return {
      specversion: '1.0',
      id: index === 0 ? String(sequence) : `${sequence}.${index}`,
      source: `coffer://${vault}`,
      type: `${CHANGE_TYPE_PREFIX}${type}`,
      subject: id,
      time: event.metadata.occurredAt,
      datacontenttype: 'application/json',
      cofferseq: sequence,
      data: { Id: id, VaultName: vault, ObjectType: objectType, ObjectName: name, ...withoutUndefined(data) },
    };
  });
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
