import { alreadyExists } from '../lifecycle/soft-delete.rules';
import { badParameter, CertificateRevoked, conflict, EVENT_VERSIONS, InnerErrorCodes, IssuerCreated, IssuerEvent, IssuerRecord, notFound, RevocationRecord } from '@coffer/contracts';
import { Decisions } from '../decisions';
import { NewEvent } from '../new-event';

/** Decision state of one internal CA: whether it exists, its CRL number, and the serials it has revoked. */
export interface IssuerState {
  exists: boolean;
  sequence: number;
  crlNumber: number;
  revokedSerials: string[];
}
export const absentIssuer = (sequence = 0): IssuerState => ({ exists: false, sequence, crlNumber: 0, revokedSerials: [] });

export interface CreateIssuer {
  type: 'CreateIssuer';
  issuer: IssuerRecord;
}
export interface RevokeCertificate {
  type: 'RevokeCertificate';
  issuer: string;
  revocation: RevocationRecord;
}
export type IssuerCommand = CreateIssuer | RevokeCertificate;

export const issuerNotFound = (name: string) => notFound(`Issuer '${name}' was not found.`, InnerErrorCodes.IssuerNotFound);
/** Canonical serial form: lower-case hex without leading zero octets (as parseCertificate shows them). */
export const canonicalSerial = (hex: string): string => {
  const s = hex.toLowerCase().replace(/^(00)+(?=..)/, '');
  return s.length % 2 === 1 ? `0${s}` : s;
};

/** The event each command decides (a writer types a command's outcome by it). */
export interface IssuerDecisions extends Decisions<IssuerCommand, IssuerEvent> {
  CreateIssuer: IssuerCreated;
  RevokeCertificate: CertificateRevoked;
}

export function decideIssuer(command: IssuerCommand, state: IssuerState): NewEvent<IssuerEvent>[] {
  switch (command.type) {
    case 'CreateIssuer':
      if (state.exists) throw alreadyExists('Issuer', command.issuer.name);
      return [{ type: 'IssuerCreated', version: EVENT_VERSIONS.IssuerCreated, data: command.issuer }];
    case 'RevokeCertificate': {
      if (!state.exists) throw issuerNotFound(command.issuer);
      const serialNumber = canonicalSerial(command.revocation.serialNumber);
      if (!/^[0-9a-f]+$/.test(serialNumber)) throw badParameter('serialNumber must be hex.');
      if (state.revokedSerials.includes(serialNumber)) {
        throw conflict(`Serial ${serialNumber} is already revoked by issuer '${command.issuer}'.`, InnerErrorCodes.ObjectAlreadyExists);
      }
      return [{
        type: 'CertificateRevoked',
        version: EVENT_VERSIONS.CertificateRevoked,
        data: { issuer: command.issuer, crlNumber: state.crlNumber + 1, ...command.revocation, serialNumber },
      }];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${(unreachable as IssuerCommand).type}`);
    }
  }
}
