/**
 * The cluster a test talks to: the simulated cluster or the real control plane, chosen by the
 * environment (`KF_TEST_CLUSTER=simulated|real`, default simulated), behind one interface, so every
 * explorer, create-flow and prediction test runs unchanged against both. Tests never branch on which
 * one they have; what differs (how a credential is revoked, how the cluster is started) lives here.
 *
 * Both clusters start with the same Nodes (`test/fixtures/clusters/three-nodes.yaml`), run their
 * controllers, scheduler and node agent, and sit behind a fault proxy (fault-proxy.ts). The
 * kubeconfig written for the extension has two contexts through the proxy, with bearer tokens:
 * - `it-admin`: full access (its credential can be revoked with `revokeAdmin()`);
 * - `it-viewer`: read only (the real cluster binds it to ClusterRole `view`).
 * Test set-up and outside changes (`api`, `create`, `kubectl`) go straight to the server with a
 * credential that is never revoked and never sees the proxy's faults.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { startSimulator } from '../../src/simulator/api/server';
import { applyDefaults, ControllerManager, lookupFromStore } from '../../src/simulator/controllers';
import { applySnapshot, loadSnapshot } from '../../src/simulator/demo';
import { Store } from '../../src/simulator/store/store';
import { ApiClient } from '../real-cluster/api-client';
import { repoRoot } from '../real-cluster/binaries';
import { startRealCluster } from '../real-cluster/control-plane';
import { startFaultProxy, type FaultProxy, type ProxiedRequest, type ProxyFaults } from './fault-proxy';

/** Which cluster. */
export type ClusterKind = 'simulated' | 'real';

/** The Nodes both clusters start with. */
export const NODES_FILE = path.join(repoRoot(), 'test', 'fixtures', 'clusters', 'three-nodes.yaml');

/** The cluster kind this test run uses: `KF_TEST_CLUSTER`, default `simulated`. */
export function testClusterKind(): ClusterKind {
  const v = process.env['KF_TEST_CLUSTER'] ?? 'simulated';
  if (v !== 'simulated' && v !== 'real') throw new Error(`KF_TEST_CLUSTER must be simulated or real, got ${v}`);
  return v;
}

/** A response from the cluster. */
export interface ApiAnswer {
  status: number;
  body: any;
}

