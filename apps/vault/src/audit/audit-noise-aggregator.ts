import { AuditAggregationSettings } from '@coffer/config';
import { AUDIT_SUMMARY_REQUEST_ID, AuditRecord } from '@coffer/contracts';

/**
 * Which records may be folded: requests that no authenticated principal made and that did not
 * succeed (unauthenticated, or anonymous and failed). A success is never folded (every access is
 * recorded individually), nor is any request of an authenticated principal (denied included):
 * those name someone accountable. A successful token exchange names its client and is kept too.
 */
export function isFoldable(r: AuditRecord): boolean {
  return r.principal === null && r.outcome !== 'succeeded' && r.count === undefined;
}

interface Fold {
  /** The summary being built: the first folded request's fields, then count and lastTime. */
  summary: AuditRecord;
  count: number;
}

interface Kind {
  individual: number;
  fold?: Fold;
}

const OVERFLOW_ACTION = '*';

/**
 * Anonymous noise aggregation, per interval: for each kind of foldable record (scope, action,
 * outcome, error code) the first `individualPerKind` are recorded individually (at most
 * `individualPerInterval` in all), the rest counted into one summary record per kind (same fields
 * as the first folded request, `count`, `lastTime`; subject or object `*` when the folded requests
 * differed). Beyond `maxKinds` kinds, further kinds fold into one summary per outcome and error code,
 * so an attacker varying subjects gets no more individual records and no more memory. Pure: the
 * caller passes the time and writes what `drain` returns.
 */
export class AuditNoiseAggregator {
  private kinds = new Map<string, Kind>();
  private individual = 0;
  private windowStart: number | undefined;

  constructor(private readonly settings: AuditAggregationSettings) {}

  /** 'record': write it individually; 'folded': counted into a summary (written by `drain`). */
  admit(r: AuditRecord, scope: string, nowMs: number): 'record' | 'folded' {
    if (!isFoldable(r)) return 'record';
    this.windowStart ??= nowMs;
    let key = JSON.stringify([scope, r.action, r.outcome, r.errorCode ?? null]);
    let kind = this.kinds.get(key);
    if (!kind && this.kinds.size >= this.settings.maxKinds) {
      key = JSON.stringify([OVERFLOW_ACTION, r.outcome, r.errorCode ?? null]);
      kind = this.kinds.get(key) ?? { individual: Number.POSITIVE_INFINITY };
    }
    if (!kind) kind = { individual: 0 };
    this.kinds.set(key, kind);
    if (kind.individual < this.settings.individualPerKind && this.individual < this.settings.individualPerInterval) {
      kind.individual++;
      this.individual++;
      return 'record';
    }
    const overflow = kind.individual === Number.POSITIVE_INFINITY;
    if (!kind.fold) {
      kind.fold = {
        summary: {
          ...r, requestId: AUDIT_SUMMARY_REQUEST_ID, principal: null, version: undefined,
          ...(overflow ? { action: OVERFLOW_ACTION, subject: '*', objectId: '*' } : {}),
        },
        count: 0,
      };
    }
    const s = kind.fold.summary;
    if (s.subject !== r.subject) s.subject = '*';
    if (s.objectId !== r.objectId) s.objectId = '*';
    kind.fold.count++;
    s.lastTime = r.time;
    return 'folded';
  }

  /** True once the current interval is over (then `drain` ends it). */
  due(nowMs: number): boolean {
    return this.windowStart !== undefined && nowMs - this.windowStart >= this.settings.intervalMs;
  }

  /** Requests folded and not drained yet. */
  pending(): number {
    let n = 0;
    for (const k of this.kinds.values()) n += k.fold?.count ?? 0;
    return n;
  }

  /** Ends the interval: the summary records of what was folded in it (oldest first); counters reset. */
  drain(): AuditRecord[] {
    const out: AuditRecord[] = [];
    for (const k of this.kinds.values()) {
      if (!k.fold) continue;
      const { version: _version, ...summary } = k.fold.summary;
      out.push({ ...summary, count: k.fold.count, lastTime: summary.lastTime ?? summary.time });
    }
    this.kinds = new Map();
    this.individual = 0;
    this.windowStart = undefined;
    return out.sort((a, b) => a.time.localeCompare(b.time));
  }
}
