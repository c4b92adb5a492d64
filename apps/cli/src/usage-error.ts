/** A command line the CLI refuses before sending anything (exit code 2, like a commander usage error). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
