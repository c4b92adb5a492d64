import { RotationHookReply, RotationHookRequest } from '@coffer/contracts';
import { NatsConnection, Subscription } from 'nats';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface PostgresRotationHookOptions {
  /** The NATS subject the secret names in its `coffer-rotation-hook` tag. */
  subject: string;
  /** An administrative connection that may ALTER ROLE (never the rotated role's own). */
  adminUrl: string;
  /** The role whose password the secret holds. */
  role: string;
}

/**
 * A rotation hook for a PostgreSQL password: on each request it sets a fresh random password on
 * the role and answers it; the scheduler stores it as the secret's new version. The same request
 * id gets the same password (a scheduler that restarts or takes over asks again), so the database
 * and the vault cannot drift apart. Passwords are never logged.
 */
export function startPostgresRotationHook(nc: NatsConnection, options: PostgresRotationHookOptions): Subscription {
  let last: { requestId: string; password: string } | undefined;
  const encoder = new TextEncoder();
  return nc.subscribe(options.subject, {
    callback: (_err, msg) => {
      void (async () => {
        let reply: RotationHookReply;
        try {
          const request = JSON.parse(new TextDecoder().decode(msg.data)) as RotationHookRequest;
          if (last?.requestId !== request.requestId) {
            const password = randomBytes(24).toString('base64url');
            await alterPassword(options.adminUrl, options.role, password);
            last = { requestId: request.requestId, password };
          }
          reply = { value: last.password };
        } catch (err) {
          reply = { error: `rotation failed: ${(err as Error).name}` };
        }
        msg.respond(encoder.encode(JSON.stringify(reply)));
      })();
    },
  });
}

async function alterPassword(adminUrl: string, role: string, password: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // ALTER ROLE takes no bind parameters: quote the identifier and the literal.
    await client.query(`ALTER ROLE ${client.escapeIdentifier(role)} WITH PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
}
