/** Answers `textDocument/codeLens`: look up the parsed document and settings, then delegate to the service. */
import { computeCodeLenses } from '../services/code-lens';
import type { ServerContext } from '../context';

/** Registers the CodeLens handler. */
export function registerCodeLensHandler(ctx: ServerContext): void {
  ctx.connection.onCodeLens(async ({ textDocument: { uri } }) => {
    const manifest = ctx.documents.manifest(uri);
    if (manifest === undefined) return [];
    const settings = await ctx.settings.get(uri);
    return computeCodeLenses(uri, manifest, ctx.cluster.status, { enabled: settings.codeLensEnabled });
  });
}
