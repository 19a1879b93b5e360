/**
 * Answers `textDocument/codeLens` at once for the document's current version: the editor already
 * debounces its CodeLens requests, so the server does not wait again. Looks up the parsed document
 * and settings, then delegates to `services/lens-pass.ts` with the prediction model; predictions share
 * one time budget, and what it leaves out is completed in the background and followed by
 * `workspace/codeLens/refresh` (prediction-host.ts).
 */
import { performance } from 'node:perf_hooks';
import type { ServerContext } from '../context';
import { TIME_BUDGET_MS } from '../prediction/prediction-host';
import { codeLensPass } from '../services/lens-pass';

/** Registers the CodeLens handler. */
export function registerCodeLensHandler(ctx: ServerContext): void {
  const { predictions } = ctx;
  ctx.connection.onCodeLens(async ({ textDocument: { uri } }, token) => {
    const settings = await ctx.settings.get(uri);
    if (token.isCancellationRequested) return null;
    // The budget counts from here, parsing included, so a large file's lenses stay within it.
    const deadline = performance.now() + TIME_BUDGET_MS;
    const manifest = ctx.documents.manifest(uri);
    const doc = ctx.documents.get(uri);
    if (manifest === undefined || doc === undefined) return [];
    const model = predictions.model(predictions.profile(uri, doc.getText(), settings.schedulerProfile));
    const lenses = codeLensPass(
      { uri, version: doc.version },
      manifest,
      ctx.cluster.status,
      { enabled: settings.codeLensEnabled },
      model,
      deadline,
    );
    predictions.catchUp(uri, settings.schedulerProfile);
    return lenses;
  });
}
