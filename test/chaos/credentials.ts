/**
 * The credentials of the two language servers of a campaign, and the expired-token fault.
 *
 * - The watched server's kubeconfig (`writeWatchedKubeconfig`) goes through the fault proxy with a
 *   bearer token that the campaign can expire any number of times: on the real control plane each
 *   token belongs to a ServiceAccount of its own (bound to `cluster-admin`), expired by deleting the
 *   ServiceAccount, as kube-apiserver then answers 401 for it; on the simulated cluster the two admin
 *   tokens take turns, one expired through the simulator's own `expireToken` fault (`/__sim/faults`)
 *   and kept expired until the other one is expired in turn.
 *   Renewing gives a new valid token, which the campaign writes into that kubeconfig, as a credential
 *   plugin or `aws eks update-kubeconfig` would.
 * - The truth server's kubeconfig (`writeTruthKubeconfig`) goes straight to the server as the admin
 *   that is never revoked: no proxy, no fault.
 * Both name the same context, so both servers' tree rows have the same ids.
 *
 * Contract: `expire()` resolves once the server itself answers 401 for the current token; `renew()`
 * resolves with a token the server accepts. No token is ever logged.
 */
import fs from 'node:fs';
import yaml from 'js-yaml';
import { ApiClient } from '../real-cluster/api-client';
import type { TestCluster } from '../clusters/test-cluster';

/** The kubeconfig context both servers connect to. */
export const CHAOS_CONTEXT = 'chaos';

/** A token that can be expired and renewed. */
export interface RenewableToken {
  /** The token the watched kubeconfig holds now. */
  current(): string;
  /** Makes the current token invalid; resolves once the server answers 401 for it. */
  expire(): Promise<void>;
  /** Makes a new valid token current and resolves with it. */
  renew(): Promise<string>;
}

/** The renewable token of `cluster` (see the file comment). */
export async function renewableToken(cluster: TestCluster): Promise<RenewableToken> {
  return cluster.kind === 'real' ? serviceAccountTokens(cluster) : simulatorTokens(cluster);
}

async function simulatorTokens(cluster: TestCluster): Promise<RenewableToken> {
  const first = cluster.credentials().adminToken;
  // The test cluster's second admin token (renewAdmin rewrites only the test cluster's own kubeconfig).
  await cluster.renewAdmin();
  const second = cluster.credentials().adminToken;
  if (first === second) throw new Error('the simulated cluster has one admin token; the campaign needs two');
  const tokens = [first, second];
  let at = 0;
  const simFaults = async (spec: Record<string, unknown>): Promise<void> => {
    const r = await cluster.api('POST', '/__sim/faults', spec);
    if (r.status !== 200) throw new Error(`/__sim/faults: ${r.status}`);
  };
  return {
    current: () => tokens[at]!,
    expire: async () => {
      // The simulator forgets expired tokens only all at once: the previous one (no longer in the
      // kubeconfig) becomes valid again here, never while the kubeconfig still holds it.
      await simFaults({ clear: true });
      await simFaults({ expireToken: tokens[at] });
      await until401(cluster, tokens[at]!);
    },
    renew: async () => {
      at = 1 - at;
      return tokens[at]!;
    },
  };
}

async function serviceAccountTokens(cluster: TestCluster): Promise<RenewableToken> {
  let serial = 0;
  const mint = async (): Promise<{ name: string; token: string }> => {
    const name = `chaos-admin-${++serial}`;
    const sa = '/api/v1/namespaces/kube-system/serviceaccounts';
    const made = await cluster.api('POST', sa, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    if (made.status !== 201) throw new Error(`ServiceAccount ${name}: ${made.status}`);
    const crb = await cluster.api('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name, namespace: 'kube-system' }],
    });
    if (crb.status !== 201) throw new Error(`ClusterRoleBinding ${name}: ${crb.status}`);
    const tr = await cluster.api('POST', `${sa}/${name}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 86_400 },
    });
    const token = (tr.body as { status?: { token?: string } } | undefined)?.status?.token;
    if (tr.status !== 201 || !token) throw new Error(`TokenRequest for ${name}: ${tr.status}`);
    return { name, token };
  };
  let cur = await mint();
  return {
    current: () => cur.token,
    expire: async () => {
      const r = await cluster.api('DELETE', `/api/v1/namespaces/kube-system/serviceaccounts/${cur.name}`);
      if (r.status !== 200) throw new Error(`delete ServiceAccount ${cur.name}: ${r.status}`);
      await cluster.api('DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${cur.name}`);
      await until401(cluster, cur.token);
    },
    renew: async () => {
      cur = await mint();
      return cur.token;
    },
  };
}

/** Polls through the proxy until the server answers 401 for `token` (30 s at most). */
async function until401(cluster: TestCluster, token: string): Promise<void> {
  const { server, ca } = cluster.credentials();
  const probe = new ApiClient(server, ca, { token });
  const deadline = Date.now() + 30_000;
  while ((await probe.request('GET', '/api/v1/namespaces?limit=1').catch(() => ({ status: 0 }))).status !== 401) {
    if (Date.now() > deadline) throw new Error('the expired credential is still accepted after 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Writes the watched server's kubeconfig: through the proxy with `token`, context {@link CHAOS_CONTEXT}. */
export function writeWatchedKubeconfig(file: string, cluster: TestCluster, token: string): void {
  const { server, ca } = cluster.credentials();
  const text = yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': CHAOS_CONTEXT,
    clusters: [
      { name: 'chaos', cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') } },
    ],
    users: [{ name: 'chaos', user: { token } }],
    contexts: [{ name: CHAOS_CONTEXT, context: { cluster: 'chaos', user: 'chaos', namespace: 'default' } }],
  });
  // Written in place (not renamed): the server's kubeconfig watcher sees either.
  fs.writeFileSync(file, text, { mode: 0o600 });
}

/** Writes the truth server's kubeconfig: the test cluster's direct admin kubeconfig, its context renamed. */
export function writeTruthKubeconfig(file: string, cluster: TestCluster): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- kubeconfig YAML, read by field.
  const kc = yaml.load(fs.readFileSync(cluster.adminKubeconfig, 'utf8')) as any;
  const current = (kc.contexts as { name: string; context: unknown }[]).find((c) => c.name === kc['current-context']);
  if (current === undefined) throw new Error('the admin kubeconfig has no current context');
  kc.contexts = [{ ...current, name: CHAOS_CONTEXT }];
  kc['current-context'] = CHAOS_CONTEXT;
  fs.writeFileSync(file, yaml.dump(kc), { mode: 0o600 });
}
