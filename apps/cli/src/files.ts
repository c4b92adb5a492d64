import { open, readFile } from 'node:fs/promises';
import { UsageError } from './usage-error';

/** `--file PATH` where `-` means stdin (reading) or stdout (writing). */
export const STDIO_PATH = '-';

/** The whole file (or stdin) as UTF-8, exactly as it is: a trailing newline is part of the value. */
export async function readTextInput(path: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (path === STDIO_PATH) return readStream(stdin);
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** The whole file (or stdin) as bytes. */
export async function readBytesInput(path: string, stdin: NodeJS.ReadableStream): Promise<Buffer> {
  if (path === STDIO_PATH) return readStreamBytes(stdin);
  try {
    return await readFile(path);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Raw bytes to a file (0600: it may hold a decrypted value or an unwrapped key) or to stdout. */
export async function writeBytesOutput(path: string, bytes: Buffer, stdout: { write(data: string | Uint8Array): unknown }): Promise<void> {
  if (path === STDIO_PATH) {
    stdout.write(bytes);
    return;
  }
  try {
    await writePrivate(path, bytes);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function writeTextOutput(path: string, text: string, stdout: { write(text: string): unknown }): Promise<void> {
  if (path === STDIO_PATH) {
    stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  try {
    // Backups hold every version of a secret (encrypted); keep them private to the user.
    await writePrivate(path, Buffer.from(text, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * Creates or truncates `path` 0600 whatever the umask; an existing file of a wider mode is made
 * private before anything is written to it (the mode given to open applies to new files only).
 */
async function writePrivate(path: string, bytes: Buffer): Promise<void> {
  const file = await open(path, 'w', 0o600);
  try {
    await file.chmod(0o600);
    await file.writeFile(bytes);
  } finally {
    await file.close();
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  return (await readStreamBytes(stream)).toString('utf8');
}

async function readStreamBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
