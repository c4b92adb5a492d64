import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Caller } from './caller';

const callers = new WeakMap<object, Caller>();

/** Remembers the authenticated caller of one request (keyed by its transport context). */
export const setCaller = (requestContext: object, caller: Caller): void => void callers.set(requestContext, caller);

/** The authenticated caller of a request, if the gate has set one. */
export const callerOf = (requestContext: object): Caller | undefined => callers.get(requestContext);

/** The authenticated caller; the access-control gate has set it for every non-anonymous handler. */
export const CurrentCaller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Caller => {
  const caller = callerOf(ctx.switchToRpc().getContext<object>());
  if (!caller) throw new Error('CurrentCaller used on a handler that is not authenticated');
  return caller;
});
