import { RotationHookTags } from '@coffer/contracts';
import { ExpiringSecretRow, LifecycleQueries } from '@coffer/read-model';
import { DueAction, ScanContext } from '../lifecycle-rule';
import { SecretRotationHookRule } from './secret-rotation-hook.rule';

const row = (name: string, hook: string): ExpiringSecretRow => ({
  vault: 'prod', name, version: 'v1', created: '2020-01-01T00:00:00.000Z', nbf: null, exp: null, nearExpiryNotified: null, expiredNotified: null,
  tags: { [RotationHookTags.subject]: hook, [RotationHookTags.interval]: 'P1D' }, contentType: null, sequence: 1,
});

function context(rows: ExpiringSecretRow[]): ScanContext {
  let served = false;
  const queries = { secretsExpiring: async () => (served ? [] : ((served = true), rows)) } as unknown as LifecycleQueries;
  return { now: Date.parse('2026-01-01T00:00:00Z'), queries, nearExpiryWindowMs: () => 0, maxNearExpiryWindowMs: 0, pageSize: 100, examined: () => undefined };
}

describe('SecretRotationHookRule re-checks hook subjects before sending', () => {
  it('yields hooks in the secret\'s own coffer.hooks.<vault>. namespace, skips (and logs once, without the subject) any other', async () => {
    const warnings: [object, string][] = [];
    const rule = new SecretRotationHookRule(undefined, { warn: (obj, msg) => warnings.push([obj, msg]) });
    const rows = [
      row('good', 'coffer.hooks.prod.pg'),
      row('purge', '$JS.API.STREAM.PURGE.COFFER_AUDIT_CHECKPOINTS'),
      row('other-vault', 'coffer.hooks.other.pg'),
    ];
    const due: DueAction[] = [];
    for await (const a of rule.due(context(rows))) due.push(a);
    expect(due.map((a) => a.object)).toEqual(['prod/secrets/good']);
    expect(warnings.map(([obj]) => obj)).toEqual([{ object: 'prod/secrets/purge', version: 'v1' }, { object: 'prod/secrets/other-vault', version: 'v1' }]);
    expect(JSON.stringify(warnings)).not.toContain('$JS');
    // A second scan does not log the same skipped version again.
    for await (const _ of rule.due(context(rows))) void _;
    expect(warnings).toHaveLength(2);
  });
});
