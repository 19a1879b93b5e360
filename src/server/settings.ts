/**
 * Per-resource settings, read from the client with `workspace/configuration` and cached until
 * the client reports a configuration change. Never a server global: each request names its resource.
 */
import type { Connection } from 'vscode-languageserver';
import { PREFIX } from '../shared/ids';

/** The `kubeForecast.*` settings the server reads, with their defaults. */
export interface ServerSettings {
  codeLensEnabled: boolean;
  predictionDebounceMs: number;
  schedulerProfile: string;
}

/** The defaults, matching `package.json`. */
export const DEFAULT_SETTINGS: ServerSettings = {
  codeLensEnabled: true,
  predictionDebounceMs: 300,
  schedulerProfile: 'default-scheduler',
};

/** Converts the raw `kubeForecast` section into typed settings; wrong types fall back to defaults. */
function toServerSettings(raw: unknown): ServerSettings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const codeLens = (r['codeLens'] ?? {}) as Record<string, unknown>;
  const prediction = (r['prediction'] ?? {}) as Record<string, unknown>;
  return {
    codeLensEnabled: typeof codeLens['enabled'] === 'boolean' ? codeLens['enabled'] : DEFAULT_SETTINGS.codeLensEnabled,
    predictionDebounceMs:
      typeof prediction['debounceMs'] === 'number' ? prediction['debounceMs'] : DEFAULT_SETTINGS.predictionDebounceMs,
    schedulerProfile:
      typeof r['schedulerProfile'] === 'string' ? r['schedulerProfile'] : DEFAULT_SETTINGS.schedulerProfile,
  };
}

/** Reads and caches settings per resource URI. */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<ServerSettings>>();
  private supported = false;

  /** Creates a store that asks `connection`. */
  constructor(private readonly connection: Connection) {}

  /** Records whether the client supports `workspace/configuration`. */
  setSupported(supported: boolean): void {
    this.supported = supported;
  }

  /** Drops every cached value (on `workspace/didChangeConfiguration`). */
  clear(): void {
    this.cache.clear();
  }

  /** Drops the cached value of one resource (its document closed), so the cache holds open documents only. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** The settings that apply to `uri`. Never rejects. */
  get(uri: string): Promise<ServerSettings> {
    if (!this.supported) return Promise.resolve(DEFAULT_SETTINGS);
    let hit = this.cache.get(uri);
    if (hit === undefined) {
      hit = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: PREFIX })
        .then(toServerSettings, () => DEFAULT_SETTINGS);
      this.cache.set(uri, hit);
    }
    return hit;
  }
}
