/**
 * Starts the real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver (RBAC and Node
 * authorisation, the admission plugins of a kubeadm cluster), kube-controller-manager,
 * kube-scheduler in its default configuration, and kwok as the node agent for every Node.
 *
 * Contract of `startRealCluster`:
 * - resolves once /readyz answers, the view-only user is bound to ClusterRole `view`, every Node of
 *   `nodes` is Ready without the not-ready taint, both controllers report healthy and the `default`
 *   ServiceAccount exists, so a pod created next is admitted and scheduled;
 * - every Node reports InternalIP 127.0.0.1 and kwok's kubelet port, so kube-apiserver reaches kwok's
 *   kubelet server (TLS both ways, certificates of the run's CA) for `pods/log`; every container's log
 *   is the file of container-log.ts (a few lines, then a heartbeat each second);
 * - on any failure (port taken, a component that exits, a timeout) it stops whatever it started,
 *   removes the temporary folder and rejects with one message naming the part and its log file;
 * - `stop()` stops every process (SIGTERM, then SIGKILL) and removes the temporary folder; the logs
 *   stay in `logDir` (outside the folder) so a failure can be read afterwards.
 * - `restartApiserver()` stops kube-apiserver (SIGTERM, as a rolling control-plane upgrade does) and
 *   starts it again with the same flags, port, certificates and etcd, resolving once /readyz answers
 *   200 again; the other components reconnect by themselves. `compactEtcd()` compacts etcd's history
 *   up to its current revision. Neither counts as a death for `died`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { ApiClient, waitUntil } from './api-client';
import { startContainerLog, type ContainerLog } from './container-log';
import { cacheRoot, ensureBinaries, KUBERNETES_VERSION, type Binaries } from './binaries';
import { compactEtcd } from './etcd-compaction';
import { ADMIN_USER, createPki, kubeconfigText, VIEWER_USER, type Pki } from './pki';
import {
  assertPortFree,
  freePort,
  reapLeftovers,
  recordRun,
  startComponent,
  stopComponents,
  type Component,
} from './processes';

/** The admin context of the written kubeconfig (client certificate, group system:masters). */
export const ADMIN_CONTEXT = 'kube-forecast-real';
/** The view-only context (client certificate of a user bound to ClusterRole `view`). */
export const VIEWER_CONTEXT = 'kube-forecast-real-view';

/** Options of `startRealCluster`. */
export interface RealClusterOptions {
  /** kube-apiserver's secure port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** Node objects to create (a YAML `List`, or documents, as the simulator's `--snapshot` reads). */
  nodesFile?: string;
  /** Node objects to create, in addition to `nodesFile`. */
  nodes?: readonly Record<string, unknown>[];
  /** Prebuilt binaries (default: `ensureBinaries()`). */
  binaries?: Binaries;
  /** Progress lines; default stderr. */
  log?: (line: string) => void;
  /** How long to wait for the whole cluster (default 90 s). */
  timeoutMs?: number;
  /** Aborting it stops whatever has started and rejects (Ctrl-C during start-up). */
  signal?: AbortSignal;
  /** Extra kube-scheduler flags (logging, e.g. `--vmodule=schedule_one=10`); its configuration stays the default. */
  schedulerFlags?: readonly string[];
}

/** A running control plane. */
export interface RealCluster {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  version: string;
  /** The temporary folder (PKI, etcd data, component kubeconfigs); removed by `stop()`. */
  dir: string;
  /** Where each component's log is (`<name>.log`); kept after `stop()`. */
  logDir: string;
  pki: Pki;
  /** etcd's client URL (for compaction in fault tests). */
  etcdUrl: string;
  /** An HTTPS client acting as the admin. */
  admin: ApiClient;
  /** An HTTPS client acting as the view-only user. */
  viewer: ApiClient;
  /** A kubeconfig with ADMIN_CONTEXT (current) and VIEWER_CONTEXT, certificates embedded. */
  kubeconfig(): string;
  /** Resolves with a message when any component exits on its own (not by `restartApiserver`). */
  died: Promise<string>;
  /** Restarts kube-apiserver in place (same port, flags and etcd); resolves once /readyz is 200 again. */
  restartApiserver(timeoutMs?: number): Promise<void>;
  /** Compacts etcd up to its current revision; resolves with that revision. */
  compactEtcd(): Promise<number>;
  stop(): Promise<void>;
}

