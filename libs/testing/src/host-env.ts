/**
 * Sets an environment variable where native code sees it.
 *
 * Jest gives each test file a copy of process.env, so an assignment there never reaches getenv()
 * in a native module (SoftHSM reads SOFTHSM2_CONF at C_Initialize). Functions built by the host
 * realm's Function constructor (reached through Buffer, which Jest takes from the host) see the
 * real process. Outside Jest this is the same object as process.env. Test-only.
 */
type EnvSetter = (name: string, value: string | undefined) => string | undefined;

const hostSetEnv = (Buffer as unknown as { constructor: FunctionConstructor }).constructor(
  'name',
  'value',
  'const previous = process.env[name]; if (value === undefined) delete process.env[name]; else process.env[name] = value; return previous;',
) as EnvSetter;

/** Sets `name` in the host and the sandbox environment; returns a function that restores both. */
export function setHostEnv(name: string, value: string | undefined): () => void {
  const previousSandbox = process.env[name];
  const previousHost = hostSetEnv(name, value);
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  return () => {
    hostSetEnv(name, previousHost);
    if (previousSandbox === undefined) delete process.env[name];
    else process.env[name] = previousSandbox;
  };
}
