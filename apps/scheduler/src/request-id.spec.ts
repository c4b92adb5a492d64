import { REQUEST_ID } from '@coffer/contracts';
import { scheduledRequestId } from './request-id';

const key = { object: 'demo/keys/signing', version: 'a'.repeat(32), action: 'rotate', due: Date.parse('2030-01-01T00:00:00Z') };

describe('scheduled request ids', () => {
  it('are deterministic: the same object, version, action and due time give the same id', () => {
    expect(scheduledRequestId(key)).toBe(scheduledRequestId({ ...key }));
    expect(scheduledRequestId(key)).toMatch(REQUEST_ID);
  });

  it('differ when any part differs', () => {
    const ids = new Set([
      scheduledRequestId(key),
      scheduledRequestId({ ...key, object: 'demo/keys/other' }),
      scheduledRequestId({ ...key, version: 'b'.repeat(32) }),
      scheduledRequestId({ ...key, action: 'notify-Expired' }),
      scheduledRequestId({ ...key, due: key.due + 1 }),
    ]);
    expect(ids.size).toBe(5);
  });
});
