import { CofferRequestError } from '@coffer/client';
import { CommanderError } from 'commander';
import { exitCodeFor, ExitCodes } from './exit-codes';
import { UsageError } from './usage-error';

const requestError = (code: string, inner?: string) => new CofferRequestError(code, 'm', 'coffer.v1.status', inner);

describe('exitCodeFor', () => {
  it.each([
    ['BadParameter', ExitCodes.Usage],
    ['VaultNotFound', ExitCodes.NotFound],
    ['SecretNotFound', ExitCodes.NotFound],
    ['KeyNotFound', ExitCodes.NotFound],
    ['Conflict', ExitCodes.Conflict],
    ['Unauthorized', ExitCodes.AccessDenied],
    ['Forbidden', ExitCodes.AccessDenied],
    ['Throttled', ExitCodes.Error],
    ['ServiceUnavailable', ExitCodes.Error],
    ['RequestTimeout', ExitCodes.Error],
    ['InternalError', ExitCodes.Error],
  ])('maps %s to %i', (code, exit) => {
    expect(exitCodeFor(requestError(code))).toBe(exit);
  });

  it('uses the outer code: Conflict/ObjectIsDeletedButRecoverable is a conflict', () => {
    expect(exitCodeFor(requestError('Conflict', 'ObjectIsDeletedButRecoverable'))).toBe(4);
  });

  it.each([
    ['NotFound', 'PrincipalNotFound'],
    ['NotFound', 'RoleAssignmentNotFound'],
  ])('maps a missing principal or role assignment (%s/%s) to 3', (code, inner) => {
    expect(exitCodeFor(requestError(code, inner))).toBe(ExitCodes.NotFound);
  });

  it('Unauthorized and Forbidden are 5 whatever the inner code', () => {
    for (const inner of ['TokenExpired', 'TokenMissing', 'TokenInvalid', 'TokenRevoked', 'InvalidCredential']) expect(exitCodeFor(requestError('Unauthorized', inner))).toBe(5);
    expect(exitCodeFor(requestError('Forbidden', 'ForbiddenByRbac'))).toBe(5);
  });

  it('maps usage errors to 2, help to 0, and anything else to 1', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new CommanderError(1, 'commander.missingMandatoryOptionValue', 'x'))).toBe(2);
    expect(exitCodeFor(new CommanderError(1, 'commander.help', '(outputHelp)'))).toBe(2);
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toBe(0);
    expect(exitCodeFor(new CommanderError(0, 'commander.help', '(outputHelp)'))).toBe(0); // `coffer help secret`
    expect(exitCodeFor(new Error('boom'))).toBe(1);
    expect(exitCodeFor('weird')).toBe(1);
  });
});
