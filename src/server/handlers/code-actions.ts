/** Answers `textDocument/codeAction` with the quick fixes of our diagnostics (`prediction/code-actions.ts`). */
import type { ServerContext } from '../context';
import { quickFixActions } from '../prediction/code-actions';

/** Registers the code-action handler. */
export function registerCodeActionHandler(ctx: ServerContext): void {
  ctx.connection.onCodeAction(({ textDocument: { uri }, context }) => {
    const text = ctx.documents.get(uri);
    return text === undefined ? [] : quickFixActions(text, context.diagnostics, context.only);
  });
}
