// Tiers by file name: *.spec.ts unit, *.int-spec.ts integration (real NATS/SoftHSM/DB), *.e2e-spec.ts end to end.
const swc = JSON.parse(require('fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const { compilerOptions } = require('./tsconfig.json');
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);
const base = { transform: { '^.+\\.ts$': ['@swc/jest', swc] }, moduleNameMapper, testEnvironment: 'node' };
module.exports = {
  // Jest reads testTimeout only at the root (not per project): integration and e2e tests need room.
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,chaos}/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
