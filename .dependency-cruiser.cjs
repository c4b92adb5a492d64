/**
 * The layering that holds today, checked by `npm test` (npm run lint:deps). Tests and test helpers
 * are exempt from the layering rules (they assemble whole stacks), not from the cycle rule.
 */
const notTests = '\\.(spec|int-spec|e2e-spec)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make start-up order and refactoring fragile.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-and-contracts-are-pure',
      severity: 'error',
      comment: 'The domain decides, the contracts describe, x509 and crypto encode: none touches infrastructure (NATS, databases, the HSM, NestJS).',
      from: { path: '^libs/(domain|contracts|x509|crypto)/', pathNot: notTests },
      to: { path: '^(apps/|libs/(?!domain/|contracts/|x509/|crypto/))|node_modules/(nats|typeorm|pkcs11js|@nestjs|better-sqlite3|pg)/' },
    },
    {
      name: 'domain-imports-only-contracts',
      severity: 'error',
      comment: 'Besides the contracts, the domain may use x509\'s pure name and usage validation (certificate policies).',
      from: { path: '^libs/domain/', pathNot: notTests },
      to: { path: '^libs/(?!domain/|contracts/|x509/)' },
    },
    {
      name: 'no-lib-imports-an-app',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'only-the-crypto-worker-loads-pkcs11js',
      severity: 'error',
      comment: 'The HSM session (and its PIN) lives in the crypto-worker alone; libs/hsm is its library.',
      from: { path: '^', pathNot: ['^apps/crypto-worker/', '^libs/hsm/', '^libs/testing/', notTests, '^bench/'] },
      to: { path: '(node_modules/pkcs11js/|^libs/hsm/)' },
    },
    {
      name: 'cli-and-sdk-never-import-the-domain',
      severity: 'error',
      comment: 'Clients speak the wire protocol (contracts); decisions are the vault\'s.',
      from: { path: '^(apps/cli|libs/client)/', pathNot: notTests },
      to: { path: '^libs/(domain|read-model|sql|event-store|hsm|audit)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
