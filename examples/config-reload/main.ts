import { CofferClient } from '@coffer/client';
import { ConfigReloader } from './config-reloader';

/**
 * `COFFER_CREDENTIALS=app.credentials node dist/examples/config-reload/main.js demo db-password`:
 * prints a line each time the configuration is reloaded.
 */
async function main(): Promise<void> {
  const [vault = 'demo', ...secrets] = process.argv.slice(2);
  const client = await CofferClient.connect();
  const reloader = new ConfigReloader(client, {
    vault, secrets: secrets.length ? secrets : ['db-password'],
    reload: (name) => console.log(`${new Date().toISOString()} reloaded configuration: ${name} has a new version`),
  });
  reloader.start();
  process.once('SIGINT', () => void reloader.stop().then(() => client.close()));
}

void main();
