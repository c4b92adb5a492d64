import { formatRetryAfter, render, renderError, renderField, renderTsv, valueAt } from './output';
import { secretBundleView, statusView } from './views';

const bundle = {
  id: 'coffer://vault-1/secrets/db/abc', name: 'db', version: 'abc', value: 'p@ss\tword', sequence: 3,
  attributes: { enabled: true, created: '2030-01-01T00:00:00.000Z', updated: '2030-01-02T00:00:00.000Z', recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
  tags: { env: 'prod', team: 'core' },
};

describe('render', () => {
  it('json: the object exactly, pretty-printed, one trailing newline', () => {
    expect(render(bundle, secretBundleView, { format: 'json' })).toBe(`${JSON.stringify(bundle, null, 2)}\n`);
    expect(JSON.parse(render([bundle], secretBundleView, { format: 'json' }))).toEqual([bundle]);
  });

  it('table: a header and one row per object, no colour codes', () => {
    const text = render(bundle, secretBundleView, { format: 'table' });
    expect(text).toMatch(/Name.*Version.*Value.*Sequence.*Enabled/);
    expect(text).toContain('env=prod, team=core');
    expect(text).not.toContain('\u001b['); // no ANSI escape sequences
  });

  it('tsv: no header, columns in view order, tabs and newlines escaped', () => {
    const text = render([bundle, { ...bundle, value: 'line1\nline2' }], secretBundleView, { format: 'tsv' });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0].split('\t').slice(0, 5)).toEqual(['db', 'abc', 'p@ss\\tword', '3', 'true']);
    expect(lines[1]).toContain('line1\\nline2');
  });

  it('tsv of an empty list prints nothing', () => {
    expect(renderTsv([], secretBundleView.columns)).toBe('');
  });

  it('--field prints the raw value with one trailing newline, whatever the format', () => {
    expect(render(bundle, secretBundleView, { format: 'json', field: 'value' })).toBe('p@ss\tword\n');
    expect(render(bundle, secretBundleView, { format: 'table', field: 'attributes.enabled' })).toBe('true\n');
  });

  it('--field on a list prints one line per item; a missing field is an empty line; objects are compact JSON', () => {
    expect(renderField([{ name: 'a' }, { name: 'b' }], 'name')).toBe('a\nb\n');
    expect(renderField({ name: 'a' }, 'contentType')).toBe('\n');
    expect(renderField(bundle, 'tags')).toBe('{"env":"prod","team":"core"}\n');
  });

  it('status table: one row per component with the projector lag', () => {
    const status = {
      vault: { ok: true, version: '0.1.0' },
      cryptoWorker: { ok: false, detail: 'HSM token not found' },
      projector: { ok: true, checkpoint: 10, lastSequence: 12, lag: 2 },
      audit: { ok: true, count: 40, lag: 0 },
    };
    const tsv = render(status, statusView, { format: 'tsv' });
    expect(tsv).toBe(
      'vault\ttrue\t\tversion 0.1.0\ncrypto-worker\tfalse\t\tHSM token not found\nprojector\ttrue\t2\tcheckpoint 10/12\naudit\ttrue\t0\t40 records chained\n',
    );
    expect(render(status, statusView, { format: 'json' })).toBe(`${JSON.stringify(status, null, 2)}\n`);
  });
});

describe('valueAt', () => {
  it('follows dotted paths and returns undefined for a missing step', () => {
    expect(valueAt(bundle, 'attributes.recoverableDays')).toBe(90);
    expect(valueAt(bundle, 'attributes.nbf.x')).toBeUndefined();
    expect(valueAt(undefined, 'a')).toBeUndefined();
  });
});

describe('renderError', () => {
  it('prints ERROR: (code/inner) message', () => {
    expect(renderError({ code: 'Conflict', innerCode: 'VersionMismatch', message: 'Stale.' }, false)).toBe('ERROR: (Conflict/VersionMismatch) Stale.\n');
    expect(renderError({ code: 'SecretNotFound', message: 'Gone.' }, false)).toBe('ERROR: (SecretNotFound) Gone.\n');
  });

  it('prints the wire error object as JSON when asked', () => {
    expect(JSON.parse(renderError({ code: 'Conflict', innerCode: 'VersionMismatch', message: 'Stale.' }, true))).toEqual({
      error: { code: 'Conflict', message: 'Stale.', innererror: { code: 'VersionMismatch' } },
    });
    expect(JSON.parse(renderError({ code: 'BadParameter', message: 'x' }, true))).toEqual({ error: { code: 'BadParameter', message: 'x' } });
  });

  it('says when to retry after Throttled, in text and JSON', () => {
    const locked = { code: 'Throttled', innerCode: 'CredentialLockedOut', message: 'Locked out.', retryAfterMs: 12_345 };
    expect(renderError(locked, false)).toBe('ERROR: (Throttled/CredentialLockedOut) Locked out. Retry after 13 s.\n');
    expect(JSON.parse(renderError(locked, true))).toEqual({
      error: { code: 'Throttled', message: 'Locked out.', innererror: { code: 'CredentialLockedOut' }, retryAfterMs: 12_345 },
    });
    expect([850, 1, 9_999, 119_000, 300_000].map(formatRetryAfter)).toEqual(['0.9 s', '0.1 s', '10 s', '119 s', '5 min']);
  });
});
