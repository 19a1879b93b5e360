/**
 * Finds the KubeSchedulerConfiguration that applies to a manifest: a `# kube-forecast: profile=<path>`
 * comment in the file wins over the `kubeForecast.schedulerProfile` setting (a path; empty or
 * `default-scheduler` means kube-scheduler's default profile). Relative paths resolve against the
 * manifest's folder. Invalid configurations give problems with the field path and the default profile.
 *
 * Reads files (with a size cap) and caches them by path and modification time: at most
 * {@link MAX_CACHED_CONFIGS} files, least recently used dropped first, each counted by its size.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { loadConfiguration } from '../../scheduler';
import { BoundedMap, ownString } from '../bounded-map';
import type { ProfileChoice } from './engine';
import type { ProfileProblem } from './diagnostics';

/** The comment that points a file at a configuration. */
const PROFILE_COMMENT = /^#\s*kube-forecast:\s*profile\s*=\s*(\S+)\s*$/m;

/** The largest configuration file read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** The default profile's choice. */
const DEFAULT_CHOICE: ProfileChoice = { key: 'default' };

/** The configuration for one document, and its problems. */
export interface ProfileResolution {
  choice: ProfileChoice;
  problems: ProfileProblem[];
}

/** The most configuration files cached (each at most {@link MAX_CONFIG_BYTES}). */
export const MAX_CACHED_CONFIGS = 16;

const cache = new BoundedMap<string, { mtime: number; result: { config?: Record<string, unknown>; errors: string[] } }>(
  MAX_CACHED_CONFIGS,
  MAX_CACHED_CONFIGS * MAX_CONFIG_BYTES,
);

/** How many configuration files are cached (tests check the bound). */
export const cachedConfigCount = (): number => cache.size;

/** Resolves the configuration for the document `uri` with text `text` and setting value `setting`. */
export function resolveProfile(uri: string, text: string, setting: string): ProfileResolution {
  const head = text.length > 8192 ? text.slice(0, 8192) : text;
  const m = PROFILE_COMMENT.exec(head);
  let path: string | undefined;
  let at = { offset: 0, length: 1 };
  if (m !== null) {
    path = m[1]!;
    at = { offset: m.index, length: m[0].length };
  } else if (setting !== '' && setting !== 'default-scheduler') {
    path = setting;
  }
  if (path === undefined) return { choice: DEFAULT_CHOICE, problems: [] };
  const where = m !== null ? 'the profile comment' : 'the kubeForecast.schedulerProfile setting';
  let file: string;
  try {
    const base = uri.startsWith('file:') ? dirname(fileURLToPath(uri)) : process.cwd();
    file = isAbsolute(path) ? path : resolve(base, path);
  } catch {
    return {
      choice: DEFAULT_CHOICE,
      problems: [
        {
          ...at,
          message: `Scheduler configuration ${JSON.stringify(path)} (from ${where}) is not a usable path; using the default profile.`,
        },
      ],
    };
  }
  const loaded = readConfig(file);
  if (loaded.config === undefined || loaded.errors.length > 0) {
    return {
      choice: DEFAULT_CHOICE,
      problems: loaded.errors.map((e) => ({
        ...at,
        message: `Scheduler configuration ${file} (from ${where}): ${e}. Using the default profile.`,
      })),
    };
  }
  return { choice: { config: loaded.config, key: `${file}@${cache.get(file)?.mtime ?? 0}` }, problems: [] };
}

function readConfig(file: string): { config?: Record<string, unknown>; errors: string[] } {
  let mtime: number;
  let size: number;
  try {
    const st = statSync(file);
    if (st.size > MAX_CONFIG_BYTES) return { errors: [`the file is larger than ${MAX_CONFIG_BYTES} bytes`] };
    mtime = st.mtimeMs;
    size = st.size;
  } catch (e) {
    return { errors: [`cannot read the file (${e instanceof Error ? e.message : String(e)})`] };
  }
  const hit = cache.get(file);
  if (hit !== undefined && hit.mtime === mtime) return hit.result;
  let result: { config?: Record<string, unknown>; errors: string[] };
  try {
    const text = readFileSync(file, 'utf8');
    const parsed = load(text, { maxDepth: 100 } as Parameters<typeof load>[1]);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      result = { errors: ['the file is not a KubeSchedulerConfiguration object'] };
    } else {
      const r = loadConfiguration(parsed, { parseYaml: (t) => load(t) });
      result = r.ok
        ? { config: parsed as Record<string, unknown>, errors: [] }
        : { errors: r.errors.map((e) => e.message) };
    }
  } catch (e) {
    result = { errors: [`invalid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`] };
  }
  cache.set(ownString(file), { mtime, result }, size);
  return result;
}
