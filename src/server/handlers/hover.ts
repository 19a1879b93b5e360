/** Answers `textDocument/hover` on the scheduling fields of a pod spec (`services/scheduling-hover.ts`). */
import type { ServerContext } from '../context';
import { hoverAt, podSpecAt } from '../services/scheduling-hover';

/** Registers the hover handler. */
export function registerHoverHandler(ctx: ServerContext): void {
  const { predictions } = ctx;
  ctx.connection.onHover(async ({ textDocument: { uri }, position }) => {
    const text = ctx.documents.get(uri);
    const manifest = ctx.documents.manifest(uri);
    if (text === undefined || manifest === undefined) return null;
    const offset = text.offsetAt(position);
    const at = podSpecAt(manifest, offset);
    if (at === undefined) return null;
    const settings = await ctx.settings.get(uri);
    const model = predictions.model(predictions.profile(uri, text.getText(), settings.schedulerProfile));
    return hoverAt(text, at, offset, model);
  });
}
