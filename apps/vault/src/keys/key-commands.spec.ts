import { CofferError, ErrorCodes, serviceUnavailable } from '@coffer/contracts';
import { absentKey, KeyCommand } from '@coffer/domain';
import { KeyCommands, MakingCommand } from './key-commands';
import { RequestKey } from '../commands/request-key';

const R: RequestKey = { id: 'r', principalId: 'p-test', hash: 'h' };

const V = 'a'.repeat(32);
const now = new Date('2026-01-01T00:00:00.000Z');
type Spec = { load(): Promise<{ sequence: number }>; decide(s: unknown): { type: string; data: { hsmKeyId?: string } } };

/** KeyCommands over fakes: the runner runs load → decide and then does what `append` says. */
function harness(append: (event: { type: string; data: object }) => Promise<{ type: string; data: object }>, status: 'absent' | 'deleted' = 'absent') {
  const destroyed: string[][] = [];
  const loader = { load: async () => ({ state: { ...absentKey(), status }, head: null }) };
  const runner = {
    run: async (spec: Spec) => {
      const state = await spec.load();
      const event = spec.decide(state);
      return { sequence: 1, event: await append(event), replayed: false };
    },
  };
  const crypto = { destroyOrphans: async (ids: string[]) => void (ids.length && destroyed.push(ids)) };
  const commands = new KeyCommands(loader as never, runner as never, crypto as never, { now: () => now } as never);
  let made = 0;
  const create = (hsmKeyId: string): MakingCommand<string> => ({
    make: async (_s, track) => {
      made++;
      track(hsmKeyId);
      return 'public';
    },
    command: (publicKey, at): KeyCommand => ({
      type: 'CreateKey', name: 'k', now: at,
      key: { version: V, hsmKeyId, kty: 'oct-HSM', keySize: 256, keyOps: ['encrypt'], publicKey: { kty: publicKey ? 'oct' : 'oct' }, attributes: { enabled: true } },
    }),
  });
  return { commands, destroyed, create, made: () => made };
}

describe('KeyCommands.runMaking (HSM objects first, then the event)', () => {
  it('keeps what the recorded event references', async () => {
    const h = harness(async (e) => e);
    const outcome = await h.commands.runMaking('v', 'k', R, h.create('v/k/1'));
    expect(outcome.event).toMatchObject({ type: 'KeyCreated', data: { hsmKeyId: 'v/k/1' } });
    expect(h.destroyed).toEqual([]);
  });
  it('makes nothing when the decider refuses (dry run)', async () => {
    const h = harness(async (e) => e, 'deleted');
    await expect(h.commands.runMaking('v', 'k', R, h.create('v/k/1'))).rejects.toMatchObject({ code: ErrorCodes.Conflict });
    expect(h.made()).toBe(0);
  });
  it('destroys what a replayed request does not reference', async () => {
    const h = harness(async (e) => ({ ...e, data: { ...e.data, hsmKeyId: 'v/k/first' } }));
    await h.commands.runMaking('v', 'k', R, h.create('v/k/second'));
    expect(h.destroyed).toEqual([['v/k/second']]);
  });
  it('destroys everything when the append was refused', async () => {
    const h = harness(async () => { throw new CofferError(ErrorCodes.Conflict, 'contention', 'TooMuchContention'); });
    await expect(h.commands.runMaking('v', 'k', R, h.create('v/k/1'))).rejects.toMatchObject({ code: ErrorCodes.Conflict });
    expect(h.destroyed).toEqual([['v/k/1']]);
  });
  it('keeps the objects when the append may have been recorded', async () => {
    const h = harness(async () => { throw serviceUnavailable('projection lagging'); });
    await expect(h.commands.runMaking('v', 'k', R, h.create('v/k/1'))).rejects.toMatchObject({ code: ErrorCodes.ServiceUnavailable });
    expect(h.destroyed).toEqual([]);
  });
});
