import { EmptyRequest, SetSecretRequest } from '@coffer/contracts';
import { MalformedBody } from './json-wire.deserializer';
import { WireValidationPipe } from './wire-validation.pipe';

const pipe = new WireValidationPipe();
const body = (metatype: unknown) => ({ type: 'body' as const, metatype: metatype as never, data: undefined });
const refused = (value: unknown, metatype: unknown) => {
  try {
    pipe.transform(value, body(metatype));
  } catch (e) {
    return e as { code: string; innerCode?: string; message: string };
  }
  throw new Error('expected a BadParameter');
};

describe('WireValidationPipe', () => {
  it('passes a valid body through as a DTO instance', () => {
    expect(pipe.transform({ name: 'db', value: 'x' }, body(SetSecretRequest))).toBeInstanceOf(SetSecretRequest);
    expect(pipe.transform({}, body(EmptyRequest))).toBeInstanceOf(EmptyRequest);
  });
  it('refuses malformed JSON', () => expect(refused(new MalformedBody('bad'), SetSecretRequest)).toMatchObject({ code: 'BadParameter', innerCode: 'MalformedRequest' }));
  it('refuses unknown fields, also on field-less requests', () => {
    expect(refused({ name: 'db', value: 'x', colour: 'red' }, SetSecretRequest)).toMatchObject({ innerCode: 'UnknownField' });
    expect(refused({ colour: 'red' }, EmptyRequest)).toMatchObject({ innerCode: 'UnknownField' });
  });
  it('names at most 5 unknown fields, each cut to 64 characters (they are caller input)', () => {
    const long = 'k'.repeat(500_000);
    for (const type of [SetSecretRequest, EmptyRequest]) {
      const e = refused({ [long]: 1, a: 1, b: 1, c: 1, d: 1, e: 1, f: 1 }, type);
      expect(e).toMatchObject({ code: 'BadParameter', innerCode: 'UnknownField' });
      expect(e.message.length).toBeLessThan(300);
      expect(e.message).not.toMatch(/\bf\b/);
    }
  });
  it('names each problem: wrong type, bad name, too many tags', () => {
    expect(refused({ name: 'db', value: 42 }, SetSecretRequest).message).toMatch(/value must be a string/);
    expect(refused({ name: 'bad name!', value: 'x' }, SetSecretRequest).message).toMatch(/name must match/);
    const tags = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, 'v']));
    expect(refused({ name: 'db', value: 'x', tags }, SetSecretRequest).message).toMatch(/tags/);
  });
  it('leaves non-body parameters alone', () =>
    expect(pipe.transform('ctx', { type: 'custom', metatype: undefined, data: undefined })).toBe('ctx'));
});
