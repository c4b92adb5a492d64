/** The database URL cannot be used (caller/configuration error, never retried). */
export class DbUrlError extends Error {
  readonly code = 'DbUrlError';
  constructor(message: string) {
    super(message);
    this.name = 'DbUrlError';
  }
}
