import { chmodSync, existsSync, lstatSync } from 'node:fs';

/**
 * Coffer's state (NATS passwords, PIN files, token objects, read models, audit chain, logs, pid
 * files, credentials) is for the user that runs it and nobody else: every file is created 0600 and
 * every folder 0700, whatever umask the process was started with.
 */
export const PRIVATE_UMASK = 0o077;
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Sets the process umask to 0077. Called first thing by every entry point (apps, CLI): files made
 * later by this process, or by libraries and children it starts (SQLite, SoftHSM, nats.js), get no
 * group or other bits. (SQLite gives -wal/-shm the database file's mode; see tightenPrivateFile.)
 */
export function usePrivateUmask(): void {
  process.umask(PRIVATE_UMASK);
}

/**
 * Removes group/other bits from an existing regular file made by an older version (under a wider
 * umask). A missing file, a symlink (chmod would follow it out of Coffer's state) and a file of
 * another user (not ours to change) are left alone.
 */
export function tightenPrivateFile(path: string): void {
  if (!existsSync(path)) return;
  const stat = lstatSync(path);
  if (!stat.isFile() || (stat.mode & 0o077) === 0 || stat.uid !== process.getuid?.()) return;
  chmodSync(path, stat.mode & 0o700);
}
