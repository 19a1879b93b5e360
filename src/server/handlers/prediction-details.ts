/** Answers `kube/predictionDetails` for the pod spec a CodeLens points at, and `kube/livePodDetails` for Why Pending?. */
import { livePodDetails, predictionDetails, type PredictionDetails } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { detailsMarkdown } from '../prediction/details';
import { predictionHost } from '../prediction/prediction-host';
import { describePod, describePrediction } from '../services/prediction-details';
import type { PodObject } from '../prediction/pod-from-spec';

/** Registers the prediction-details handlers. */
export function registerPredictionDetailsHandler(ctx: ServerContext): void {
  const host = predictionHost(ctx);
  ctx.connection.onRequest(predictionDetails, async (ref) => {
    const manifest = ctx.documents.manifest(ref.uri);
    const text = ctx.documents.get(ref.uri)?.getText();
    if (manifest === undefined || text === undefined) return null;
    const settings = await ctx.settings.get(ref.uri);
    const resolution = host.profile(ref.uri, text, settings.schedulerProfile);
    const view = host.view();
    const doc = manifest.find((d) => d.index === ref.documentIndex);
    const spec = doc?.podSpecs.find((s) => s.path.join('.') === ref.path.join('.'));
    const verdict = doc !== undefined && spec !== undefined ? host.verdict(doc, spec, resolution) : undefined;
    const ns = host.defaultNamespace();
    const inputs = {
      status: ctx.cluster.status,
      snapshot: view?.snapshot,
      engine: host.engine,
      profile: resolution.choice,
      defaultNamespace: ns,
      verdict,
    };
    // After Create, the document's own pods are left out (predicted as if not created yet).
    const live = doc !== undefined && spec !== undefined ? host.liveObjects(doc, spec, ns) : [];
    if (view !== undefined && live.length > 0) {
      const d = host.withoutLivePods(view, live, () => describePrediction(manifest, ref, inputs));
      return d === null || doc?.kind !== 'Pod' ? d : withActual(d, live[0]!);
    }
    return describePrediction(manifest, ref, inputs);
  });
  ctx.connection.onRequest(livePodDetails, async ({ namespace, name }) => {
    const view = host.view();
    if (view === undefined) return null;
    const live = view.live.pod(namespace, name);
    if (live === undefined) return null;
    const settings = await ctx.settings.get('');
    const resolution = host.profile('', '', settings.schedulerProfile);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...(live.metadata as Record<string, unknown>), name, namespace },
      spec: { ...((live['spec'] as Record<string, unknown> | undefined) ?? {}) },
    } as PodObject;
    delete pod.spec['nodeName'];
    const d = host.withoutLivePod(view, live, () =>
      describePod(`Pod ${namespace}/${name}`, pod, {
        status: ctx.cluster.status,
        snapshot: view.snapshot,
        engine: host.engine,
        profile: resolution.choice,
        defaultNamespace: namespace,
        verdict: undefined,
      }),
    );
    return withActual(d, live);
  });
}

function withActual(d: PredictionDetails, live: { [k: string]: unknown }): PredictionDetails {
  const spec = live['spec'] as { nodeName?: string } | undefined;
  const status = live['status'] as
    | { phase?: string; conditions?: { type?: string; status?: string; message?: string; reason?: string }[] }
    | undefined;
  const cond = status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const actual: NonNullable<PredictionDetails['actual']> = {};
  if (spec?.nodeName) actual.nodeName = spec.nodeName;
  if (status?.phase !== undefined) actual.phase = status.phase;
  const msg = cond?.message ?? cond?.reason;
  if (msg !== undefined) actual.message = msg;
  const out = { ...d, actual };
  out.markdown = detailsMarkdown(out);
  return out;
}
