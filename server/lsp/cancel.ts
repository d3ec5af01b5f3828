/**
 * Request plumbing: every handler is guarded (an exception is logged and never kills the server)
 * and cancellable (a cancelled request answers at once). An exception answers with an empty
 * result (`fallback`), or, given `ANSWER_ERROR`, with a ResponseError that says what failed: for
 * requests whose empty answer would read as "there is nothing" (kubefed/placement).
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { ServerContext } from './context.ts';

export type Handler<P, R> = (ctx: ServerContext, params: P, token: CancellationToken) => R | Promise<R>;

/** `guard`'s fallback for requests that answer a failure with an error. */
export const ANSWER_ERROR: unique symbol = Symbol('answer with an error');

export function guard<P, R>(ctx: ServerContext, name: string, handler: Handler<P, R>, fallback: R | typeof ANSWER_ERROR) {
  return async (params: P, token: CancellationToken): Promise<R> => {
    if (token?.isCancellationRequested) throw cancelled();
    try {
      // A large document that is still being parsed in steps: answer on the whole of it.
      const uri = (params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
      const feeding = typeof uri === 'string' ? ctx.docs.feedingOf(uri) : undefined;
      if (feeding) {
        await feeding;
        if (token?.isCancellationRequested) throw cancelled();
      }
      const r = await handler(ctx, params, token);
      if (token?.isCancellationRequested) throw cancelled();
      return r;
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      ctx.connection.console.error(`${name} failed: ${e instanceof Error ? e.stack : String(e)}`);
      if (fallback === ANSWER_ERROR) throw new ResponseError(ErrorCodes.InternalError, `${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      return fallback;
    }
  };
}

export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}
