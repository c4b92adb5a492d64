import { ClientCredentials, CofferRequestError, readCredentialsFile } from '@coffer/client';
import { existsSync } from 'node:fs';

/**
 * The scheduler principal's credentials, written by the vault on its first start. The scheduler
 * may start before that file exists (or before the vault wrote it), so it waits for it.
 */
export async function waitForCredentials(path: string, timeoutMs: number, stopped: () => boolean): Promise<ClientCredentials> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(path)) {
      try {
        return readCredentialsFile(path);
      } catch (err) {
        if (!(err instanceof CofferRequestError) || Date.now() > deadline) throw err; // half written: read again
      }
    }
    if (Date.now() > deadline || stopped()) {
      throw new Error(`scheduler credentials ${path} did not appear within ${timeoutMs} ms (the vault writes them on its first start; set COFFER_SCHEDULER_CREDENTIALS)`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