/** Nodes from a YAML List or multi-document file, reduced to what a kubelet would register. */
export function readNodes(file: string): Record<string, unknown>[] {
  const docs = yaml.loadAll(fs.readFileSync(file, 'utf8')) as unknown[];
  const items = docs.flatMap((d) => {
    const o = d as { kind?: string; items?: unknown[] } | null;
    return o?.kind === 'List' || (o?.kind ?? '').endsWith('List') ? (o?.items ?? []) : [o];
  });
  return items
    .filter((o): o is Record<string, unknown> => (o as { kind?: string } | null)?.kind === 'Node')
    .map(registrableNode);
}

/** A Node without server-set metadata and kubelet-reported conditions (kwok reports those). */
export function registrableNode(n: Record<string, unknown>): Record<string, unknown> {
  const meta = (n['metadata'] ?? {}) as Record<string, unknown>;
  const status = (n['status'] ?? {}) as Record<string, unknown>;
  const keep = (o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> =>
    Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: keep(meta, ['name', 'labels', 'annotations']),
    spec: keep((n['spec'] ?? {}) as Record<string, unknown>, [
      'taints',
      'unschedulable',
      'podCIDR',
      'podCIDRs',
      'providerID',
    ]),
    status: keep(status, ['capacity', 'allocatable', 'images', 'addresses', 'nodeInfo']),
  };
}

function componentKubeconfig(dir: string, name: string, url: string, pki: Pki, cred: Pki['admin']): string {
  const file = path.join(dir, `${name}.kubeconfig`);
  fs.writeFileSync(file, kubeconfigText(url, pki.ca, [{ context: name, user: name, cred }]), { mode: 0o600 });
  return file;
}

interface NodeList {
  items?: {
    metadata: { name: string };
    spec?: { taints?: { key: string }[] };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

/** Starts the control plane; see the file comment for the contract. */
export async function startRealCluster(opts: RealClusterOptions = {}): Promise<RealCluster> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const reaped = reapLeftovers();
  if (reaped > 0) log(`real-cluster: stopped ${reaped} process(es) left by an earlier run that was killed`);
  const bins = opts.binaries ?? (await ensureBinaries({ log }));
  const nodes = [...(opts.nodesFile ? readNodes(opts.nodesFile) : []), ...(opts.nodes ?? []).map(registrableNode)];

  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  await assertPortFree(port, 'kube-apiserver');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-real-'));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logDir = path.join(cacheRoot(), 'real-cluster', 'logs', `${stamp}-${process.pid}`);
  fs.mkdirSync(logDir, { recursive: true });
  pruneLogs(path.dirname(logDir), 10);

  const components: Component[] = [];
  const record = (): void => {
    recordRun({ launcherPid: process.pid, dir, pids: components.map((c) => c.child.pid ?? 0).filter((p) => p > 0) });
  };
  const runFile = path.join(cacheRoot(), 'real-cluster', 'runs', `${process.pid}.json`);
  let stopped = false;
  let containerLog: ContainerLog | undefined;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    containerLog?.stop();
    await stopComponents(components);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(runFile, { force: true });
  };
  const start = (name: string, bin: string, args: string[]): Component => {
    const c = startComponent(name, bin, args, logDir);
    components.push(c);
    record();
    return c;
  };
  const interrupted = new Promise<never>((_, reject) => {
    const abort = (): void => reject(new Error('interrupted while starting; everything started was stopped'));
    if (opts.signal?.aborted) abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
  });
  interrupted.catch(() => undefined);
  /** Races `p` against every component's exit and an abort, so a crash fails fast with its log. */
  const orDeath = async <T>(p: Promise<T>): Promise<T> => {
    const deaths = components.map((c) =>
      c.exited.then((why) =>
        Promise.reject(new Error(`${c.name} ${why} while the cluster was starting; its log: ${c.logFile}`)),
      ),
    );
    return Promise.race([p, interrupted, ...deaths]);
  };

