import { Streams } from '@coffer/contracts';
import {
  keyRestored, keyRotationPolicy, keyRotationPolicySet, keyVersionAdded, keyVersionRecord, secretRestored, secretSet, vaultCreated, versionRecord,
} from '../../../libs/read-model/src/testing/event-fixtures';
import { decodeEvent } from './decode-event';
import { PoisonEventError } from './projector.errors';

const enc = (x: unknown) => new TextEncoder().encode(typeof x === 'string' ? x : JSON.stringify(x));
const subject = Streams.events.secret('prod', 'db');

function poison(body: unknown, subj = subject): PoisonEventError {
  try {
    decodeEvent(enc(body), subj, 42);
  } catch (err) {
    expect(err).toBeInstanceOf(PoisonEventError);
    return err as PoisonEventError;
  }
  throw new Error('expected a PoisonEventError');
}

describe('decodeEvent', () => {
  it('decodes valid events unchanged', () => {
    const set = secretSet('prod', 'db', 'v1', 3, { tags: { a: 'b' } });
    expect(decodeEvent(enc(set.event), set.subject, 1)).toEqual(set.event);
    const restored = secretRestored('prod', 'db', [versionRecord('r1', 1)]);
    expect(decodeEvent(enc(restored.event), restored.subject, 2)).toEqual(restored.event);
    const vault = vaultCreated('prod');
    expect(decodeEvent(enc(vault.event), vault.subject, 3)).toEqual(vault.event);
  });

  it('rejects bad JSON without quoting the body', () => {
    const err = poison('{"type":"SecretSet","data":{"ct":"c2VjcmV0LWN0"');
    expect(err).toMatchObject({ sequence: 42, eventType: undefined });
    expect(err.message).toContain('not valid JSON');
    expect(err.message).not.toContain('c2VjcmV0LWN0');
  });

  it('rejects non-envelopes, unknown types and future versions', () => {
    expect(poison({ hello: 'world' }).message).toContain('not an event envelope');
    const base = secretSet('prod', 'db', 'v1', 3).event;
    expect(poison({ ...base, type: 'SecretExploded' })).toMatchObject({ eventType: 'SecretExploded' });
    expect(poison({ ...base, version: 99 }).message).toContain('v99');
  });

  it('rejects malformed data and names only the field', () => {
    const base = secretSet('prod', 'db', 'v1', 3).event;
    const data = base.data as unknown as Record<string, unknown>;
    const err = poison({ ...base, data: { ...data, value: { alg: 'A256GCM', iv: 'x', ct: 'SECRETCT' } } });
    expect(err.message).toContain('value must be an EncryptedValue');
    expect(err.message).not.toContain('SECRETCT');
    expect(poison({ ...base, data: { ...data, attributes: { enabled: 'yes' } } }).message).toContain('attributes');
    expect(poison({ ...base, data: { ...data, name: 7 } }).message).toContain('name must be a string');
    const restored = secretRestored('prod', 'db', [versionRecord('r1', 1)]).event;
    expect(poison({ ...restored, data: { ...restored.data, versions: [] } }).message).toContain('non-empty');
  });

  it('decodes key events and refuses one whose public key carries private members', () => {
    const created = keyVersionAdded('KeyCreated', 'prod', 'k', 'a'.repeat(32));
    expect(decodeEvent(enc(created.event), created.subject, 1)).toEqual(created.event);
    const restored = keyRestored('prod', 'k', [keyVersionRecord('prod', 'k', 'b'.repeat(32))], keyRotationPolicy());
    expect(decodeEvent(enc(restored.event), restored.subject, 2)).toEqual(restored.event);
    const policy = keyRotationPolicySet('prod', 'k');
    expect(decodeEvent(enc(policy.event), policy.subject, 3)).toEqual(policy.event);
    const data = created.event.data as unknown as Record<string, unknown>;
    const leaked = poison({ ...created.event, data: { ...data, publicKey: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'PRIVATEPART' } } }, created.subject);
    expect(leaked.message).toContain('must not carry private members');
    expect(leaked.message).not.toContain('PRIVATEPART');
    expect(poison({ ...created.event, data: { ...data, keyOps: 'sign' } }, created.subject).message).toContain('keyOps');
  });

  it('rejects events on foreign subjects', () => {
    expect(poison(secretSet('prod', 'db', 'v1', 3).event, 'coffer.other.thing').message).toContain('not a Coffer event subject');
  });
});
