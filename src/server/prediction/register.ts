/**
 * Registers the prediction features that have no handler file of their own: scheduling hovers and
 * the quick fixes of our diagnostics. (Diagnostics are pushed by the prediction host on edits and
 * cluster changes.)
 */
import type { ServerContext } from '../context';
import { predictOn } from '../../scheduler';
import { validatePod } from '../../scheduler/predict/validate-input';
import { quickFixActions } from './code-actions';
import { schedulingHover } from './hover';
import { admitPriority, podFromSpec } from './pod-from-spec';
import { predictionHost } from './prediction-host';

/** Registers `textDocument/hover` for scheduling fields and `textDocument/codeAction` (quick fixes). */
export function registerPredictionFeatures(ctx: ServerContext): void {
  const host = predictionHost(ctx);
  ctx.connection.onCodeAction(({ textDocument: { uri }, context }) => {
    const text = ctx.documents.get(uri);
    return text === undefined ? [] : quickFixActions(text, context.diagnostics, context.only);
  });
  ctx.connection.onHover(async ({ textDocument: { uri }, position }) => {
    const text = ctx.documents.get(uri);
    const manifest = ctx.documents.manifest(uri);
    if (text === undefined || manifest === undefined) return null;
    const offset = text.offsetAt(position);
    const doc = manifest.find((d) => offset >= d.startOffset && offset <= d.endOffset);
    const spec = doc?.podSpecs.find((s) => s.node !== undefined && offset >= s.node.start && offset <= s.node.end);
    if (doc === undefined || spec === undefined) return null;
    const settings = await ctx.settings.get(uri);
    const resolution = host.profile(uri, text.getText(), settings.schedulerProfile);
    const ns = host.defaultNamespace();
    const pod = podFromSpec(doc, spec, ns);
    const view = host.view();
    const predict =
      view === undefined
        ? undefined
        : (p: typeof pod) => {
            const errs = validatePod(p);
            if (errs.length > 0) return errs.map((e) => e.message).join('; ');
            const profile = host.engine.profileFor(p, resolution.choice);
            if (Array.isArray(profile)) return profile.map((e) => e.message).join('; ');
            const admitted = admitPriority(p, view.snapshot);
            if (admitted.error !== undefined) return admitted.error.message;
            p = admitted.pod;
            try {
              return predictOn(p as never, view.snapshot, profile, { mode: 'all-nodes', detail: 'summary' });
            } catch (e) {
              return e instanceof Error ? e.message : String(e);
            }
          };
    const live = host.livePod(doc, ns);
    const run = (): ReturnType<typeof schedulingHover> =>
      schedulingHover(spec, pod, offset, predict, (o) => text.positionAt(o));
    return view !== undefined && live !== undefined ? host.withoutLivePod(view, live, run) : run();
  });
}
