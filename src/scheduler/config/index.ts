/**
 * KubeSchedulerConfiguration support: parse, default, validate and resolve profiles.
 *
 * Contract: the public surface of `src/scheduler/config`; see each module for details.
 */
export * from './types';
export {
  loadConfiguration,
  defaultSchedulerProfile,
  profileForSchedulerName,
  type LoadResult,
  type LoadOptions,
} from './load';
export { validateConfiguration } from './validation';
export { defaultConfiguration, defaultProfile, ARGS_DEFAULTERS } from './defaults';
export { DEFAULT_MULTI_POINT, IN_TREE_EXTENSION_POINTS, getDefaultPlugins, mergePlugins } from './default-plugins';
export { resolveProfile, type CapabilityTable } from './expand';
export type { FieldError, FieldErrorType } from './field-error';
