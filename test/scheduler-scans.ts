import { SchedulerStatusReply, SchedulerSubjects } from '@coffer/contracts';
import { CofferStack, connectTo, until } from '@coffer/testing';

/**
 * Waits until the stack's scheduler process has completed `more` scans from now: the condition
 * behind "nothing happened during several scans", which a fixed sleep only hopes for on a busy machine.
 */
export async function scansPassed(stack: CofferStack, more: number): Promise<void> {
  const nc = await connectTo(stack.nats.userUrl('coffer-vault')); // the scheduler answers the vault's inbox only
  try {
    const scans = async () => (JSON.parse(Buffer.from((await nc.request(SchedulerSubjects.status, '{}', { timeout: 5000 })).data).toString()) as SchedulerStatusReply).scans;
    const target = (await scans()) + more;
    await until(`${more} more scheduler scans`, async () => (await scans()) >= target, 60_000, 100);
  } finally {
    await nc.close();
  }
}

/** The same for a scheduler replica running in this process. */
export async function scansPassedIn(replica: { state: { scans: number } }, more: number): Promise<void> {
  const target = replica.state.scans + more;
  await until(`${more} more scans by the in-process replica`, () => replica.state.scans >= target, 60_000, 50);
}
