/**
 * Configuration validation, after pkg/scheduler/apis/config/validation/validation.go
 * (`ValidateKubeSchedulerConfiguration`, `validateKubeSchedulerProfile`, `validatePluginConfig`,
 * `validateCommonQueueSort`).
 *
 * Contract: takes a defaulted v1 configuration and returns every problem as a field error,
 * in upstream's order; never throws.
 */
import { INVALID_V1_PLUGINS } from './default-plugins';
import { child, duplicate, index, invalid, required, type FieldError } from './field-error';
import type { V1Configuration, V1PluginSet, V1Profile } from './types';
import { CONFIG_API_VERSION, EXTENSION_POINTS } from './types';
import { ARGS_VALIDATORS } from './validation-plugin-args';

function validatePercentage(path: string, v: unknown): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v)) return [invalid(path, v, 'must be an integer')];
  return v < 0 || v > 100 ? [invalid(path, v, 'not in valid range [0-100]')] : [];
}

function invalidPluginDetail(apiVersion: string): string {
  return `was invalid in version ${JSON.stringify(CONFIG_API_VERSION)} (KubeSchedulerConfiguration is version ${JSON.stringify(apiVersion)})`;
}

function validateProfile(path: string, apiVersion: string, p: V1Profile): FieldError[] {
  const errs: FieldError[] = [];
  if (!p.schedulerName) errs.push(required(child(path, 'schedulerName')));
  errs.push(...validatePercentage(child(path, 'percentageOfNodesToScore'), p.percentageOfNodesToScore));
  if (p.plugins) {
    for (const point of EXTENSION_POINTS) {
      (p.plugins[point]?.enabled ?? []).forEach((pl, i) => {
        if (INVALID_V1_PLUGINS.includes(pl.name)) {
          errs.push(
            invalid(index(child(path, 'plugins', point, 'enabled'), i), pl.name, invalidPluginDetail(apiVersion)),
          );
        }
      });
    }
  }
  const seen = new Set<string>();
  (p.pluginConfig ?? []).forEach((pc, i) => {
    const pcPath = index(child(path, 'pluginConfig'), i);
    if (seen.has(pc.name)) errs.push(duplicate(pcPath, pc.name));
    else seen.add(pc.name);
    if (INVALID_V1_PLUGINS.includes(pc.name)) {
      errs.push(invalid(pcPath, pc.name, invalidPluginDetail(apiVersion)));
      return;
    }
    const v = ARGS_VALIDATORS[pc.name];
    if (!v) return;
    const args = pc.args ?? {};
    const kind = args['kind'];
    if (typeof kind === 'string' && kind !== `${pc.name}Args`) {
      errs.push(invalid(child(pcPath, 'args'), kind, 'has to match plugin args'));
      return;
    }
    errs.push(...v(child(pcPath, 'args'), args));
  });
  return errs;
}

function samePluginSet(a: V1PluginSet | undefined, b: V1PluginSet | undefined): boolean {
  const norm = (s: V1PluginSet | undefined) => JSON.stringify({ e: s?.enabled ?? [], d: s?.disabled ?? [] });
  return norm(a) === norm(b);
}

/**
 * `validateCommonQueueSort`. Upstream compares profiles before the runtime expands MultiPoint,
 * so only explicit `queueSort` sets are compared here.
 */
function validateCommonQueueSort(path: string, profiles: readonly V1Profile[]): FieldError[] {
  const errs: FieldError[] = [];
  const canon = profiles[0]!.plugins?.queueSort;
  const n = canon?.enabled?.length ?? 0;
  if (n > 1)
    errs.push(
      invalid(child(index(path, 0), 'plugins', 'queueSort', 'Enabled'), n, 'only one queue sort plugin can be enabled'),
    );
  const qsName = canon?.enabled?.[0]?.name;
  const qsArgs = qsName ? profiles[0]!.pluginConfig?.find((c) => c.name === qsName)?.args : undefined;
  for (let i = 1; i < profiles.length; i++) {
    const cur = profiles[i]!.plugins?.queueSort;
    if (!samePluginSet(canon, cur)) {
      errs.push(invalid(child(index(path, i), 'plugins', 'queueSort'), cur ?? {}, 'must be the same for all profiles'));
    }
    for (const c of profiles[i]!.pluginConfig ?? []) {
      if (qsName && c.name === qsName && JSON.stringify(c.args) !== JSON.stringify(qsArgs)) {
        errs.push(
          invalid(
            child(index(path, i), 'pluginConfig', 'args'),
            c.args ?? {},
            'queueSort must be the same for all profiles',
          ),
        );
      }
    }
  }
  return errs;
}

/** `ValidateKubeSchedulerConfiguration` over a defaulted v1 configuration. */
export function validateConfiguration(c: V1Configuration): FieldError[] {
  const errs: FieldError[] = [];
  const apiVersion = c.apiVersion ?? CONFIG_API_VERSION;
  const par = c.parallelism;
  if (typeof par !== 'number' || !Number.isInteger(par) || par <= 0) {
    errs.push(invalid('parallelism', par, 'should be an integer value greater than zero'));
  }
  const profiles = c.profiles ?? [];
  if (profiles.length === 0) {
    errs.push(required('profiles'));
  } else {
    const existing = new Map<string, number>();
    profiles.forEach((p, i) => {
      const path = index('profiles', i);
      errs.push(...validateProfile(path, apiVersion, p));
      const name = p.schedulerName ?? '';
      const prev = existing.get(name);
      // Upstream passes the earlier path as the "value", so it prints quoted.
      if (prev !== undefined)
        errs.push(duplicate(child(path, 'schedulerName'), child(index('profiles', prev), 'schedulerName')));
      existing.set(name, i);
    });
    errs.push(...validateCommonQueueSort('profiles', profiles));
  }
  errs.push(...validatePercentage('percentageOfNodesToScore', c.percentageOfNodesToScore));
  const ib = c.podInitialBackoffSeconds ?? 1;
  const mb = c.podMaxBackoffSeconds ?? 10;
  if (ib <= 0) errs.push(invalid('podInitialBackoffSeconds', ib, 'must be greater than 0'));
  if (mb < ib)
    errs.push(invalid('podMaxBackoffSeconds', mb, 'must be greater than or equal to PodInitialBackoffSeconds'));
  return errs;
}
