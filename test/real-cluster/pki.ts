/**
 * The certificates and keys of one real-cluster run, as kubeadm lays them out: a cluster CA, the
 * kube-apiserver serving certificate, client certificates for the admin (group system:masters), the
 * view-only user, kube-controller-manager and kube-scheduler, kube-apiserver's client certificate
 * for kubelets, the node agent's (kwok's) kubelet serving certificate, and the service-account
 * signing key pair. Everything is generated fresh per run and written under `<dir>/pki`.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createCA, issueClientCert, issueServingCert, type CertKey } from '../../src/simulator/api/tls';

/** The user the view-only context authenticates as; bound to ClusterRole `view`. */
export const VIEWER_USER = 'kube-forecast-viewer';
/** The admin user (CN); O=system:masters. */
export const ADMIN_USER = 'kube-forecast-admin';

/** Paths of the files a run's components read. */
export interface PkiFiles {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  saKey: string;
  saPub: string;
  /** kube-apiserver's client certificate towards kubelets (`--kubelet-client-certificate`). */
  kubeletClientCert: string;
  kubeletClientKey: string;
  /** kwok's kubelet serving certificate (127.0.0.1), trusted by kube-apiserver through the CA. */
  kubeletServingCert: string;
  kubeletServingKey: string;
}

/** The generated material, in memory and on disk. */
export interface Pki {
  ca: CertKey;
  admin: CertKey;
  viewer: CertKey;
  controllerManager: CertKey;
  scheduler: CertKey;
  files: PkiFiles;
}

/** Generates a run's PKI under `<dir>/pki` (files 0600). */
export function createPki(dir: string): Pki {
  const pkiDir = path.join(dir, 'pki');
  fs.mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const ca = createCA('kube-forecast-real-ca');
  const serving = issueServingCert(ca, 'kube-apiserver', {
    ips: ['127.0.0.1', '10.96.0.1'],
    dns: [
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
    ],
  });
  // kubeadm's apiserver-kubelet-client: the identity kube-apiserver shows a kubelet (logs, exec, proxy).
  const kubeletClient = issueClientCert(ca, 'kube-apiserver-kubelet-client', ['system:masters']);
  // The kubelet endpoint every kwok node reports (InternalIP 127.0.0.1, see control-plane.ts).
  const kubeletServing = issueServingCert(ca, 'kwok-kubelet', { ips: ['127.0.0.1'], dns: ['localhost'] });
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const write = (name: string, text: string): string => {
    const p = path.join(pkiDir, name);
    fs.writeFileSync(p, text, { mode: 0o600 });
    return p;
  };
  const files: PkiFiles = {
    caCert: write('ca.crt', ca.cert),
    caKey: write('ca.key', ca.key),
    servingCert: write('apiserver.crt', serving.cert),
    servingKey: write('apiserver.key', serving.key),
    saKey: write('sa.key', sa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    saPub: write('sa.pub', sa.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    kubeletClientCert: write('apiserver-kubelet-client.crt', kubeletClient.cert),
    kubeletClientKey: write('apiserver-kubelet-client.key', kubeletClient.key),
    kubeletServingCert: write('kubelet.crt', kubeletServing.cert),
    kubeletServingKey: write('kubelet.key', kubeletServing.key),
  };
  return {
    ca,
    admin: issueClientCert(ca, ADMIN_USER, ['system:masters']),
    viewer: issueClientCert(ca, VIEWER_USER, []),
    controllerManager: issueClientCert(ca, 'system:kube-controller-manager', []),
    scheduler: issueClientCert(ca, 'system:kube-scheduler', []),
    files,
  };
}

/** One user of a kubeconfig. */
export interface KubeconfigUser {
  context: string;
  user: string;
  cred: CertKey;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A kubeconfig for `server` with one context per user (the first is current), certificates embedded. */
export function kubeconfigText(
  server: string,
  ca: CertKey,
  users: readonly KubeconfigUser[],
  cluster = 'kube-forecast-real',
): string {
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${users[0]!.context}`,
    'clusters:',
    `- name: ${cluster}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(ca.cert)}`,
    'users:',
    ...users.flatMap((u) => [
      `- name: ${u.user}`,
      '  user:',
      `    client-certificate-data: ${b64(u.cred.cert)}`,
      `    client-key-data: ${b64(u.cred.key)}`,
    ]),
    'contexts:',
    ...users.flatMap((u) => [
      `- name: ${u.context}`,
      '  context:',
      `    cluster: ${cluster}`,
      `    user: ${u.user}`,
      '    namespace: default',
    ]),
    '',
  ];
  return lines.join('\n');
}
