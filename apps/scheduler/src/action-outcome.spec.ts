import { CofferRequestError } from '@coffer/client';
import { outcomeOfError } from './action-outcome';

const err = (code: string, inner?: string) => new CofferRequestError(code, 'm', 's', inner);

describe('outcome of a refused action', () => {
  it('settled: someone else did it, or the object moved on', () => {
    expect(outcomeOfError(err('Conflict', 'AlreadyNotified'))).toBe('settled');
    expect(outcomeOfError(err('Conflict', 'VersionMismatch'))).toBe('settled');
    expect(outcomeOfError(err('Conflict', 'RequestIdReused'))).toBe('settled'); // its id was applied already
    expect(outcomeOfError(err('SecretNotFound'))).toBe('settled');
    expect(outcomeOfError(err('KeyNotFound'))).toBe('settled');
  });

  it('not yet due is retried; anything else is a failure', () => {
    expect(outcomeOfError(err('Conflict', 'NotYetDue'))).toBe('not-yet');
    expect(outcomeOfError(err('ServiceUnavailable'))).toBe('failed');
    expect(outcomeOfError(new Error('boom'))).toBe('failed');
  });
});
