import { DataSource } from 'typeorm';
import { openReadModel } from './read-model-data-source';
import { tableRows } from '@coffer/sql';
import { AppliedRequest, appliedRequestsTable } from './tables/projection.tables';
import { projectBatch } from './project-batch';
import { ReadModel } from './read-model.queries';
import { FixtureEvent, sequenced, vaultCreated, vaultUpdated } from './testing/event-fixtures';
import { describeOn, postgresBackend, sqliteBackend, TestBackend, TestDatabase } from './testing/read-model-backends';

const HOUR = 3_600_000;
const HORIZON = 24 * HOUR;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A vault event requested by `principalId` with `requestId` at T0 + `hours`. */
function requested(e: FixtureEvent, principalId: string, requestId: string, hours: number): FixtureEvent {
  e.event.metadata = { requestId, occurredAt: new Date(T0 + hours * HOUR).toISOString(), principalId, requestHash: `h-${requestId}` };
  return e;
}

/**
 * Events at T0 … T0 + 26 h: request r0 at T0 is past the horizon once r26 is projected; r2 (at
 * T0 + 2 h) is within it; r-again is used at T0 and again (a new request, past the horizon) at 25 h.
 */
function history(): FixtureEvent[] {
  return [
    requested(vaultCreated('va'), 'p-a', 'r0', 0),
    requested(vaultUpdated('va', 10, false), 'p-a', 'r-again', 0.5),
    requested(vaultCreated('vb'), 'p-b', 'r0', 1),
    requested(vaultUpdated('va', 11, false), 'p-a', 'r2', 2),
    { ...vaultUpdated('va', 12, false) }, // fixture default: principal p-fixture, now-ish time (2025): far older
    requested(vaultUpdated('va', 13, false), 'p-a', 'r-again', 25),
    requested(vaultUpdated('vb', 14, false), 'p-b', 'r26', 26),
  ];
}

async function rows(ds: DataSource): Promise<AppliedRequest[]> {
  return tableRows(ds, appliedRequestsTable);
}

function appliedRequestsSuite(backend: TestBackend): void {
  describeOn(backend)(`applied requests on ${backend.name}`, () => {
    const dbs: TestDatabase[] = [];
    const sources: DataSource[] = [];
    const open = async () => {
      const db = await backend.create();
      dbs.push(db);
      const ds = await openReadModel(db.url);
      sources.push(ds);
      return ds;
    };
    afterAll(async () => {
      for (const ds of sources) await ds.destroy();
      for (const db of dbs) await db.drop();
    });

    it('prunes rows past the horizon (event time, behind the newest row) and keeps those within; one event at a time or all at once gives the same rows', async () => {
      const live = await open();
      const events = sequenced(history());
      for (const e of events) await projectBatch(live, [e], { requestIdHorizonMs: HORIZON });
      const rebuilt = await open();
      await projectBatch(rebuilt, events, { requestIdHorizonMs: HORIZON });

      const kept = await rows(live);
      expect(kept.map((r) => [r.principalId, r.requestId, r.sequence])).toEqual([
        ['p-a', 'r-again', 6], // the later use wins; the first (T0 + 0.5 h) is past the horizon anyway
        ['p-a', 'r2', 4],
        ['p-b', 'r26', 7],
      ]);
      expect(kept[1]).toEqual({
        principalId: 'p-a', requestId: 'r2', subject: 'coffer.events.va.vault', sequence: 4, requestHash: 'h-r2', occurredAt: T0 + 2 * HOUR,
      });
      expect(await rows(rebuilt)).toEqual(kept);
    });

    it('scopes request ids to their principal', async () => {
      const ds = await open();
      await projectBatch(ds, sequenced([requested(vaultCreated('va'), 'p-a', 'same', 0), requested(vaultCreated('vb'), 'p-b', 'same', 0)]));
      const rm = new ReadModel(ds);
      expect(await rm.findAppliedRequests('p-a', 'same')).toMatchObject([{ subject: 'coffer.events.va.vault', sequence: 1 }]);
      expect(await rm.findAppliedRequests('p-b', 'same')).toMatchObject([{ subject: 'coffer.events.vb.vault', sequence: 2 }]);
      expect(await rm.findAppliedRequests('p-c', 'same')).toEqual([]);
    });

    it('projects events written before request ids were scoped (no principal) without an applied row', async () => {
      const ds = await open();
      const legacy = vaultCreated('old');
      legacy.event.metadata = { requestId: 'legacy-1', occurredAt: new Date(T0).toISOString() };
      expect(await projectBatch(ds, sequenced([legacy]))).toMatchObject({ applied: 1 });
      expect(await new ReadModel(ds).getVault('old')).toMatchObject({ name: 'old' });
      expect(await rows(ds)).toEqual([]);
    });
  });
}

appliedRequestsSuite(sqliteBackend);
appliedRequestsSuite(postgresBackend);
