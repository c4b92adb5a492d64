import { formatTable } from '../chaos/report';
import { ChaosTarget, runScenario, ScenarioResult, startChaosTarget } from '../chaos/run-scenario';
import { scenarioNamed } from '../chaos/scenarios';

/**
 * The short form of `npm run chaos` (issue 13, item 5): the same workload, faults and checker, three
 * scenarios of a few seconds each on one Coffer of real processes (dist/): the vault killed with
 * SIGKILL, the projector stopped past JetStream's msg-id window (1 s here), nats-server killed and
 * restarted on its port and store. Each must end with nothing lost, nothing applied twice, check-and-set
 * intact, a rebuild equal to the live read model and a clean audit chain.
 */
describe('fault injection (short form of npm run chaos)', () => {
  let target: ChaosTarget;
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    target = await startChaosTarget({ topology: 'single' });
  }, 90_000);
  afterAll(async () => {
    if (results.length) console.log(`chaos, short form:\n${formatTable(results)}`);
    await target?.stop();
  });

  it.each(['kill-vault', 'stop-projector', 'kill-nats'])('%s: nothing lost, nothing applied twice, check-and-set holds', async (name) => {
    const result = await runScenario(scenarioNamed(name), target, { seconds: 4, progress: () => undefined });
    results.push(result);
    expect(result).toMatchObject({ failure: undefined, lost: 0, duplicated: 0, casViolations: 0, rebuildEqualsLive: true, auditClean: true, problems: [] });
    expect(result.acknowledged).toBeGreaterThan(16);
    expect(result.recoverySeconds).toEqual(expect.any(Number));
    expect(result.passed).toBe(true);
  }, 120_000);
});
