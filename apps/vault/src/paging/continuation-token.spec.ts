import { decodeToken, encodeToken } from './continuation-token';

describe('continuation tokens', () => {
  it('round-trip names and ordinals', () => {
    expect(decodeToken(encodeToken('db-password'), 'string')).toBe('db-password');
    expect(decodeToken(encodeToken(42), 'number')).toBe(42);
    expect(decodeToken(undefined, 'string')).toBeUndefined();
  });
  it('refuse garbage and the wrong kind with BadParameter', () => {
    expect(() => decodeToken('not-a-token', 'string')).toThrow(expect.objectContaining({ code: 'BadParameter' }));
    expect(() => decodeToken(encodeToken(1), 'string')).toThrow(expect.objectContaining({ code: 'BadParameter' }));
  });
});
