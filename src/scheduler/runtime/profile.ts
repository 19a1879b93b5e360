/**
 * The default profile's score weights, and resolving any v1 profile into per-extension-point
 * plugin lists, after pkg/scheduler/apis/config/v1/default_plugins.go and
 * pkg/scheduler/framework/runtime/framework.go (`expandMultiPointPlugins`, `getScoreWeights`).
 *
 * Contract: `DEFAULT_SCORE_WEIGHTS` are the weights of the default MultiPoint list
 * (`config/default-plugins.ts`, upstream order); `resolveV1Profile` applies v1 defaulting
 * (plugin-set merge, args defaults) and MultiPoint expansion via src/scheduler/config, returning
 * errors as values.
 */
import { DEFAULT_MULTI_POINT } from '../config/default-plugins';
import { defaultProfile } from '../config/defaults';
import { resolveProfile } from '../config/expand';
import type { SchedulerProfile, V1Profile } from '../config/types';
import { DEFAULT_SCHEDULER_NAME } from '../config/types';

/** Score weights of the default profile by plugin name (§1 of the spec; unlisted score plugins weigh 1). */
export const DEFAULT_SCORE_WEIGHTS: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(DEFAULT_MULTI_POINT.filter((p) => p.weight !== undefined).map((p) => [p.name, p.weight!])),
);

/**
 * Resolves a user v1 profile (merged over the defaults, as kube-scheduler does) into the runtime
 * shape. `globalPercentage` is the configuration-level percentageOfNodesToScore.
 */
export function resolveV1Profile(
  profile: V1Profile = {},
  globalPercentage?: number,
): { profile?: SchedulerProfile; errors: string[] } {
  const defaulted = defaultProfile({ schedulerName: DEFAULT_SCHEDULER_NAME, ...profile });
  const r = resolveProfile('profile', defaulted, globalPercentage);
  return r.profile ? { profile: r.profile, errors: [] } : { errors: r.errors.map((e) => e.message) };
}
