import { badParameter, CofferError, ErrorCodes, serviceUnavailable } from '@coffer/contracts';
import { mayHaveBeenRecorded } from './append-outcome';

describe('mayHaveBeenRecorded', () => {
  it('is false for refusals, decided before any append', () => {
    expect(mayHaveBeenRecorded(badParameter('x'))).toBe(false);
    expect(mayHaveBeenRecorded(new CofferError(ErrorCodes.Conflict, 'taken'))).toBe(false);
  });
  it('is true when the log or projection was unavailable, or the error is unknown', () => {
    expect(mayHaveBeenRecorded(serviceUnavailable('lagging'))).toBe(true);
    expect(mayHaveBeenRecorded(new Error('socket closed'))).toBe(true);
  });
});
