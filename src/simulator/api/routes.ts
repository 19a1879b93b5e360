import { badRequest } from '../store/errors';

/**
 * Parses API URLs into a request target (upstream: apiserver/pkg/endpoints/request/requestinfo.go).
 */

/** What an API path addresses. */
export interface ApiTarget {
  group: string;
  version: string;
  /** Plural resource; undefined for discovery of a group version. */
  resource?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** True for the legacy `/watch/` prefix. */
  legacyWatch: boolean;
}

/**
 * Parses `/api/v1/...` and `/apis/G/V/...`; returns undefined for non-resource paths. Recognises
 * `namespaces/NS/RES[/NAME[/SUB]]`, `RES[/NAME[/SUB]]` and the legacy `watch/` prefix.
 */
export function parseApiPath(pathname: string): ApiTarget | undefined {
  let parts: string[];
  try {
    parts = pathname
      .split('/')
      .filter((p) => p !== '')
      .map((p) => decodeURIComponent(p));
  } catch {
    throw badRequest(`invalid URL escape in path "${pathname}"`);
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else return undefined;
  const t: ApiTarget = { group, version, legacyWatch: false };
  if (rest[0] === 'watch') {
    t.legacyWatch = true;
    rest = rest.slice(1);
  }
  if (rest.length === 0) return t;
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
    t.namespace = rest[1]!;
    rest = rest.slice(2);
  }
  t.resource = rest[0]!;
  if (rest.length >= 2) t.name = rest[1]!;
  if (rest.length >= 3) t.subresource = rest[2]!;
  if (rest.length > 3) return undefined;
  return t;
}
