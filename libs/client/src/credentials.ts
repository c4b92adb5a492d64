import { readFileSync } from 'node:fs';
import { nkeys } from 'nats';
import { invalidArgument } from './errors';

/** A client secret, exchanged for an access token on `auth.token`. */
export interface ClientSecretCredentials {
  clientId: string;
  clientSecret: string;
}

/** An Ed25519 key as a NATS nkey seed (`SU…`): signs a nonce from `auth.challenge`; the seed is never sent. */
export interface KeyCredentials {
  clientId: string;
  seed: string;
}

/** An access token obtained elsewhere (COFFER_TOKEN, `coffer login`): used as is, never refreshed. */
export interface TokenCredentials {
  token: string;
}

export type ExchangeableCredentials = ClientSecretCredentials | KeyCredentials;
export type ClientCredentials = ExchangeableCredentials | TokenCredentials;

export const CredentialEnv = {
  /** A raw access token. */
  token: 'COFFER_TOKEN',
  /** Path of a JSON credentials file: {clientId, clientSecret} or {clientId, seed}. */
  credentials: 'COFFER_CREDENTIALS',
} as const;

export function isTokenCredentials(c: ClientCredentials): c is TokenCredentials {
  return 'token' in c;
}

export function isKeyCredentials(c: ClientCredentials): c is KeyCredentials {
  return 'seed' in c && !('token' in c);
}

/** Checks credentials a caller built (or a file held); throws BadParameter/InvalidArgument naming `source`. */
export function parseCredentials(value: unknown, source = 'credentials'): ClientCredentials {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument(`${source} must be a JSON object`);
  const c = value as Record<string, unknown>;
  const str = (key: string) => (typeof c[key] === 'string' && (c[key] as string).trim() !== '' ? (c[key] as string).trim() : undefined);
  const token = str('token') ?? str('accessToken');
  if (token) return { token };
  const clientId = str('clientId');
  if (!clientId) throw invalidArgument(`${source} has no clientId (expected {"clientId","clientSecret"} or {"clientId","seed"})`);
  const clientSecret = typeof c.clientSecret === 'string' && c.clientSecret !== '' ? c.clientSecret : undefined;
  const seed = str('seed');
  if (clientSecret !== undefined && seed !== undefined) throw invalidArgument(`${source} has both clientSecret and seed: keep one`);
  if (clientSecret !== undefined) return { clientId, clientSecret };
  if (seed !== undefined) {
    assertSeed(seed, source);
    return { clientId, seed };
  }
  throw invalidArgument(`${source} has neither clientSecret nor seed`);
}

/** Reads a JSON credentials file such as $COFFER_HOME/admin.credentials. */
export function readCredentialsFile(path: string): ClientCredentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw invalidArgument(`cannot read credentials file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidArgument(`credentials file ${path} is not JSON`);
  }
  return parseCredentials(json, `credentials file ${path}`);
}

/** COFFER_TOKEN, else the file COFFER_CREDENTIALS names, else undefined. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): ClientCredentials | undefined {
  const token = env[CredentialEnv.token]?.trim();
  if (token) return { token };
  const file = env[CredentialEnv.credentials]?.trim();
  if (file) return readCredentialsFile(file);
  return undefined;
}

// nats.js types `nkeys` as any: the few calls used here, typed.
interface NKeyPair {
  getPublicKey(): string;
  getSeed(): Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}
const nk = nkeys as { fromSeed(seed: Uint8Array): NKeyPair; createUser(): NKeyPair };

function keyPair(seed: string, source = 'seed'): NKeyPair {
  try {
    return nk.fromSeed(Buffer.from(seed.trim()));
  } catch {
    throw invalidArgument(`${source} is not a NATS nkey seed (SU…)`);
  }
}

function assertSeed(seed: string, source: string): void {
  if (!seed.startsWith('S')) throw invalidArgument(`${source}: the seed is not a NATS nkey seed (SU…)`);
  keyPair(seed, source);
}

/** The base64 Ed25519 signature over the UTF-8 bytes of `nonce`, as auth.token wants it. */
export function signNonce(seed: string, nonce: string): string {
  return Buffer.from(keyPair(seed).sign(Buffer.from(nonce, 'utf8'))).toString('base64');
}

/** The public key (nkey `U…`) of a seed. */
export function publicKeyOfSeed(seed: string): string {
  return keyPair(seed).getPublicKey();
}

/** A new Ed25519 key pair as an nkey seed (`SU…`) and public key (`U…`). */
export function createKeyPair(): { seed: string; publicKey: string } {
  const kp = nk.createUser();
  return { seed: Buffer.from(kp.getSeed()).toString('utf8'), publicKey: kp.getPublicKey() };
}
