/**
 * Resolving a defaulted v1 profile into the per-extension-point plugin lists the runtime runs,
 * after pkg/scheduler/framework/runtime/framework.go (`NewFramework`, `updatePluginList`,
 * `expandMultiPointPlugins`, `getScoreWeights`).
 *
 * Contract: errors upstream raises while building a framework ("does not exist", "already
 * registered", queue-sort/bind counts, score overflow) come back as field errors naming the
 * profile field; never thrown. Plugin capabilities come from `IN_TREE_EXTENSION_POINTS`
 * unless the caller passes its own table (e.g. derived from a plugin registry).
 */
import { IN_TREE_EXTENSION_POINTS } from './default-plugins';
import { child, index, invalid, plain, type FieldError } from './field-error';
import type { ExtensionPoint, ProfilePlugin, SchedulerProfile, V1Profile } from './types';
import { EXTENSION_POINTS } from './types';

/** Go's plugin interface names, used in upstream's error messages. */
const PLUGIN_TYPE: Record<ExtensionPoint, string> = {
  preEnqueue: 'PreEnqueuePlugin',
  queueSort: 'QueueSortPlugin',
  preFilter: 'PreFilterPlugin',
  filter: 'FilterPlugin',
  postFilter: 'PostFilterPlugin',
  preScore: 'PreScorePlugin',
  score: 'ScorePlugin',
  reserve: 'ReservePlugin',
  permit: 'PermitPlugin',
  preBind: 'PreBindPlugin',
  bind: 'BindPlugin',
  postBind: 'PostBindPlugin',
};

/** Which extension points a plugin implements; `undefined` means "no such plugin". */
export type CapabilityTable = Readonly<Record<string, readonly ExtensionPoint[]>>;

/** int64 `MaxTotalScore`; weights × 100 are summed against it. */
const MAX_TOTAL_SCORE = 2n ** 63n - 1n;

/**
 * Expands one defaulted profile (`path` is e.g. `profiles[0]`). Returns the resolved profile or
 * the errors; `globalPercentage` is the top-level percentageOfNodesToScore.
 */
export function resolveProfile(
  path: string,
  p: V1Profile,
  globalPercentage: number | null | undefined,
  caps: CapabilityTable = IN_TREE_EXTENSION_POINTS,
): { profile?: SchedulerProfile; errors: FieldError[] } {
  const errs: FieldError[] = [];
  const plugins = p.plugins ?? {};
  const pluginsPath = child(path, 'plugins');
  const implementsPoint = (name: string, point: ExtensionPoint) => caps[name]?.includes(point) ?? false;
  const out = {} as Record<ExtensionPoint, ProfilePlugin[]>;

  for (const point of EXTENSION_POINTS) {
    const set = plugins[point] ?? {};
    const enabled: string[] = [];
    // updatePluginList: explicitly enabled plugins at this point.
    (set.enabled ?? []).forEach((pl, i) => {
      const at = index(child(pluginsPath, point, 'enabled'), i);
      if (!caps[pl.name]) errs.push(plain(at, `${PLUGIN_TYPE[point]} ${JSON.stringify(pl.name)} does not exist`));
      else if (!implementsPoint(pl.name, point))
        errs.push(plain(at, `plugin ${JSON.stringify(pl.name)} does not extend ${PLUGIN_TYPE[point]} plugin`));
      else if (enabled.includes(pl.name))
        errs.push(
          plain(at, `plugin ${JSON.stringify(pl.name)} already registered as ${JSON.stringify(PLUGIN_TYPE[point])}`),
        );
      else enabled.push(pl.name);
    });
    const disabled = new Set((set.disabled ?? []).map((d) => d.name));
    let list = enabled;
    if (!disabled.has('*') && (plugins.multiPoint?.enabled?.length ?? 0) > 0) {
      const overrides: string[] = [];
      const multi: string[] = [];
      (plugins.multiPoint?.enabled ?? []).forEach((pl, i) => {
        if (!caps[pl.name]) {
          if (point === 'preEnqueue') {
            // Report an unknown MultiPoint plugin once, not once per extension point.
            errs.push(
              plain(
                index(child(pluginsPath, 'multiPoint', 'enabled'), i),
                `${PLUGIN_TYPE[point]} ${JSON.stringify(pl.name)} does not exist`,
              ),
            );
          }
          return;
        }
        if (!implementsPoint(pl.name, point) || disabled.has(pl.name)) return;
        if (enabled.includes(pl.name)) {
          overrides.push(pl.name);
          return;
        }
        if (multi.includes(pl.name)) {
          errs.push(
            plain(
              index(child(pluginsPath, 'multiPoint', 'enabled'), i),
              `plugin ${JSON.stringify(pl.name)} already registered as ${JSON.stringify(PLUGIN_TYPE[point])}`,
            ),
          );
          return;
        }
        multi.push(pl.name);
      });
      const part1 = enabled.filter((n) => overrides.includes(n));
      const part3 = enabled.filter((n) => !overrides.includes(n));
      list = [...part1, ...multi, ...part3];
    }
    out[point] = list.map((name) => ({ name, weight: 0 }));
  }

  const name = p.schedulerName ?? '';
  if (out.queueSort.length !== 1) {
    errs.push(
      plain(
        child(pluginsPath, 'queueSort'),
        `only one queue sort plugin required for profile with scheduler name ${JSON.stringify(name)}, but got ${out.queueSort.length}`,
      ),
    );
  }
  if (out.bind.length === 0) {
    errs.push(
      plain(
        child(pluginsPath, 'bind'),
        `at least one bind plugin is needed for profile with scheduler name ${JSON.stringify(name)}`,
      ),
    );
  }

  // getScoreWeights: Score.Enabled first, then MultiPoint; the first weight seen wins; 0 → 1.
  const weights = new Map<string, number>();
  let total = 0n;
  const weighted = [
    ...(plugins.score?.enabled ?? []).map((pl, i) => ({ pl, at: index(child(pluginsPath, 'score', 'enabled'), i) })),
    ...(plugins.multiPoint?.enabled ?? []).map((pl, i) => ({
      pl,
      at: index(child(pluginsPath, 'multiPoint', 'enabled'), i),
    })),
  ];
  for (const { pl, at } of weighted) {
    if (!implementsPoint(pl.name, 'score') || weights.has(pl.name)) continue;
    let w = pl.weight ?? 0;
    if (typeof w !== 'number' || !Number.isInteger(w)) {
      errs.push(invalid(child(at, 'weight'), w, 'must be an integer'));
      continue;
    }
    if (w < 0) {
      // Upstream's int32 weight is not range-checked; a negative weight would invert a
      // plugin's preference and can break the [0, MaxTotalScore] invariant, so the model rejects it.
      errs.push(invalid(child(at, 'weight'), w, 'must not be negative'));
      continue;
    }
    if (w === 0) w = 1;
    weights.set(pl.name, w);
    if (BigInt(w) * 100n > MAX_TOTAL_SCORE - total) {
      errs.push(plain(child(at, 'weight'), 'total score of Score plugins could overflow'));
      continue;
    }
    total += BigInt(w) * 100n;
  }
  for (const sp of out.score) sp.weight = weights.get(sp.name) ?? 1;

  if (errs.length) return { errors: errs };
  const pluginConfig: Record<string, Record<string, unknown>> = {};
  for (const pc of p.pluginConfig ?? []) pluginConfig[pc.name] = pc.args ?? {};
  const pct = p.percentageOfNodesToScore ?? globalPercentage ?? 0;
  return {
    profile: { schedulerName: name, percentageOfNodesToScore: pct, plugins: out, pluginConfig },
    errors: [],
  };
}