/** A running test cluster (see the file comment). */
export interface TestCluster {
  readonly kind: ClusterKind;
  /** The API server URL the kubeconfig names (the fault proxy). */
  readonly server: string;
  /** Path of the kubeconfig with contexts `it-admin` (current) and `it-viewer`. */
  readonly kubeconfig: string;
  /** Path of a kubeconfig straight to the server (no proxy, no faults) as the admin that is never revoked. */
  readonly adminKubeconfig: string;
  /** The real control plane's own faults (absent on the simulated cluster). */
  readonly controlPlane?: ControlPlaneFaults;
  /**
   * What a hand-written kubeconfig needs (tests of kubeconfig handling): the server, its CA (PEM),
   * and the current bearer tokens of `it-admin` and `it-viewer`.
   */
  credentials(): { server: string; ca: string; adminToken: string; viewerToken: string };
  /** That kubeconfig's text with `context` as the current context. */
  kubeconfigText(context?: 'it-admin' | 'it-viewer'): string;
  /**
   * Creates a namespace of its own for one test (`<prefix>-<n>`) and waits until pods can be
   * created in it (its `default` ServiceAccount exists); resolves its name.
   */
  freshNamespace(prefix?: string): Promise<string>;
  /** A request straight to the server as an admin that is never revoked. */
  api(method: string, apiPath: string, body?: unknown, contentType?: string): Promise<ApiAnswer>;
  /** Creates an object (any kind the server serves); resolves the created object, rejects on an error Status. */
  create(obj: Record<string, any>): Promise<Record<string, any>>;
  /** Deletes an object by apiVersion/kind/namespace/name (404 is fine). */
  remove(obj: Record<string, any>): Promise<void>;
  /** Runs kubectl against the server as that admin (own cache dir); resolves with its output. */
  kubectl(args: readonly string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Every `/api*` request the extension's contexts sent through the fault proxy so far, in order. */
  requests(): readonly ProxiedRequest[];
  /** Switches faults in front of the server (the same meaning on both clusters). */
  faults(f: ProxyFaults): void;
  /**
   * Makes `it-admin`'s credential invalid: resolves once the server itself answers 401 for it
   * (kube-apiserver caches a token's authentication for up to 10 s). Open watches stay open, as
   * on a real cluster; drop them with `faults({ dropWatches: true })` to make clients notice.
   */
  revokeAdmin(): Promise<void>;
  /** Rewrites the kubeconfig so `it-admin` has a new, valid credential. */
  renewAdmin(): Promise<void>;
  close(): Promise<void>;
}

/** Faults only a real control plane has. */
export interface ControlPlaneFaults {
  /** Restarts kube-apiserver in place (same port, etcd and credentials); resolves once it is ready again. */
  restartApiserver(): Promise<void>;
  /** Compacts etcd up to its current revision; resolves with that revision. */
  compactEtcd(): Promise<number>;
}

interface Backend {
  kind: ClusterKind;
  /** Where the server listens, and the CA to trust (absent for plain HTTP). */
  upstream: string;
  upstreamCA?: string;
  /** Bearer tokens for the extension's contexts. */
  adminToken: string;
  secondAdminToken: string;
  viewerToken: string;
  /** The never-revoked admin for set-up. */
  admin: { request(method: string, p: string, body?: unknown, contentType?: string): Promise<ApiAnswer> };
  /** A kubeconfig straight to the server as that admin. */
  adminKubeconfig: string;
  revoke(token: string): Promise<void>;
  controlPlane?: ControlPlaneFaults;
  stop(): Promise<void>;
}

async function simulatedBackend(): Promise<Backend> {
  const store = new Store({ gracefulPodDeletion: 'external' });
  const snap = loadSnapshot(NODES_FILE, { registry: store.registry });
  applySnapshot(store, snap.objects);
  const lookup = lookupFromStore(store);
  const secondAdmin = `it-admin-2-${Math.random().toString(36).slice(2)}`;
  const setup = `it-setup-${Math.random().toString(36).slice(2)}`;
  const sim = await startSimulator({
    store,
    versionMinor: 37,
    onError: () => undefined,
    bookmarkIntervalMs: 1000,
    tls: true,
    admit: (_kind, obj) => applyDefaults(obj as never, lookup),
    tokens: [
      { token: secondAdmin, user: 'it-admin-2', groups: ['system:masters'] },
      { token: setup, user: 'it-setup', groups: ['system:masters'] },
    ],
  });
  const cm = new ControllerManager(store);
  cm.start();
  return {
    kind: 'simulated',
    upstream: sim.url,
    upstreamCA: sim.tls!.ca.cert,
    adminToken: sim.adminToken,
    secondAdminToken: secondAdmin,
    viewerToken: sim.readOnlyToken,
    admin: {
      request: (m, p, b, ct) => answer(new ApiClient(sim.url, sim.tls!.ca.cert, { token: setup }), m, p, b, ct),
    },
    adminKubeconfig: sim.kubeconfig({ token: setup }),
    revoke: async (token) => void sim.faults.set({ expireToken: token }),
    stop: async () => {
      cm.stop();
      await sim.close();
    },
  };
}

async function realBackend(): Promise<Backend> {
  const rc = await startRealCluster({ nodesFile: NODES_FILE, log: () => undefined });
  try {
    const sa = async (name: string, clusterRole: string): Promise<string> => {
      const ns = '/api/v1/namespaces/kube-system/serviceaccounts';
      const made = await rc.admin.request('POST', ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
      if (made.status !== 201) throw new Error(`ServiceAccount ${name}: ${made.text}`);
      const crb = await rc.admin.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `kube-forecast-${name}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
        subjects: [{ kind: 'ServiceAccount', name, namespace: 'kube-system' }],
      });
      if (crb.status !== 201) throw new Error(`ClusterRoleBinding for ${name}: ${crb.text}`);
      const tr = await rc.admin.request('POST', `${ns}/${name}/token`, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 86_400 },
      });
      const token = (tr.body as { status?: { token?: string } }).status?.token;
      if (tr.status !== 201 || !token) throw new Error(`TokenRequest for ${name}: ${tr.text}`);
      return token;
    };
    const adminToken = await sa('it-admin', 'cluster-admin');
    const secondAdminToken = await sa('it-admin-2', 'cluster-admin');
    const viewerToken = await sa('it-viewer', 'view');
    const byToken = new Map([[adminToken, 'it-admin']]);
    return {
      kind: 'real',
      upstream: rc.url,
      upstreamCA: rc.pki.ca.cert,
      adminToken,
      secondAdminToken,
      viewerToken,
      admin: { request: (m, p, b, ct) => answer(rc.admin, m, p, b, ct) },
      adminKubeconfig: rc.kubeconfig(),
      // Deleting the ServiceAccount invalidates its tokens: kube-apiserver answers 401 at once.
      revoke: async (token) => {
        const name = byToken.get(token);
        if (name === undefined) throw new Error('revoke: not a token of this cluster');
        const r = await rc.admin.request('DELETE', `/api/v1/namespaces/kube-system/serviceaccounts/${name}`);
        if (r.status !== 200) throw new Error(`revoke ${name}: ${r.text}`);
      },
      controlPlane: { restartApiserver: () => rc.restartApiserver(), compactEtcd: () => rc.compactEtcd() },
      stop: () => rc.stop(),
    };
  } catch (e) {
    await rc.stop();
    throw e;
  }
}

async function answer(
  c: ApiClient,
  method: string,
  p: string,
  body?: unknown,
  contentType?: string,
): Promise<ApiAnswer> {
  const r = await c.request(method, p, body, 30_000, contentType);
  return { status: r.status, body: r.body };
}

/** The kubeconfig the extension uses: both contexts through the proxy. */
function extensionKubeconfig(proxy: FaultProxy, adminToken: string, viewerToken: string): string {
  const ca = Buffer.from(proxy.ca.cert).toString('base64');
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'it-admin',
    clusters: [{ name: 'it', cluster: { server: proxy.url, 'certificate-authority-data': ca } }],
    users: [
      { name: 'admin', user: { token: adminToken } },
      { name: 'viewer', user: { token: viewerToken } },
    ],
    contexts: [
      { name: 'it-admin', context: { cluster: 'it', user: 'admin', namespace: 'default' } },
      { name: 'it-viewer', context: { cluster: 'it', user: 'viewer', namespace: 'default' } },
    ],
  });
}

/** Resource paths from discovery, per apiVersion (cached per cluster). */
class ResourcePaths {
  private readonly byGv = new Map<string, Promise<{ name: string; kind: string; namespaced: boolean }[]>>();
  constructor(private readonly api: TestCluster['api']) {}

  async collection(apiVersion: string, kind: string, namespace: string | undefined): Promise<string> {
    let list = this.byGv.get(apiVersion);
    if (list === undefined) {
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      list = this.api('GET', base).then((r) => {
        if (r.status !== 200) throw new Error(`discovery ${base}: ${r.status}`);
        return (r.body as { resources: { name: string; kind: string; namespaced: boolean }[] }).resources;
      });
      this.byGv.set(apiVersion, list);
    }
    const res = (await list).find((r) => r.kind === kind && !r.name.includes('/'));
    if (res === undefined) throw new Error(`the server does not serve ${kind} in ${apiVersion}`);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return res.namespaced ? `${base}/namespaces/${namespace ?? 'default'}/${res.name}` : `${base}/${res.name}`;
  }
}

/** Starts the cluster of this run (or `kind`) with its fault proxy and kubeconfig. */
export async function startTestCluster(kind: ClusterKind = testClusterKind()): Promise<TestCluster> {
  const backend = kind === 'real' ? await realBackend() : await simulatedBackend();
  const proxy = await startFaultProxy({
    upstream: backend.upstream,
    ...(backend.upstreamCA ? { upstreamCA: backend.upstreamCA } : {}),
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-it-'));
  const kubeconfig = path.join(dir, 'config');
  const adminConfig = path.join(dir, 'admin-config');
  fs.writeFileSync(adminConfig, backend.adminKubeconfig, { mode: 0o600 });
  let adminToken = backend.adminToken;
  const write = (): void =>
    fs.writeFileSync(kubeconfig, extensionKubeconfig(proxy, adminToken, backend.viewerToken), { mode: 0o600 });
  write();
  const api: TestCluster['api'] = (m, p, b, ct) => backend.admin.request(m, p, b, ct);
  const paths = new ResourcePaths(api);
  const objectPath = async (o: Record<string, any>): Promise<string> =>
    paths.collection(o['apiVersion'], o['kind'], o['metadata']?.namespace);
  let namespaces = 0;
  return {
    kind,
    server: proxy.url,
    kubeconfig,
    adminKubeconfig: adminConfig,
    ...(backend.controlPlane !== undefined ? { controlPlane: backend.controlPlane } : {}),
    credentials: () => ({ server: proxy.url, ca: proxy.ca.cert, adminToken, viewerToken: backend.viewerToken }),
    kubeconfigText: (context = 'it-admin') =>
      fs.readFileSync(kubeconfig, 'utf8').replace(/^current-context: .*$/m, `current-context: ${context}`),
    async freshNamespace(prefix = 't') {
      const name = `${prefix}-${++namespaces}-${Date.now().toString(36)}`;
      const made = await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      if (made.status !== 201) throw new Error(`namespace ${name}: ${JSON.stringify(made.body)}`);
      const deadline = Date.now() + 30_000;
      while ((await api('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`)).status !== 200) {
        if (Date.now() > deadline) throw new Error(`namespace ${name}: its default ServiceAccount never appeared`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return name;
    },
    api,
    async create(obj) {
      const r = await api('POST', await objectPath(obj), obj);
      if (r.status !== 201 && r.status !== 200)
        throw new Error(`create ${obj['kind']} ${obj['metadata']?.name}: ${JSON.stringify(r.body)}`);
      return r.body as Record<string, any>;
    },
    async remove(obj) {
      const r = await api('DELETE', `${await objectPath(obj)}/${obj['metadata']?.name}`);
      if (r.status !== 200 && r.status !== 202 && r.status !== 404)
        throw new Error(`delete ${obj['kind']}: ${JSON.stringify(r.body)}`);
    },
    kubectl: (args, input) => runKubectl(adminConfig, dir, args, input),
    requests: () => proxy.requests,
    faults: (f) => proxy.set(f),
    async revokeAdmin() {
      const token = adminToken;
      await backend.revoke(token);
      const probe = new ApiClient(backend.upstream, backend.upstreamCA ?? '', { token });
      const deadline = Date.now() + 30_000;
      while ((await probe.request('GET', '/api/v1/namespaces?limit=1')).status !== 401) {
        if (Date.now() > deadline) throw new Error('the revoked credential is still accepted after 30 s');
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async renewAdmin() {
      adminToken = backend.secondAdminToken;
      write();
    },
    async close() {
      await proxy.close();
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function runKubectl(
  kubeconfig: string,
  dir: string,
  args: readonly string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'kubectl-cache'), ...args],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
