/**
 * Loading a KubeSchedulerConfiguration: parse (JSON text, an object, or YAML text through a
 * caller-supplied parser such as js-yaml v4's `load`), check shapes, default, validate and
 * resolve the profiles.
 *
 * Contract: `loadConfiguration` never throws; it returns either the resolved configuration or
 * a non-empty list of field errors in upstream's wording. src/scheduler imports no YAML library
 * (ARCHITECTURE.md), so YAML parsing is injected.
 */
import { defaultConfiguration } from './defaults';
import { resolveProfile, type CapabilityTable } from './expand';
import { child, index, invalid, plain, required, type FieldError } from './field-error';
import type { ResolvedConfiguration, SchedulerProfile, V1Configuration } from './types';
import { CONFIG_API_VERSION, CONFIG_KIND, DEFAULT_SCHEDULER_NAME, EXTENSION_POINTS } from './types';
import { validateConfiguration } from './validation';

/** The result of loading: exactly one of `config` or `errors` is meaningful. */
export type LoadResult = { ok: true; config: ResolvedConfiguration } | { ok: false; errors: FieldError[] };

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks JSON types of the fields the model reads, so later stages can trust them. */
function checkShape(c: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const num = (path: string, v: unknown) => {
    if (v !== undefined && v !== null && typeof v !== 'number') errs.push(invalid(path, v, 'must be a number'));
  };
  num('parallelism', c['parallelism']);
  num('percentageOfNodesToScore', c['percentageOfNodesToScore']);
  num('podInitialBackoffSeconds', c['podInitialBackoffSeconds']);
  num('podMaxBackoffSeconds', c['podMaxBackoffSeconds']);
  const profiles = c['profiles'];
  if (profiles === undefined || profiles === null) return errs;
  if (!Array.isArray(profiles)) return [...errs, invalid('profiles', profiles, 'must be a list')];
  profiles.forEach((p: unknown, i: number) => {
    const path = index('profiles', i);
    if (!isObj(p)) {
      errs.push(invalid(path, p, 'must be an object'));
      return;
    }
    if (p['schedulerName'] !== undefined && typeof p['schedulerName'] !== 'string') {
      errs.push(invalid(child(path, 'schedulerName'), p['schedulerName'], 'must be a string'));
    }
    num(child(path, 'percentageOfNodesToScore'), p['percentageOfNodesToScore']);
    const plugins = p['plugins'];
    if (plugins !== undefined && plugins !== null) {
      if (!isObj(plugins)) errs.push(invalid(child(path, 'plugins'), plugins, 'must be an object'));
      else
        for (const point of ['multiPoint', ...EXTENSION_POINTS]) {
          const set = plugins[point];
          const sp = child(path, 'plugins', point);
          if (set === undefined || set === null) continue;
          if (!isObj(set)) {
            errs.push(invalid(sp, set, 'must be an object'));
            continue;
          }
          for (const which of ['enabled', 'disabled']) {
            const list = set[which];
            if (list === undefined || list === null) continue;
            if (!Array.isArray(list)) {
              errs.push(invalid(child(sp, which), list, 'must be a list'));
              continue;
            }
            list.forEach((pl: unknown, j: number) => {
              const pp = index(child(sp, which), j);
              if (!isObj(pl) || typeof pl['name'] !== 'string' || pl['name'] === '') {
                errs.push(required(child(pp, 'name')));
              } else if (pl['weight'] !== undefined && pl['weight'] !== null && typeof pl['weight'] !== 'number') {
                errs.push(invalid(child(pp, 'weight'), pl['weight'], 'must be an integer'));
              }
            });
          }
        }
    }
    const pcs = p['pluginConfig'];
    if (pcs !== undefined && pcs !== null) {
      if (!Array.isArray(pcs)) errs.push(invalid(child(path, 'pluginConfig'), pcs, 'must be a list'));
      else
        pcs.forEach((pc: unknown, j: number) => {
          const pp = index(child(path, 'pluginConfig'), j);
          if (!isObj(pc) || typeof pc['name'] !== 'string') errs.push(required(child(pp, 'name')));
          else if (pc['args'] !== undefined && pc['args'] !== null && !isObj(pc['args'])) {
            errs.push(invalid(child(pp, 'args'), pc['args'], 'must be an object'));
          }
        });
    }
  });
  return errs;
}

