/** Answers `kube/predictionDetails` for the pod spec a CodeLens points at. */
import { predictionDetails } from '../../shared/protocol';
import type { ServerContext } from '../context';
import { describePrediction } from '../services/prediction-details';

/** Registers the prediction-details handler. */
export function registerPredictionDetailsHandler(ctx: ServerContext): void {
  ctx.connection.onRequest(predictionDetails, (ref) => {
    const manifest = ctx.documents.manifest(ref.uri);
    if (manifest === undefined) return null;
    return describePrediction(manifest, ref, ctx.cluster.status);
  });
}
