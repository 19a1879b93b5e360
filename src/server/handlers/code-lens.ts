/**
 * Answers `textDocument/codeLens` at once for the document's current version: the editor already
 * debounces its CodeLens requests, so the server does not wait again. Looks up the parsed document
 * and settings, then delegates; predictions share one time budget, and what it leaves out is
 * completed in the background and followed by `workspace/codeLens/refresh` (prediction-host.ts).
 */
import { computeCodeLenses } from '../services/code-lens';
import type { ServerContext } from '../context';
import { performance } from 'node:perf_hooks';
import { predictionHost, TIME_BUDGET_MS } from '../prediction/prediction-host';

/** Registers the CodeLens handler. */
export function registerCodeLensHandler(ctx: ServerContext): void {
  const host = predictionHost(ctx);
  ctx.connection.onCodeLens(async ({ textDocument: { uri } }, token) => {
    const settings = await ctx.settings.get(uri);
    if (token.isCancellationRequested) return null;
    // The budget counts from here, parsing included, so a large file's lenses stay within it.
    const deadline = performance.now() + TIME_BUDGET_MS;
    const manifest = ctx.documents.manifest(uri);
    const doc = ctx.documents.get(uri);
    if (manifest === undefined || doc === undefined) return [];
    const resolution = host.profile(uri, doc.getText(), settings.schedulerProfile);
    const ns = host.defaultNamespace();
    // Within the budget: first the specs with no verdict (the one an edit changed), then those a cluster
    // change made stale; past it, "predicting…" lenses and stale verdicts, which the background completes.
    if (ctx.cluster.status.state === 'connected' && settings.codeLensEnabled)
      host.predictNew(manifest, resolution, deadline);
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
    host.catchUp(uri, settings.schedulerProfile);
    return lenses;
  });
}
