import { ProjectionWaiter } from './projection-waiter';

/** A ProjectionWaiter on a fake NATS connection: `announce` delivers a projectorApplied message. */
async function setup(projectionWaitMs = 60_000) {
  let deliver: ((err: unknown, msg: { data: Uint8Array }) => void) | undefined;
  const nc = { subscribe: (_subject: string, opts: { callback: typeof deliver }) => ((deliver = opts.callback), { unsubscribe: () => undefined }) };
  const readModel = { checkpoint: async () => 5 };
  const waiter = new ProjectionWaiter(nc as never, readModel as never, { projectionWaitMs } as never);
  await waiter.onModuleInit();
  const announce = (body: object) => deliver!(null, { data: Buffer.from(JSON.stringify(body)) });
  return { waiter, announce };
}

describe('ProjectionWaiter and a stalled projector', () => {
  let waiter: ProjectionWaiter;
  afterEach(() => {
    waiter?.onModuleDestroy();
    jest.useRealTimers();
  });

  it('answers writers waiting for an event the stalled projector cannot apply at once, saying it was recorded', async () => {
    const s = await setup();
    waiter = s.waiter;
    const recorded = waiter.waitFor(7, { recorded: true });
    const needed = waiter.waitFor(6);
    s.announce({ sequence: 5, error: 'applying events after sequence 5 failed 1 time(s) in a row (SqliteError: database or disk is full); retrying' });
    await expect(recorded).rejects.toMatchObject({ code: 'ServiceUnavailable', innerCode: 'ProjectionLagging', message: expect.stringContaining('recorded (sequence 7)') });
    await expect(needed).rejects.toMatchObject({ code: 'ServiceUnavailable', innerCode: 'ReadModelUnavailable' });
    // The detail of the failure is for operators (status), never in a client's error.
    await expect(waiter.waitFor(8)).rejects.toMatchObject({ message: expect.not.stringContaining('disk') });
    expect(() => waiter.assertAccepting()).toThrow(expect.objectContaining({ code: 'ServiceUnavailable', innerCode: 'ReadModelUnavailable' }));
    // What is already applied stays readable without waiting.
    await expect(waiter.waitFor(5)).resolves.toBeUndefined();
  });

  it('accepts writes again once the projector announces progress without an error', async () => {
    const s = await setup();
    waiter = s.waiter;
    s.announce({ sequence: 5, error: 'x' });
    expect(waiter.stalled).toBe(true);
    s.announce({ sequence: 6 });
    expect(waiter.stalled).toBe(false);
    expect(() => waiter.assertAccepting()).not.toThrow();
    await expect(waiter.waitFor(6)).resolves.toBeUndefined();
  });

  it('forgets a stall the projector stopped repeating (a projector killed while stalled)', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const s = await setup();
    waiter = s.waiter;
    s.announce({ sequence: 5, error: 'x' });
    jest.setSystemTime(1_000_000 + 2_500);
    expect(waiter.stalled).toBe(true);
    jest.setSystemTime(1_000_000 + 3_001);
    expect(waiter.stalled).toBe(false);
  });
});
