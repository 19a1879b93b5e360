/**
 * `npm run conformance:apiserver -- --capture`: captures kube-apiserver v1.37.2's OpenAPI documents
 * from a fresh real control plane (no CRDs) and stores them as generated data for the simulator
 * (src/simulator/api/openapi-data/, read by src/simulator/api/openapi-data.ts):
 * - `/openapi/v2` as JSON and as protobuf (the bytes kube-apiserver sends, gzip, base64) and its ETag;
 * - `/openapi/v3` (the index, hashes included) and every document it lists, as sent.
 *
 * `--capture-tables` captures the Table column definitions (name, type, format, description,
 * priority) kube-apiserver's printers give every listable resource, into
 * src/simulator/api/openapi-data/kube-apiserver-tables.json (read by src/simulator/api/table.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { OpenApiData } from '../../src/simulator/api/openapi-data';
import { repoRoot } from '../real-cluster/binaries';
import { startRealTarget } from './targets';

/** Where the simulator reads the documents from (src/simulator/api/openapi-data.ts imports it). */
const OPENAPI_DATA_FILE = path.join(repoRoot(), 'src/simulator/api/openapi-data/kube-apiserver-openapi.json');

const V2_PB = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

const pack = (b: Buffer | string): string => gzipSync(b, { level: 9 }).toString('base64');

/** Where the simulator reads the Table column definitions from. */
const TABLES_FILE = path.join(repoRoot(), 'src/simulator/api/openapi-data/kube-apiserver-tables.json');

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** Captures every listable resource's Table columnDefinitions into TABLES_FILE, keyed `group/resource`. */
export async function captureTables(log: (l: string) => void): Promise<void> {
  const t = await startRealTarget(log);
  try {
    const c = t.client;
    const version = ((await c.send({ method: 'GET', path: '/version' })).body as { gitVersion: string }).gitVersion;
    const gvs: string[] = ['/api/v1'];
    const groups = (await c.send({ method: 'GET', path: '/apis' })).body as {
      groups: { preferredVersion: { groupVersion: string } }[];
    };
    for (const g of groups.groups) gvs.push(`/apis/${g.preferredVersion.groupVersion}`);
    const tables: Record<string, unknown[]> = {};
    for (const gv of gvs) {
      const rl = (await c.send({ method: 'GET', path: gv })).body as {
        resources: { name: string; verbs: string[] }[];
      };
      const group = gv === '/api/v1' ? '' : gv.split('/')[2]!;
      for (const r of rl.resources) {
        if (r.name.includes('/') || !r.verbs.includes('list')) continue;
        const res = await c.send({ method: 'GET', path: `${gv}/${r.name}?limit=1`, accept: TABLE });
        const body = res.body as { kind?: string; columnDefinitions?: unknown[] };
        if (res.status !== 200 || body.kind !== 'Table') continue;
        tables[`${group}/${r.name}`] = body.columnDefinitions ?? [];
      }
    }
    const out = {
      generated: `Captured from kube-apiserver ${version} by \`npm run conformance:apiserver -- --capture-tables\` (test/apiserver-conformance/capture.ts). Do not edit.`,
      tables,
    };
    fs.writeFileSync(TABLES_FILE, `${JSON.stringify(out, null, 1)}\n`);
    log(`wrote ${TABLES_FILE} (${Object.keys(tables).length} resources)`);
  } finally {
    await t.stop();
  }
}

/** Captures the documents into OPENAPI_DATA_FILE. */
export async function captureOpenApi(log: (l: string) => void): Promise<void> {
  const t = await startRealTarget(log);
  try {
    const c = t.client;
    const get = async (p: string, accept: string): Promise<Buffer> => {
      const r = await c.send({ method: 'GET', path: p, accept });
      if (r.status !== 200) throw new Error(`GET ${p}: ${r.status}`);
      return r.raw;
    };
    const version = ((await c.send({ method: 'GET', path: '/version' })).body as { gitVersion: string }).gitVersion;
    const v2 = await c.send({ method: 'GET', path: '/openapi/v2', accept: 'application/json' });
    const v2pb = await get('/openapi/v2', V2_PB);
    const indexRaw = await get('/openapi/v3', 'application/json');
    const index = JSON.parse(indexRaw.toString('utf8')) as { paths: Record<string, { serverRelativeURL: string }> };
    const docs: Record<string, string> = {};
    for (const [gv, { serverRelativeURL }] of Object.entries(index.paths)) {
      docs[gv] = (await get(serverRelativeURL, 'application/json')).toString('utf8');
      log(`captured /openapi/v3/${gv} (${docs[gv]!.length} bytes)`);
    }
    const data: OpenApiData = {
      generated: `Captured from kube-apiserver ${version} by \`npm run conformance:apiserver -- --capture\` (test/apiserver-conformance/capture.ts). Do not edit.`,
      kubernetesVersion: version,
      v2Etag: String(v2.headers['etag'] ?? '').replace(/"/g, ''),
      v2Json: pack(v2.raw),
      v2Protobuf: pack(v2pb),
      v3: pack(JSON.stringify({ index: indexRaw.toString('utf8'), docs })),
    };
    fs.mkdirSync(path.dirname(OPENAPI_DATA_FILE), { recursive: true });
    fs.writeFileSync(OPENAPI_DATA_FILE, `${JSON.stringify(data, null, 2)}\n`);
    log(`wrote ${OPENAPI_DATA_FILE} (${fs.statSync(OPENAPI_DATA_FILE).size} bytes)`);
  } finally {
    await t.stop();
  }
}
