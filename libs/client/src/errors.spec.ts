import { ErrorCode as NatsErrorCode, NatsError } from 'nats';
import { ClientInnerCodes, CofferRequestError, isCofferError } from './errors';
import { decodeReply, mapTransportError } from './request';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const SUBJECT = 'coffer.v1.vault.v1.secret.get';

describe('decodeReply', () => {
  it('returns the reply body of a success', () => {
    expect(decodeReply(bytes({ name: 'a', value: 'x' }), SUBJECT)).toEqual({ name: 'a', value: 'x' });
  });

  it('turns a wire error into a CofferRequestError with code, inner code, subject and request id', () => {
    const reply = { error: { code: 'Conflict', message: 'Secret a is deleted.', innererror: { code: 'ObjectIsDeletedButRecoverable' } } };
    let caught: unknown;
    try {
      decodeReply(bytes(reply), SUBJECT, 'req-1');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CofferRequestError);
    expect(caught).toMatchObject({
      code: 'Conflict', innerCode: 'ObjectIsDeletedButRecoverable', message: 'Secret a is deleted.', subject: SUBJECT, requestId: 'req-1',
    });
    expect((caught as CofferRequestError).toWire()).toEqual(reply);
  });

  it('leaves innerCode undefined when the wire error has none', () => {
    expect(() => decodeReply(bytes({ error: { code: 'SecretNotFound', message: 'nope' } }), SUBJECT)).toThrow(
      expect.objectContaining({ code: 'SecretNotFound', innerCode: undefined }),
    );
  });

  it.each([['not json'], ['42'], ['null']])('reports a malformed reply %s as InternalError/MalformedReply', (raw) => {
    expect(() => decodeReply(bytes(raw), SUBJECT)).toThrow(
      expect.objectContaining({ code: 'InternalError', innerCode: ClientInnerCodes.MalformedReply }),
    );
  });
});

describe('mapTransportError', () => {
  it('maps no responders to ServiceUnavailable/NoResponders', () => {
    const err = mapTransportError(NatsError.errorForCode(NatsErrorCode.NoResponders), SUBJECT, 'r');
    expect(err).toMatchObject({ code: 'ServiceUnavailable', innerCode: 'NoResponders', subject: SUBJECT, requestId: 'r' });
  });

  it('maps a timeout to RequestTimeout', () => {
    const err = mapTransportError(NatsError.errorForCode(NatsErrorCode.Timeout), SUBJECT, 'r', 250);
    expect(err).toMatchObject({ code: 'RequestTimeout', subject: SUBJECT });
    expect((err as Error).message).toContain('250 ms');
  });

  it('maps a closed connection to ServiceUnavailable/ConnectionClosed', () => {
    expect(mapTransportError(NatsError.errorForCode(NatsErrorCode.ConnectionClosed), SUBJECT)).toMatchObject({
      code: 'ServiceUnavailable', innerCode: 'ConnectionClosed',
    });
  });

  it('passes anything that is not a NATS error through untouched', () => {
    const bug = new TypeError('bug');
    expect(mapTransportError(bug, SUBJECT)).toBe(bug);
  });
});

describe('isCofferError', () => {
  const err = new CofferRequestError('Conflict', 'm', SUBJECT, 'VersionMismatch');

  it('recognises the error, by code or inner code', () => {
    expect(isCofferError(err)).toBe(true);
    expect(isCofferError(err, 'Conflict')).toBe(true);
    expect(isCofferError(err, 'VersionMismatch')).toBe(true);
    expect(isCofferError(err, 'SecretNotFound')).toBe(false);
  });

  it('is false for other errors', () => {
    expect(isCofferError(new Error('Conflict'), 'Conflict')).toBe(false);
    expect(isCofferError({ code: 'Conflict' })).toBe(false);
  });
});
