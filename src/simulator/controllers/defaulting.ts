/**
 * API-server defaulting and admission. Admission (a pod's priority, tolerations, service account,
 * runtime class overhead) is shared with the language server's predictions: that code lives in
 * src/kube-api/defaulting.ts (pure) so that a manifest in the editor is predicted exactly as the
 * simulated cluster would admit it. The decode-time defaults of every kind are kube-apiserver's own
 * (store/defaults.ts): `applyDefaults` here applies those, then admits Pods and mounts their token.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- pod specs are wire JSON here. */
import { admitPod, EMPTY_LOOKUP, type AdmissionLookup } from '../../kube-api/defaulting';
import type { KubeObject as ModelObject } from '../../kube-api/types';
import { applyApiDefaults } from '../store/defaults';

/** The ServiceAccount admission plugin's token volume name prefix and mount path. */
const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The ServiceAccount admission plugin's projected token volume (`kube-api-access-xxxxx`: the token,
 * the cluster CA and the namespace) and its read-only mount in every container, unless the pod opts
 * out (`automountServiceAccountToken: false`) or already mounts that path.
 */
export function mountServiceAccountToken(pod: ModelObject): void {
  const spec = pod.spec as Record<string, any> | undefined;
  if (spec === undefined || spec === null || spec['automountServiceAccountToken'] === false) return;
  const volumes: any[] = Array.isArray(spec['volumes']) ? spec['volumes'] : [];
  if (volumes.some((v) => typeof v?.name === 'string' && v.name.startsWith(TOKEN_VOLUME_PREFIX))) return;
  const containers: any[] = [
    ...(Array.isArray(spec['initContainers']) ? spec['initContainers'] : []),
    ...(Array.isArray(spec['containers']) ? spec['containers'] : []),
  ];
  let name = TOKEN_VOLUME_PREFIX;
  for (let i = 0; i < 5; i++) name += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  spec['volumes'] = [
    ...volumes,
    {
      name,
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
            },
          },
        ],
        defaultMode: 420,
      },
    },
  ];
  for (const c of containers) {
    if (c === null || typeof c !== 'object') continue;
    const mounts: any[] = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
    if (mounts.some((m) => m?.mountPath === TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...mounts, { name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
  }
}

/**
 * kube-apiserver's decode-time defaults for any built-in object (by apiVersion and kind), then, for
 * Pods, admission. Returns an admission error message or undefined. Unknown kinds are left unchanged.
 */
export function applyDefaults(obj: ModelObject, lookup: AdmissionLookup = EMPTY_LOOKUP): string | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const av = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = av.indexOf('/');
  const group = slash >= 0 ? av.slice(0, slash) : '';
  const version = slash >= 0 ? av.slice(slash + 1) : av;
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  if (kind === '' || version === '') return undefined;
  applyApiDefaults({ group, version, kind, custom: false }, obj as Record<string, unknown>);
  if (group === '' && kind === 'Pod') {
    const err = admitPod(obj, lookup);
    if (err === undefined) mountServiceAccountToken(obj);
    return err;
  }
  return undefined;
}
