/**
 * The per-kind files under src/simulator/store/kinds/: each declares one served kind (identity, scope,
 * printer columns), kinds/index.ts lists every file once, and the list is exactly what discovery serves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { aggregatedDiscovery } from '@src/simulator/api/discovery';
import { printerFor } from '@src/simulator/api/table';
import { KINDS, type KindDefinition, definitionOf } from '@src/simulator/store/kinds';
import { KindRegistry } from '@src/simulator/store/registry';
import { Store } from '@src/simulator/store/store';

const KINDS_DIR = resolve(__dirname, '..', '..', '..', '..', 'src', 'simulator', 'store', 'kinds');
/** The kind files: every .ts directly under kinds/ but the list itself (helpers live in kinds/shared/). */
const FILES = readdirSync(KINDS_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

function isDefinition(v: unknown): v is KindDefinition {
  return v !== null && typeof v === 'object' && 'resource' in v && 'printer' in v;
}

const refOf = (k: { group: string; resource: string }): string => `${k.group}/${k.resource}`;

test('every kind file exports one definition with identity, scope and printer columns, and is listed', async () => {
  assert.ok(FILES.length >= 40, `only ${FILES.length} kind files found in ${KINDS_DIR}`);
  for (const f of FILES) {
    const mod = (await import(join(KINDS_DIR, f))) as Record<string, unknown>;
    const defs = Object.values(mod).filter(isDefinition);
    assert.equal(defs.length, 1, `${f} exports ${defs.length} kind definitions`);
    const d = defs[0]!;
    assert.equal(typeof d.group, 'string', `${f}: group`);
    assert.match(d.version, /^v\d/, `${f}: version`);
    assert.match(d.resource, /^[a-z]+$/, `${f}: resource`);
    assert.match(d.kind, /^[A-Z][A-Za-z]+$/, `${f}: kind`);
    assert.equal(typeof d.namespaced, 'boolean', `${f}: scope`);
    assert.ok(d.printer.columns.length >= 2, `${f}: printer columns`);
    assert.ok(KINDS.includes(d), `${f}: ${refOf(d)} is not in kinds/index.ts KINDS`);
  }
});

test('the KINDS list has no duplicates and one file per entry', () => {
  const refs = KINDS.map(refOf);
  assert.deepEqual(
    refs.filter((r, i) => refs.indexOf(r) !== i),
    [],
  );
  assert.equal(new Set(KINDS).size, KINDS.length);
  assert.equal(KINDS.length, FILES.length, 'a KINDS entry without its own file, or a file not listed');
});

test('KINDS covers exactly the kinds the discovery endpoints serve, in discovery order', () => {
  const reg = new KindRegistry();
  const served: string[] = [];
  for (const core of [true, false]) {
    const doc = aggregatedDiscovery(reg, core) as {
      items: { metadata: { name?: string }; versions: { resources: { resource: string }[] }[] }[];
    };
    for (const g of doc.items)
      for (const v of g.versions) for (const r of v.resources) served.push(`${g.metadata.name ?? ''}/${r.resource}`);
  }
  assert.ok(served.includes('/pods') && served.includes('apps/deployments'), 'discovery lists no pods or deployments');
  assert.deepEqual([...served].sort(), KINDS.map(refOf).sort());
  assert.deepEqual(reg.all().map(refOf), KINDS.map(refOf));
});

test('a kind file is what the registry, the Table printer and discovery use', () => {
  const reg = new KindRegistry();
  for (const d of KINDS) {
    const k = reg.get(d.group, d.resource)!;
    assert.equal(definitionOf(k), d);
    assert.equal(k.namespaced, d.namespaced);
    assert.deepEqual(k.shortNames, d.shortNames ?? []);
    assert.deepEqual(k.subresources, d.subresources ?? []);
    assert.deepEqual(
      printerFor(k).columns.map((c) => c.name),
      d.printer.columns.map((c) => c.name),
      refOf(d),
    );
  }
  assert.equal(definitionOf({ group: '', resource: 'pods', custom: true }), undefined, 'custom kinds have no file');
});

test("a kind file's strategy runs on writes: defaults, validation, create strategy", () => {
  const store = new Store();
  try {
    const job = store.create(
      { group: 'batch', resource: 'jobs' },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'j', namespace: 'default' },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
      },
    );
    assert.equal(job['spec'].backoffLimit, 6, 'jobs.ts defaults');
    assert.equal(job['spec'].selector.matchLabels['batch.kubernetes.io/controller-uid'], job.metadata.uid);
    assert.throws(
      () =>
        store.create(
          { group: '', resource: 'services' },
          { apiVersion: 'v1', kind: 'Service', metadata: { name: '1svc', namespace: 'default' }, spec: {} },
        ),
      (e: { status?: { details?: { causes?: { field?: string }[] } } }) => {
        const fields = (e.status?.details?.causes ?? []).map((c) => c.field);
        return fields.includes('metadata.name') && fields.includes('spec.ports');
      },
      'services.ts: a DNS-1035 name and ports are required',
    );
  } finally {
    store.dispose();
  }
});
