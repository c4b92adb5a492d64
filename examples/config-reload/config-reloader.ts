import { ChangeSubscription, CofferClient } from '@coffer/client';

export interface ConfigReloaderOptions {
  vault: string;
  /** The secrets this application's configuration is made of. */
  secrets: string[];
  /** Called with the new value whenever one of them gets a new version. */
  reload(name: string, value: string): Promise<void> | void;
  /** Where to resume (a saved cursor); default: changes from now on. */
  fromSequence?: number;
}

/**
 * Reloads an application's configuration when one of its secrets gets a new version (after a
 * rotation, by the scheduler or by hand): follows the change feed, reads the new value, and
 * acknowledges the change only once it is applied (at-least-once: save `cursor` to resume).
 * Needs Coffer Events Reader and Key Vault Secrets User on the vault.
 */
export class ConfigReloader {
  private subscription?: ChangeSubscription;
  private done?: Promise<void>;

  constructor(private readonly client: CofferClient, private readonly options: ConfigReloaderOptions) {}

  start(): void {
    const { vault, secrets, reload, fromSequence } = this.options;
    const subscription = this.client.changes.subscribe({
      vault, types: ['SecretNewVersionCreated'], from: fromSequence === undefined ? 'now' : { sequence: fromSequence }, waitMs: 2_000,
    });
    this.subscription = subscription;
    this.done = (async () => {
      for await (const change of subscription) {
        const name = change.event.data.ObjectName;
        if (secrets.includes(name)) {
          const secret = await this.client.secrets(vault).get(name, change.event.data.Version);
          await reload(name, secret.value);
        }
        change.ack();
      }
    })();
  }

  /** The cursor to save: resume after the last acknowledged change. */
  get cursor(): number | undefined {
    return this.subscription?.cursor;
  }

  async stop(): Promise<void> {
    this.subscription?.stop();
    await this.done;
  }
}
