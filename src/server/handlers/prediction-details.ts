/** Answers `kube/predictionDetails` for the pod spec a CodeLens points at, and `kube/livePodDetails` for Why Pending?. */
import { livePodDetails as livePodDetailsRequest, predictionDetails } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { livePodDetails, specDetails } from '../services/details-request';

/** Registers the prediction-details handlers. */
export function registerPredictionDetailsHandler(ctx: ServerContext): void {
  const { predictions } = ctx;
  ctx.connection.onRequest(predictionDetails, async (ref) => {
    const manifest = ctx.documents.manifest(ref.uri);
    const text = ctx.documents.get(ref.uri)?.getText();
    if (manifest === undefined || text === undefined) return null;
    const settings = await ctx.settings.get(ref.uri);
    const model = predictions.model(predictions.profile(ref.uri, text, settings.schedulerProfile));
    return specDetails(manifest, ref, ctx.cluster.status, model);
  });
  ctx.connection.onRequest(livePodDetailsRequest, async ({ namespace, name }) => {
    if (predictions.view() === undefined) return null;
    const settings = await ctx.settings.get('');
    const model = predictions.model(predictions.profile('', '', settings.schedulerProfile));
    return livePodDetails(namespace, name, ctx.cluster.status, model);
  });
}
