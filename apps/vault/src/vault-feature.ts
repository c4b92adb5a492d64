import { Provider, Type } from '@nestjs/common';

/** One feature of the vault (a folder): its request handlers and the providers they need. VaultModule only composes features. */
export interface VaultFeature {
  controllers: Type[];
  providers: Provider[];
}
