import { VaultFeature } from '../vault-feature';
import { AddCredentialHandler } from './add-credential.handler';
import { CreatePrincipalHandler } from './create-principal.handler';
import { DisablePrincipalHandler } from './disable-principal.handler';
import { EnablePrincipalHandler } from './enable-principal.handler';
import { ListPrincipalsHandler } from './list-principals.handler';
import { PrincipalStateLoader } from './principal-state.loader';
import { PrincipalWriter } from './principal-writer';
import { RemoveCredentialHandler } from './remove-credential.handler';
import { ShowPrincipalHandler } from './show-principal.handler';

/** Principals (users, services) and their credentials. */
export const PRINCIPAL_FEATURE: VaultFeature = {
  controllers: [
    CreatePrincipalHandler, ListPrincipalsHandler, ShowPrincipalHandler, DisablePrincipalHandler, EnablePrincipalHandler, AddCredentialHandler, RemoveCredentialHandler,
  ],
  providers: [PrincipalStateLoader, PrincipalWriter],
};
