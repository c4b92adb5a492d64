import { Logger } from '@nestjs/common';
import { CofferError, ErrorCodes, serviceUnavailable } from '@coffer/contracts';
import { toWireError } from './wire-exception.filter';

describe('toWireError', () => {
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('passes a CofferError through as written for callers', () => {
    expect(toWireError(serviceUnavailable('retry later'), 's')).toEqual({ code: ErrorCodes.ServiceUnavailable, message: 'retry later' });
    expect(warn).not.toHaveBeenCalled();
  });

  it('logs the cause of a retryable outage for the operator, and keeps it from the caller', () => {
    const outage = new CofferError(ErrorCodes.ServiceUnavailable, 'The event log is unavailable; retry later.', 'EventLogUnavailable', { cause: new Error('TIMEOUT') });
    const wire = toWireError(outage, 'coffer.v1.x');
    expect(JSON.stringify(wire)).not.toContain('TIMEOUT');
    expect(warn).toHaveBeenCalledWith('coffer.v1.x: EventLogUnavailable: TIMEOUT');
    // The same outage again within the second: not logged again (an outage fails every request).
    toWireError(outage, 'coffer.v1.y');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('reports any other error as InternalError, logging it without leaking it', () => {
    expect(toWireError(new Error('secret detail'), 's')).toEqual({ code: ErrorCodes.InternalError, message: 'The service failed to process the request.' });
    expect(error).toHaveBeenCalled();
  });
});
