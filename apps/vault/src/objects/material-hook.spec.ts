import { CofferError, ErrorCodes, serviceUnavailable } from '@coffer/contracts';
import { Material, ObjectKindDescriptor } from './object-kind';
import { MakingCommand, MaterialHook } from './material-hook';
import { ObjectWriter } from './object-writer';
import { RequestKey } from '../commands/request-key';

const R: RequestKey = { id: 'r', principalId: 'p-test', hash: 'h' };
const now = new Date('2026-01-01T00:00:00.000Z');

type State = { sequence: number; status: 'absent' | 'deleted' };
type Command = { type: 'Make'; hsmKeyId?: string; dek?: number };
type Event = { type: 'Made'; data: { hsmKeyId?: string; dek?: number }; metadata: never };
type Spec = { load(): Promise<State>; decide(s: State): Omit<Event, 'metadata'> };

/** A kind whose one command is refused on a deleted object and names the material it carries. */
const kind = {
  subject: (vault: string, name: string) => `${vault}.${name}`,
  noVersion: false,
  decide: (c: Command, s: State) => {
    if (s.status === 'deleted') throw new CofferError(ErrorCodes.Conflict, 'deleted');
    return [{ type: 'Made', data: { hsmKeyId: c.hsmKeyId, dek: c.dek } }];
  },
} as unknown as ObjectKindDescriptor<State, Command, never, boolean>;

// The fake event's material, as a catalogue entry declares it (the hook reads it through materialOf).
jest.mock('@coffer/contracts', () => ({
  ...jest.requireActual('@coffer/contracts'),
  materialOf: (e: Event): Material => ({ hsmKeyIds: e.data.hsmKeyId ? [e.data.hsmKeyId] : [], deks: e.data.dek ? [e.data.dek] : [] }),
}));

/** A writer over fakes: the runner runs load → decide (`loads` times, as a lost race does) and then does what `append` says. */
function harness(append: (event: Omit<Event, 'metadata'>) => Promise<object>, status: State['status'] = 'absent', loads = 1) {
  const released: Material[] = [];
  const loader = { load: async () => ({ state: { sequence: 0, status } }) };
  const runner = {
    run: async (spec: Spec) => {
      let state = await spec.load();
      for (let i = 1; i < loads; i++) state = await spec.load();
      return { sequence: 1, event: await append(spec.decide(state)), replayed: false };
    },
  };
  const orphans = { release: async (m: Material) => void (m.hsmKeyIds.length + m.deks.length && released.push(m)), kept: () => undefined };
  const clock = { now: () => now } as never;
  const writer = new ObjectWriter(kind, loader as never, runner as never, new MaterialHook(runner as never, orphans as never, clock), clock);
  let made = 0;
  const create = (hsmKeyId: string, dek = 7): MakingCommand<Command, unknown, string> => ({
    make: async (_loaded, m) => {
      made++;
      m.hsmKeyIds.push(hsmKeyId);
      m.deks.push(dek);
      return hsmKeyId;
    },
    command: (id) => ({ type: 'Make', ...(id && { hsmKeyId: id, dek }) }),
  });
  return { writer, released, create, made: () => made };
}

describe('MaterialHook, through ObjectWriter.runMaking (material first, then the event)', () => {
  it('keeps what the recorded event references', async () => {
    const h = harness(async (e) => e);
    const outcome = await h.writer.runMaking('v', 'k', R, h.create('v/k/1'));
    expect(outcome.event).toMatchObject({ type: 'Made', data: { hsmKeyId: 'v/k/1', dek: 7 } });
    expect(h.released).toEqual([]);
  });
  it('makes nothing when the decider refuses (dry run)', async () => {
    const h = harness(async (e) => e, 'deleted');
    await expect(h.writer.runMaking('v', 'k', R, h.create('v/k/1'))).rejects.toMatchObject({ code: ErrorCodes.Conflict });
    expect(h.made()).toBe(0);
  });
  it('makes once across attempts (a lost race re-decides with what was made)', async () => {
    const h = harness(async (e) => e, 'absent', 3);
    await h.writer.runMaking('v', 'k', R, h.create('v/k/1'));
    expect(h.made()).toBe(1);
  });
  it('makes again when the material went stale, and releases the unused first one', async () => {
    const h = harness(async (e) => e, 'absent', 2);
    let n = 0;
    const spec = { ...h.create('unused'), make: async (_l: unknown, m: Material) => { n++; m.hsmKeyIds.push(`v/k/${n}`); return `v/k/${n}`; } };
    const outcome = await h.writer.runMaking('v', 'k', R, { ...spec, stale: (id) => id === 'v/k/1' });
    expect(outcome.event).toMatchObject({ data: { hsmKeyId: 'v/k/2' } });
    expect(h.released).toEqual([{ hsmKeyIds: ['v/k/1'], deks: [] }]);
  });
  it('releases what a replayed request does not reference', async () => {
    const h = harness(async (e) => ({ ...e, data: { hsmKeyId: 'v/k/first', dek: 1 } }));
    await h.writer.runMaking('v', 'k', R, h.create('v/k/second'));
    expect(h.released).toEqual([{ hsmKeyIds: ['v/k/second'], deks: [7] }]);
  });
  it('releases everything when the append was refused', async () => {
    const h = harness(async () => { throw new CofferError(ErrorCodes.Conflict, 'contention', 'TooMuchContention'); });
    await expect(h.writer.runMaking('v', 'k', R, h.create('v/k/1'))).rejects.toMatchObject({ code: ErrorCodes.Conflict });
    expect(h.released).toEqual([{ hsmKeyIds: ['v/k/1'], deks: [7] }]);
  });
  it('keeps the material when the append may have been recorded', async () => {
    const h = harness(async () => { throw serviceUnavailable('projection lagging'); });
    await expect(h.writer.runMaking('v', 'k', R, h.create('v/k/1'))).rejects.toMatchObject({ code: ErrorCodes.ServiceUnavailable });
    expect(h.released).toEqual([]);
  });
});
