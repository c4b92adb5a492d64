/** Where the CLI reads and writes: the process's streams, or buffers in tests. */
export interface CliIo {
  stdout: { write(data: string | Uint8Array): unknown };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}
