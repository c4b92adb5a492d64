import { encodedForms } from './scan';

describe('encodedForms', () => {
  it('finds a marker base64-encoded at any offset inside a longer value', () => {
    const marker = 'MARKER-7f3a9c2e41';
    for (let prefix = 0; prefix < 6; prefix++) {
      const encoded = Buffer.from(Buffer.concat([Buffer.alloc(prefix, 'x'), Buffer.from(marker), Buffer.from('tail')]).toString('base64'));
      expect(encodedForms(marker).some((f) => encoded.includes(f))).toBe(true);
    }
  });

  it('does not match unrelated bytes', () => {
    const other = Buffer.from(Buffer.from('something else entirely').toString('base64'));
    expect(encodedForms('MARKER-7f3a9c2e41').some((f) => other.includes(f))).toBe(false);
  });
});
