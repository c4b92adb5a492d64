import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * infra/prometheus/coffer-alerts.yml parses as Prometheus rule groups, and every coffer_ metric it
 * names is one the apps define (a histogram's _bucket/_sum/_count included); the README's metric
 * table lists every one of them.
 */
const root = join(__dirname, '..', '..', '..');
// js-yaml comes with jest (a test-only parser; Coffer itself reads no YAML).
const { load } = createRequire(__filename)('js-yaml') as { load(text: string): unknown };

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string };
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/spec\.ts$/.test(name) ? [path] : [];
  });
}

/** Metrics the apps define: `name: 'coffer_…'` in an instrument's configuration or a registered collector, with its type. */
function definedMetrics(): Map<string, string> {
  const defined = new Map<string, string>();
  for (const file of [...sources(join(root, 'apps')), ...sources(join(root, 'libs'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\.(counter|gauge|histogram)\(\{\s*name: '(coffer_[a-z0-9_]+)'/g)) defined.set(m[2], m[1]);
    // Collectors registered directly (request metrics): name first, type further on.
    for (const m of text.matchAll(/registerMetric\(\{\s*name: '(coffer_[a-z0-9_]+)'[^}]*?type: '(counter|gauge|histogram)'/g)) defined.set(m[1], m[2]);
  }
  return defined;
}

describe('example alert rules (infra/prometheus/coffer-alerts.yml)', () => {
  const defined = definedMetrics();
  const doc = load(readFileSync(join(root, 'infra', 'prometheus', 'coffer-alerts.yml'), 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
  const rules = doc.groups.flatMap((g) => g.rules);

  it('are Prometheus rule groups of named, labelled, described alerts', () => {
    expect(doc.groups.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule).toMatchObject({ alert: expect.stringMatching(/^Coffer[A-Za-z]+$/), expr: expect.any(String), labels: { severity: expect.stringMatching(/^(warning|critical)$/) } });
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    // The ones the issue asks for.
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['CofferProjectorLagging', 'CofferAuditUnavailable', 'CofferFailedSignIns', 'CofferHsmErrors']));
  });

  it('name only metrics the apps define', () => {
    expect(defined.size).toBeGreaterThan(20);
    const known = new Set([...defined].flatMap(([name, type]) => (type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name])));
    const named = rules.flatMap((r) => [...r.expr.matchAll(/\bcoffer_[a-z0-9_]+/g)].map((m) => m[0]));
    expect(named.length).toBeGreaterThan(rules.length - 1);
    expect(named.filter((name) => !known.has(name))).toEqual([]);
  });

  it('and the README describes every metric', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect([...defined.keys()].filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