/** Options of `loadConfiguration`. */
export interface LoadOptions {
  /** Parses YAML text (e.g. js-yaml's `load`); without it only JSON text is accepted. */
  parseYaml?: (text: string) => unknown;
  /** Which extension points each plugin implements (default: the in-tree table). */
  capabilities?: CapabilityTable;
}

/**
 * Parses, defaults, validates and resolves a configuration. `input` may be JSON text, YAML text
 * (with `options.parseYaml`), or an already-parsed object; `undefined` yields the default
 * configuration.
 */
export function loadConfiguration(input: string | object | undefined, options: LoadOptions = {}): LoadResult {
  let raw: unknown = input ?? { apiVersion: CONFIG_API_VERSION, kind: CONFIG_KIND };
  if (typeof input === 'string') {
    const text = input.trim();
    try {
      if (text.startsWith('{')) raw = JSON.parse(text);
      else if (options.parseYaml) raw = options.parseYaml(input);
      else
        return {
          ok: false,
          errors: [
            plain(
              '',
              'could not parse configuration: YAML text needs a YAML parser (options.parseYaml); pass JSON text or an object',
            ),
          ],
        };
    } catch (e) {
      return {
        ok: false,
        errors: [plain('', `could not parse configuration: ${String((e as Error)?.message ?? e).split('\n')[0]}`)],
      };
    }
  }
  if (!isObj(raw)) return { ok: false, errors: [invalid('', raw ?? null, 'configuration must be an object')] };
  const errs: FieldError[] = [];
  if (raw['apiVersion'] !== undefined && raw['apiVersion'] !== CONFIG_API_VERSION) {
    errs.push(invalid('apiVersion', raw['apiVersion'], `only ${CONFIG_API_VERSION} is supported`));
  }
  if (raw['kind'] !== undefined && raw['kind'] !== CONFIG_KIND) {
    errs.push(invalid('kind', raw['kind'], `must be ${CONFIG_KIND}`));
  }
  errs.push(...checkShape(raw));
  if (errs.length) return { ok: false, errors: errs };

  const config = defaultConfiguration(raw as V1Configuration);
  const verrs = validateConfiguration(config);
  if (verrs.length) return { ok: false, errors: verrs };
  const profiles: SchedulerProfile[] = [];
  (config.profiles ?? []).forEach((p, i) => {
    const r = resolveProfile(index('profiles', i), p, config.percentageOfNodesToScore, options.capabilities);
    errs.push(...r.errors);
    if (r.profile) profiles.push(r.profile);
  });
  if (errs.length) return { ok: false, errors: errs };
  return { ok: true, config: { config, profiles, parallelism: config.parallelism ?? 16 } };
}

let cachedDefault: SchedulerProfile | undefined;

/** The resolved default profile (`default-scheduler`); computed once and shared read-only. */
export function defaultSchedulerProfile(): SchedulerProfile {
  if (!cachedDefault) {
    const r = loadConfiguration(undefined);
    if (!r.ok) throw new Error(`default configuration is invalid: ${r.errors.map((e) => e.message).join('; ')}`);
    cachedDefault = r.config.profiles[0]!;
  }
  return cachedDefault;
}

/** The profile that schedules pods with `schedulerName` (empty → `default-scheduler`), if any. */
export function profileForSchedulerName(
  profiles: readonly SchedulerProfile[],
  schedulerName: string | undefined,
): SchedulerProfile | undefined {
  const want = schedulerName || DEFAULT_SCHEDULER_NAME;
  return profiles.find((p) => p.schedulerName === want);
}