  try {
    const pki = createPki(dir);
    const url = `https://127.0.0.1:${port}`;
    const admin = new ApiClient(url, pki.ca.cert, pki.admin);
    const viewer = new ApiClient(url, pki.ca.cert, pki.viewer);
    const [etcdClient, etcdPeer, kcmPort, schedPort, kwokPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const deadline = Date.now() + timeoutMs;
    const left = (): number => Math.max(1000, deadline - Date.now());

    log(`real-cluster: starting etcd, kube-apiserver ${KUBERNETES_VERSION} on ${url}`);
    start('etcd', bins.etcd, [
      '--name=default',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ]);
    const apiserverArgs = [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      // The endpoint reconciler refuses loopback addresses; advertise a kind-like node address (nothing
      // dials it: every client uses the kubeconfig's 127.0.0.1 URL).
      '--advertise-address=172.18.0.2',
      `--secure-port=${port}`,
      `--tls-cert-file=${pki.files.servingCert}`,
      `--tls-private-key-file=${pki.files.servingKey}`,
      `--client-ca-file=${pki.files.caCert}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      '--allow-privileged=true',
      '--service-cluster-ip-range=10.96.0.0/12',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.files.saPub}`,
      `--service-account-signing-key-file=${pki.files.saKey}`,
      '--enable-bootstrap-token-auth=true',
      '--profiling=false',
      // pods/log (and exec, port-forward) go to the node's kubelet: kwok's server, at the node's
      // InternalIP (127.0.0.1) and status.daemonEndpoints port, serving a certificate of the run's CA.
      '--kubelet-preferred-address-types=InternalIP',
      `--kubelet-client-certificate=${pki.files.kubeletClientCert}`,
      `--kubelet-client-key=${pki.files.kubeletClientKey}`,
      `--kubelet-certificate-authority=${pki.files.caCert}`,
    ];
    let apiserver = start('kube-apiserver', bins.kubeApiserver, apiserverArgs);
    await orDeath(
      waitUntil(
        async () => (await admin.request('GET', '/readyz', undefined, 2000)).status === 200,
        left(),
        () =>
          `kube-apiserver did not become ready on ${url} within ${timeoutMs / 1000} s; its log: ${apiserver.logFile}`,
      ),
    );

    const kcmConfig = componentKubeconfig(dir, 'kube-controller-manager', url, pki, pki.controllerManager);
    const schedConfig = componentKubeconfig(dir, 'kube-scheduler', url, pki, pki.scheduler);
    const kwokConfig = componentKubeconfig(dir, 'kwok', url, pki, pki.admin);
    start('kube-controller-manager', bins.kubeControllerManager, [
      `--kubeconfig=${kcmConfig}`,
      `--authentication-kubeconfig=${kcmConfig}`,
      `--authorization-kubeconfig=${kcmConfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${kcmPort}`,
      `--client-ca-file=${pki.files.caCert}`,
      `--root-ca-file=${pki.files.caCert}`,
      `--cluster-signing-cert-file=${pki.files.caCert}`,
      `--cluster-signing-key-file=${pki.files.caKey}`,
      `--service-account-private-key-file=${pki.files.saKey}`,
      '--use-service-account-credentials=true',
      '--controllers=*,bootstrapsigner,tokencleaner',
      '--leader-elect=false',
      '--cluster-name=kube-forecast-real',
    ]);
    start('kube-scheduler', bins.kubeScheduler, [
      `--kubeconfig=${schedConfig}`,
      `--authentication-kubeconfig=${schedConfig}`,
      `--authorization-kubeconfig=${schedConfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedPort}`,
      '--leader-elect=false',
      ...(opts.schedulerFlags ?? []),
    ]);
    // Its own folder: kwok's log follower wakes on any write in the file's folder.
    containerLog = startContainerLog(path.join(dir, 'containers', 'container.log'));
    const stagesFile = path.join(dir, 'kwok.yaml');
    fs.writeFileSync(stagesFile, `${await kwokStages(bins)}\n---\n${containerLog.clusterLogs()}`);
    start('kwok', bins.kwok, [
      `--kubeconfig=${kwokConfig}`,
      `--config=${stagesFile}`,
      '--manage-all-nodes=true',
      '--cidr=10.244.0.0/16',
      // Every node's InternalIP and kubelet port (status.daemonEndpoints), where kube-apiserver finds
      // kwok's kubelet server; the debugging handlers (containerLogs, exec, ...) are on by default.
      '--node-ip=127.0.0.1',
      `--node-port=${kwokPort}`,
      `--server-address=127.0.0.1:${kwokPort}`,
      `--tls-cert-file=${pki.files.kubeletServingCert}`,
      `--tls-private-key-file=${pki.files.kubeletServingKey}`,
      '--node-lease-duration-seconds=40',
    ]);

    // The view-only user: ClusterRole `view`, as `kubectl create clusterrolebinding --clusterrole=view` does.
    const crb = await orDeath(
      admin.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'kube-forecast-viewer' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: VIEWER_USER }],
      }),
    );
    if (crb.status !== 201) throw new Error(`kube-apiserver refused the viewer's ClusterRoleBinding: ${crb.text}`);
    for (const n of nodes) {
      const r = await orDeath(admin.request('POST', '/api/v1/nodes', n));
      const name = (n['metadata'] as { name?: string }).name;
      if (r.status !== 201) throw new Error(`kube-apiserver refused Node ${name ?? '(no name)'}: ${r.text}`);
    }
    log(`real-cluster: created ${nodes.length} node(s); waiting for kwok, the controllers and the scheduler`);

    const want = new Set(nodes.map((n) => (n['metadata'] as { name: string }).name));
    let notReady: string[] = [...want];
    await orDeath(
      waitUntil(
        async () => {
          const list = (await admin.request('GET', '/api/v1/nodes')).body as NodeList;
          notReady = [...want].filter((name) => {
            const n = list.items?.find((i) => i.metadata.name === name);
            const ready = n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
            const tainted = n?.spec?.taints?.some((t) => t.key.startsWith('node.kubernetes.io/not-ready')) ?? false;
            return !ready || tainted;
          });
          return notReady.length === 0;
        },
        left(),
        () =>
          `node(s) ${notReady.join(', ')} did not become Ready; see ${path.join(logDir, 'kwok.log')} and ${path.join(logDir, 'kube-controller-manager.log')}`,
      ),
    );
    for (const [name, p] of [
      ['kube-controller-manager', kcmPort],
      ['kube-scheduler', schedPort],
    ] as const) {
      const probe = new ApiClient(`https://127.0.0.1:${p}`, pki.ca.cert, pki.admin);
      await orDeath(
        waitUntil(
          async () => (await probeInsecure(probe)) === 200,
          left(),
          () => `${name} did not report healthy on 127.0.0.1:${p}; its log: ${path.join(logDir, `${name}.log`)}`,
        ),
      );
    }
    await orDeath(
      waitUntil(
        async () => (await admin.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
        left(),
        () =>
          `the ServiceAccount default/default was not created; see ${path.join(logDir, 'kube-controller-manager.log')}`,
      ),
    );
    const version =
      ((await admin.request('GET', '/version')).body as { gitVersion?: string }).gitVersion ?? KUBERNETES_VERSION;
    // A component stopped on purpose (restartApiserver) is not a death; its successor is watched instead.
    const restarted = new Set<Component>();
    let reportDeath: (why: string) => void = () => undefined;
    const died = new Promise<string>((resolve) => (reportDeath = resolve));
    const watchDeath = (c: Component): void =>
      void c.exited.then((why) => {
        if (!restarted.has(c)) reportDeath(`${c.name} ${why}; its log: ${c.logFile}`);
      });
    for (const c of components) watchDeath(c);
    const restartApiserver = async (restartTimeoutMs = 60_000): Promise<void> => {
      const old = apiserver;
      restarted.add(old);
      await stopComponents([old]);
      components.splice(components.indexOf(old), 1);
      apiserver = start('kube-apiserver', bins.kubeApiserver, apiserverArgs);
      watchDeath(apiserver);
      const now = apiserver;
      await Promise.race([
        waitUntil(
          async () => (await admin.request('GET', '/readyz', undefined, 2000)).status === 200,
          restartTimeoutMs,
          () =>
            `kube-apiserver did not become ready again within ${restartTimeoutMs / 1000} s; its log: ${now.logFile}`,
        ),
        now.exited.then((why) =>
          Promise.reject(new Error(`kube-apiserver ${why} while restarting; its log: ${now.logFile}`)),
        ),
      ]);
    };
    return {
      url,
      port,
      version,
      dir,
      logDir,
      pki,
      etcdUrl,
      admin,
      viewer,
      died,
      restartApiserver,
      compactEtcd: () => compactEtcd(etcdUrl),
      kubeconfig: () =>
        kubeconfigText(url, pki.ca, [
          { context: ADMIN_CONTEXT, user: ADMIN_USER, cred: pki.admin },
          { context: VIEWER_CONTEXT, user: VIEWER_USER, cred: pki.viewer },
        ]),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** GET /healthz of a component that serves its own self-signed certificate. */
async function probeInsecure(c: ApiClient): Promise<number> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request(new URL('/healthz', c.server), { rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** kwok's default Stage objects, printed by the kwok-stages helper built from kwok's module. */
async function kwokStages(bins: Binaries): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  return execFileSync(bins.kwokStages, { encoding: 'utf8' });
}

function pruneLogs(parent: string, keep: number): void {
  const runs = fs.readdirSync(parent).sort();
  for (const r of runs.slice(0, Math.max(0, runs.length - keep)))
    fs.rmSync(path.join(parent, r), { recursive: true, force: true });
}
