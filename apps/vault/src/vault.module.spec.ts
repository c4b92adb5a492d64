import 'reflect-metadata';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { VaultModule } from './vault.module';
import { ACCESS_RULE } from './auth/access.decorator';

const ANONYMOUS = ['coffer.v1.status', 'coffer.v1.auth.challenge', 'coffer.v1.auth.token'];

describe('access rules', () => {
  const controllers = VaultModule.forRoot({ logLevel: 'warn' } as never).controllers ?? [];
  const handlers = controllers.flatMap((c) => {
    const proto = (c as { prototype: Record<string, unknown> }).prototype;
    return Object.getOwnPropertyNames(proto).flatMap((m) => {
      const patterns = Reflect.getMetadata(PATTERN_METADATA, proto[m] as object) as string[] | undefined;
      return patterns ? [{ pattern: patterns[0], rule: Reflect.getMetadata(ACCESS_RULE, proto[m] as object) }] : [];
    });
  });

  it('covers every public handler; only status and the token exchange are anonymous', () => {
    expect(handlers.length).toBeGreaterThan(25);
    expect(handlers.filter((h) => !h.rule).map((h) => h.pattern)).toEqual([]);
    expect(handlers.filter((h) => h.rule.kind === 'anonymous').map((h) => h.pattern).sort()).toEqual([...ANONYMOUS].sort());
  });
});
