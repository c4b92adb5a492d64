/**
 * `coffer` starts in a fraction of a second because its module graph holds only what a command
 * needs (issue 14: secret show ≤ 0.3 s wall). The services' libraries are traps here: loading any of
 * them while the CLI's modules load fails this test.
 */
const SERVICE_LIBRARIES = ['class-validator', 'class-transformer', 'reflect-metadata', '@nestjs/common', '@nestjs/core', '@peculiar/x509', 'cli-table3'];

describe('CLI start-up', () => {
  beforeEach(() => {
    jest.resetModules();
    for (const name of SERVICE_LIBRARIES) {
      jest.doMock(name, () => {
        throw new Error(`${name} was loaded`);
      });
    }
  });

  it('loads none of the services\' libraries (request classes, NestJS, x509, tables)', async () => {
    await expect(jest.isolateModulesAsync(async () => void (await import('./main')))).resolves.toBeUndefined();
  });

  it('would notice: the full contracts entry loads class-validator', async () => {
    await expect(jest.isolateModulesAsync(async () => void (await import('@coffer/contracts')))).rejects.toThrow(/was loaded/);
  });
});
