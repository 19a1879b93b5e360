/** Reads the `kubeForecast.auth.*` settings once, before the first kubeconfig connection. */
import type { Connection } from 'vscode-languageserver';

/** How long the client may take to answer before the defaults are used. */
const AUTH_SETTINGS_TIMEOUT_MS = 2000;

/** The auth settings the explorer's factory applies to `PATH` (see `FactoryConfig.authSettings`). */
export interface AuthSettings {
  useLoginShellPath: boolean;
  extraPath: string[];
}

/**
 * Asks the client for `kubeForecast.auth`; a client that does not answer within
 * {@link AUTH_SETTINGS_TIMEOUT_MS}, fails, or sends wrong types gets the defaults (login shell PATH on,
 * no extra directories). Never rejects.
 */
export async function readAuthSettings(connection: Connection): Promise<AuthSettings> {
  let timer: NodeJS.Timeout | undefined;
  const raw = (await Promise.race([
    connection.workspace.getConfiguration('kubeForecast.auth'),
    new Promise((r) => (timer = setTimeout(() => r(undefined), AUTH_SETTINGS_TIMEOUT_MS))),
  ])
    .catch(() => undefined)
    .finally(() => clearTimeout(timer))) as { useLoginShellPath?: unknown; extraPath?: unknown } | undefined;
  return {
    useLoginShellPath: typeof raw?.useLoginShellPath === 'boolean' ? raw.useLoginShellPath : true,
    extraPath: Array.isArray(raw?.extraPath) ? raw.extraPath.filter((x): x is string => typeof x === 'string') : [],
  };
}
