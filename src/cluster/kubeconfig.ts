/**
 * Kubeconfig loading with kubectl's merge rules, never writing a file.
 *
 * Contract:
 * - Sources, in kubectl's precedence: an explicit path from settings (may itself be a
 *   path-delimiter separated list), else `KUBECONFIG` (several files, merged), else
 *   `~/.kube/config`. Missing files in a list are skipped, as kubectl skips them.
 * - Merge: the first file that defines a cluster, user or context name wins; later duplicates
 *   are ignored (client-node's own `mergeConfig` throws on duplicates, kubectl does not).
 *   `current-context` is the first non-empty one.
 * - Relative paths (certificate-authority, client-certificate, ...) resolve against the file
 *   that named them.
 * - Problems are returned as values (`problems`), with file names but never credentials.
 *
 * Only src/cluster constructs client-node objects; callers get `LoadedKubeconfig` and
 * `KubeConfig` instances through the functions here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';

export interface KubeconfigSource {
  /** The `kubeForecast.kubeconfig` setting, if any. */
  explicitPath?: string | undefined;
  /** The process environment's KUBECONFIG (injected for tests). */
  envKubeconfig?: string | undefined;
  /** The home directory (injected for tests). */
  home?: string | undefined;
}

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string | undefined;
  server?: string | undefined;
}

export interface LoadedKubeconfig {
  /** Files actually read, in merge order (watch these for changes). */
  files: string[];
  /** Files named by the source that could not be read, with why. */
  problems: string[];
  contexts: ContextInfo[];
  currentContext: string;
  /** The merged config; use `forContext` to get one bound to a context. */
  config: KubeConfig;
}

/** Which files the source names, in order (without reading them). */
export function kubeconfigPaths(src: KubeconfigSource): string[] {
  const list = (value: string): string[] =>
    value
      .split(path.delimiter)
      .map((p) => p.trim())
      .filter((p) => p.length > 0)
      .map((p) => expandHome(p, src.home));
  if (src.explicitPath && src.explicitPath.trim()) return list(src.explicitPath);
  if (src.envKubeconfig && src.envKubeconfig.trim()) return list(src.envKubeconfig);
  const home = src.home ?? os.homedir();
  return [path.join(home, '.kube', 'config')];
}

function expandHome(p: string, home: string | undefined): string {
  if (p === '~' || p.startsWith('~/')) return path.join(home ?? os.homedir(), p.slice(1));
  return path.resolve(p);
}

/** Loads and merges the kubeconfig files of `src` the way kubectl does. Never throws. */
export function loadKubeconfig(src: KubeconfigSource): LoadedKubeconfig {
  const files: string[] = [];
  const problems: string[] = [];
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const file of kubeconfigPaths(src)) {
    if (!fs.existsSync(file)) {
      problems.push(`${file}: no such file`);
      continue;
    }
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (e) {
      problems.push(`${file}: ${describeLoadError(e)}`);
      continue;
    }
    files.push(file);
    for (const c of kc.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext && kc.currentContext) currentContext = kc.currentContext;
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
  return {
    files,
    problems,
    currentContext,
    config: merged,
    contexts: [...contexts.values()].map((c) => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      namespace: c.namespace,
      server: clusters.get(c.cluster)?.server,
    })),
  };
}

/** A copy of `loaded.config` whose current context is `context`; the original is untouched. */
export function forContext(loaded: LoadedKubeconfig, context: string): KubeConfig | undefined {
  const ctx = loaded.config.getContextObject(context);
  if (!ctx) return undefined;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: loaded.config.clusters,
    users: loaded.config.users,
    contexts: loaded.config.contexts,
    currentContext: context,
  });
  return kc;
}

/** Builds a config from a kubeconfig text (e.g. the simulated cluster's), without touching disk. */
export function kubeconfigFromString(text: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(text);
  return kc;
}

/** js-yaml and client-node errors can quote file content; keep only the first line, no data. */
function describeLoadError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const first = msg.split('\n')[0] ?? msg;
  return first.length > 200 ? first.slice(0, 200) + '…' : first;
}
