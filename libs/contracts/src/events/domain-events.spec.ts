import { DomainEvent, EVENT_CATALOGUE, EVENT_VERSIONS, eventShapeProblem, UnknownEventError, upcast } from './domain-events';

const metadata = { requestId: 'r-1', occurredAt: '2026-12-02T00:00:00.000Z' };

describe('the event catalogue', () => {
  it('derives every current version from the catalogue', () => {
    expect(Object.keys(EVENT_VERSIONS).sort()).toEqual(Object.keys(EVENT_CATALOGUE).sort());
    for (const [type, entry] of Object.entries(EVENT_CATALOGUE)) expect(EVENT_VERSIONS[type as keyof typeof EVENT_VERSIONS]).toBe(entry.version);
  });

  it('upcasts current events unchanged and refuses unknown types and future versions', () => {
    const event = { type: 'SecretRecovered', version: 1, data: { name: 's', recovered: metadata.occurredAt }, metadata };
    expect(upcast(event)).toEqual(event);
    expect(() => upcast({ ...event, type: 'SecretExploded' })).toThrow(UnknownEventError);
    expect(() => upcast({ ...event, type: 'toString' })).toThrow(UnknownEventError);
    expect(() => upcast({ ...event, version: 2 })).toThrow('Unknown event SecretRecovered v2');
  });

  it('names the field a malformed event gets wrong', () => {
    const event = (data: unknown) => ({ type: 'SecretRecovered', version: 1, data, metadata }) as DomainEvent;
    expect(eventShapeProblem(event({ name: 's', recovered: metadata.occurredAt }))).toBeUndefined();
    expect(eventShapeProblem(event({ name: 's' }))).toBe('recovered must be a string');
    expect(eventShapeProblem(event(['s']))).toBe('data must be an object');
  });
});
