/** Asks the client to re-request CodeLenses, when it supports that. */
import { CodeLensRefreshRequest } from 'vscode-languageserver';
import type { ServerContext } from './context';

/** Sends `workspace/codeLens/refresh` if the client declared support; failures are ignored (the next edit refreshes anyway). */
export function refreshCodeLenses(ctx: ServerContext): void {
  if (!ctx.codeLensRefresh) return;
  ctx.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
}
