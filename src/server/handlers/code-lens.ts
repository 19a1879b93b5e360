/** Answers `textDocument/codeLens`: wait for the edit to settle, look up the parsed document and settings, then delegate. */
import { computeCodeLenses } from '../services/code-lens';
import type { ServerContext } from '../context';
import { performance } from 'node:perf_hooks';
import { predictionHost, TIME_BUDGET_MS } from '../prediction/prediction-host';

/** Registers the CodeLens handler. */
export function registerCodeLensHandler(ctx: ServerContext): void {
  const host = predictionHost(ctx);
  ctx.connection.onCodeLens(async ({ textDocument: { uri } }, token) => {
    const settings = await ctx.settings.get(uri);
    const wait = host.settleDelay(uri, settings.predictionDebounceMs);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (token.isCancellationRequested) return null;
    // The budget counts from here, parsing included, so a large file's lenses stay within it.
    const deadline = performance.now() + TIME_BUDGET_MS;
    const manifest = ctx.documents.manifest(uri);
    const doc = ctx.documents.get(uri);
    if (manifest === undefined || doc === undefined) return [];
    const resolution = host.profile(uri, doc.getText(), settings.schedulerProfile);
    const ns = host.defaultNamespace();
    // Specs changed by the edit are always computed; stale ones after a cluster change share a time budget.
    const lenses = computeCodeLenses(
      { uri, version: doc.version },
      manifest,
      ctx.cluster.status,
      { enabled: settings.codeLensEnabled },
      (d, s) => ({
        verdict: host.verdict(d, s, resolution, deadline),
        live: host.liveObjects(d, s, ns),
      }),
    );
    host.catchUp();
    return lenses;
  });
}
