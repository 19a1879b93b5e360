/**
 * Helm 3 releases decoded from their storage Secrets, without the helm binary.
 *
 * Helm stores each revision as a Secret of type `helm.sh/release.v1` labelled
 * `owner=helm,name=<release>,version=<revision>,status=<status>`; `data.release` is
 * base64(kube) of base64(helm) of gzip(JSON release). Contract: `decodeHelmRelease` returns
 * the summary or an error value; it never returns chart values or manifests (they may hold
 * secrets), and never throws.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { splitYamlDocuments } from '../shared/yaml-documents';

export interface HelmReleaseSummary {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart: string;
  chartVersion: string;
  appVersion: string;
  updated?: string | undefined;
  /** The objects the release's rendered manifest holds (`Kind namespace/name`), never their content. */
  resources?: string[];
}

export interface SecretLike {
  type?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

function isHelmReleaseSecret(s: SecretLike): boolean {
  return s.type === 'helm.sh/release.v1' && s.metadata?.labels?.['owner'] === 'helm';
}

export function decodeHelmRelease(s: SecretLike): HelmReleaseSummary | { error: string } {
  const labels = s.metadata?.labels ?? {};
  const raw = s.data?.['release'];
  if (!raw) return { error: `secret ${s.metadata?.name ?? '?'} has no data.release` };
  try {
    let bytes = Buffer.from(Buffer.from(raw, 'base64').toString('utf8'), 'base64');
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    const rel = JSON.parse(bytes.toString('utf8')) as {
      name?: string;
      namespace?: string;
      version?: number;
      info?: { status?: string; last_deployed?: string };
      chart?: { metadata?: { name?: string; version?: string; appVersion?: string } };
      manifest?: string;
    };
    return {
      name: rel.name ?? labels['name'] ?? '?',
      namespace: rel.namespace ?? s.metadata?.namespace ?? '',
      revision: rel.version ?? Number(labels['version'] ?? 0),
      status: rel.info?.status ?? labels['status'] ?? 'unknown',
      chart: rel.chart?.metadata?.name ?? '?',
      chartVersion: rel.chart?.metadata?.version ?? '',
      appVersion: rel.chart?.metadata?.appVersion ?? '',
      updated: rel.info?.last_deployed,
      resources: manifestObjects(rel.manifest ?? '', rel.namespace ?? s.metadata?.namespace ?? ''),
    };
  } catch (e) {
    return {
      error: `secret ${s.metadata?.name ?? '?'}: release data is not a Helm 3 release (${e instanceof Error ? e.message.split('\n')[0] : 'decode failed'})`,
    };
  }
}

/** `Kind namespace/name` of each object in a rendered manifest (`kind:` and `metadata.name` only; values stay unread). */
function manifestObjects(manifest: string, releaseNamespace: string): string[] {
  const out: string[] = [];
  for (const { body: doc } of splitYamlDocuments(manifest)) {
    const kind = /^kind:\s*(\S+)/m.exec(doc)?.[1];
    const meta = /^metadata:\s*\n((?:[ \t]+.*\n?)*)/m.exec(doc)?.[1] ?? '';
    const name = /^[ \t]+name:\s*['"]?([^'"\s]+)/m.exec(meta)?.[1];
    const ns = /^[ \t]+namespace:\s*['"]?([^'"\s]+)/m.exec(meta)?.[1];
    if (kind !== undefined && name !== undefined) out.push(`${kind} ${ns ?? releaseNamespace}/${name}`);
  }
  return out;
}

/** The newest revision of each release (by namespace/name). */
export function latestReleases(secrets: readonly SecretLike[]): HelmReleaseSummary[] {
  const best = new Map<string, HelmReleaseSummary>();
  for (const s of secrets) {
    if (!isHelmReleaseSecret(s)) continue;
    const r = decodeHelmRelease(s);
    if ('error' in r) continue;
    const k = `${r.namespace}/${r.name}`;
    const cur = best.get(k);
    if (!cur || r.revision > cur.revision) best.set(k, r);
  }
  return [...best.values()].sort((a, b) => (a.namespace + '/' + a.name).localeCompare(b.namespace + '/' + b.name));
}

/** Encodes a release the way Helm stores it (used by the simulated cluster and tests). */
export function encodeHelmRelease(release: object): string {
  const helmB64 = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return Buffer.from(helmB64).toString('base64');
}
