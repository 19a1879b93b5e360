/**
 * Authentication (bearer tokens, x509 client certificates) and a small rule-based authorizer, enough to
 * test 401/403 paths and RBAC-limited users: the read-only user has the `view` ClusterRole (no
 * Secrets), requests without credentials are `system:anonymous`, which may only reach
 * /version and the health checks.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** An authenticated user. */
export interface UserInfo {
  name: string;
  groups: string[];
  /** Read-only users get 403 on writes and on `forbiddenLists`. */
  readOnly: boolean;
  /**
   * `system:anonymous` for a request without credentials (unless `allowAnonymous`): kube-apiserver
   * authenticates it, and RBAC lets it reach only /version and the health checks
   * (system:public-info-viewer); everything else is 403, never 200.
   */
  anonymous?: boolean;
  /** UserInfo.extra: a client certificate's `authentication.kubernetes.io/credential-id`. */
  extra?: Record<string, string[]>;
}

/** A static bearer token. */
export interface TokenSpec {
  token: string;
  user: string;
  groups?: string[];
  readOnly?: boolean;
}

/** Authentication/authorization settings. */
export interface AuthOptions {
  tokens: TokenSpec[];
  /**
   * Accept requests without credentials with full access, as kube-apiserver's old insecure port did:
   * only for plain HTTP, where kubectl (clientcmd) never sends its credentials.
   */
  allowAnonymous: boolean;
  /** Cluster-scoped resources (`nodes`, `customresourcedefinitions.apiextensions.k8s.io`) read-only users may not list/get/watch. */
  forbiddenForReadOnly: string[];
}

/** Outcome of authentication: a user, or 'unauthorized' (401). */
export type AuthResult = UserInfo | 'unauthorized';

/** Authenticates a request; `expired` holds tokens revoked by the expireToken fault. */
export function authenticate(req: IncomingMessage, opts: AuthOptions, expired: ReadonlySet<string>): AuthResult {
  const h = req.headers['authorization'];
  if (typeof h === 'string' && h !== '') {
    const m = h.match(/^Bearer\s+(.+)$/i);
    if (m === null) return 'unauthorized';
    const tok = m[1]!.trim();
    if (expired.has(tok)) return 'unauthorized';
    const spec = opts.tokens.find((t) => t.token === tok);
    if (spec === undefined) return 'unauthorized';
    return {
      name: spec.user,
      groups: [...(spec.groups ?? []), 'system:authenticated'],
      readOnly: spec.readOnly === true,
    };
  }
  const sock = req.socket as TLSSocket;
  if (typeof sock.getPeerCertificate === 'function' && sock.authorized) {
    const cert = sock.getPeerCertificate();
    const cn = cert?.subject?.CN;
    if (typeof cn === 'string' && cn !== '') {
      const o = cert.subject.O;
      const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
      // The user's permissions follow the user, whichever credential it presents.
      const readOnly = opts.tokens.some((t) => t.user === cn && t.readOnly === true);
      // kube-apiserver's x509 authenticator names the certificate it accepted (SHA-256 of its DER).
      const id = `X509SHA256=${createHash('sha256').update(cert.raw).digest('hex')}`;
      return {
        name: cn,
        groups: [...groups, 'system:authenticated'],
        readOnly,
        extra: { 'authentication.kubernetes.io/credential-id': [id] },
      };
    }
  }
  if (opts.allowAnonymous) return { name: 'system:anonymous', groups: ['system:unauthenticated'], readOnly: false };
  return { name: 'system:anonymous', groups: ['system:unauthenticated'], readOnly: true, anonymous: true };
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

/**
 * Decides whether `user` may do `verb` on a resource; returns undefined when allowed, or the reason
 * string upstream's RBAC authorizer gives.
 */
export function authorize(
  user: UserInfo,
  verb: string,
  group: string,
  resource: string,
  namespace: string | undefined,
  opts: AuthOptions,
): string | undefined {
  if (!user.readOnly) return undefined;
  const q = group === '' ? resource : `${resource}.${group}`;
  // The view ClusterRole reads everything but Secrets (and what the options forbid); anonymous nothing.
  const denied =
    user.anonymous === true ||
    !READ_VERBS.has(verb) ||
    opts.forbiddenForReadOnly.includes(q) ||
    (group === '' && (resource === 'secrets' || resource.startsWith('secrets/')));
  if (!denied) return undefined;
  const scope =
    namespace === undefined || namespace === '' ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  return `User "${user.name}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`;
}

/** Non-resource paths system:anonymous may get (the system:public-info-viewer ClusterRole). */
export function publicPath(path: string): boolean {
  return (
    ['/healthz', '/livez', '/readyz', '/version'].includes(path) || /^\/(healthz|livez|readyz|version)\//.test(path)
  );
}

/**
 * How RBAC explains a SelfSubjectAccessReview it allowed (`status.reason`); undefined for the
 * unrestricted users and for denials (which carry no reason).
 */
export function allowedReason(user: UserInfo): string | undefined {
  if (!user.readOnly || user.anonymous === true) return undefined;
  return `RBAC: allowed by ClusterRoleBinding "${user.name}" of ClusterRole "view" to User "${user.name}"`;
}
