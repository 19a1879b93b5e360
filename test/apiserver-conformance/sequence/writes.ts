/**
 * Writes: the four patch types, server-side apply (create, conflicts, force, managedFields), dry run
 * and field validation (Strict, Warn, Ignore; unknown and duplicate fields).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON read by field path. */
import { NS } from '../kinds';
import type { Ctx } from '../context';
import { behaviour, type Behaviour } from './behaviour';

const CM = `/api/v1/namespaces/${NS}/configmaps`;
const DEP = `/apis/apps/v1/namespaces/${NS}/deployments`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const JSON_PATCH = 'application/json-patch+json';
const MERGE = 'application/merge-patch+json';
const SMP = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

/** A pod no scheduler picks up, so nothing but the sequence changes it. */
export function idlePod(name: string, extra: Record<string, any> = {}): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { set: 'writes' } },
    spec: {
      schedulerName: 'kfc-nobody',
      containers: [
        { name: 'a', image: 'registry.k8s.io/pause:3.10', env: [{ name: 'X', value: '1' }] },
        { name: 'b', image: 'registry.k8s.io/pause:3.10' },
      ],
      ...extra,
    },
  };
}

/** `v` with the keys of every object in it in reverse order (arrays keep theirs). */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .reverse()
      .map(([k, x]) => [k, reversedKeys(x)]),
  );
}

function patch(c: Ctx, label: string, path: string, contentType: string, body: unknown, query = ''): Promise<unknown> {
  return c.call(label, {
    method: 'PATCH',
    path: `${path}${query}`,
    contentType,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const WRITES: Behaviour[] = [
  behaviour('patch: JSON patch', async (c) => {
    await c.send({ method: 'POST', path: CM, body: { metadata: { name: 'jp' }, data: { a: '1', b: '2' } } });
    await patch(c, 'add, replace, remove, test', `${CM}/jp`, JSON_PATCH, [
      { op: 'test', path: '/data/a', value: '1' },
      { op: 'add', path: '/data/c', value: '3' },
      { op: 'replace', path: '/data/a', value: '10' },
      { op: 'remove', path: '/data/b' },
    ]);
    await patch(c, 'a failing test', `${CM}/jp`, JSON_PATCH, [{ op: 'test', path: '/data/a', value: 'nope' }]);
    await patch(c, 'remove a missing path', `${CM}/jp`, JSON_PATCH, [{ op: 'remove', path: '/data/zzz' }]);
    await patch(c, 'not a patch', `${CM}/jp`, JSON_PATCH, { op: 'add' });
    await patch(c, 'on a missing object', `${CM}/jp-missing`, JSON_PATCH, [{ op: 'add', path: '/data/x', value: '1' }]);
  }),
  behaviour('update: key order alone is no change', async (c) => {
    // Go decodes into structs and maps, so field and key order never reach storage: a PUT that only
    // reorders keys is a no-op (same resourceVersion, same generation), and a JSON patch `test`
    // compares objects whatever their key order.
    const pod = idlePod('order', {
      containers: [{ name: 'a', image: 'x', resources: { requests: { memory: '64Mi', cpu: '10m' } } }],
    });
    pod['metadata'].labels = { zz: '1', app: 'order', aa: '2' };
    await c.send({ method: 'POST', path: PODS, body: pod });
    await c.send({ method: 'POST', path: CM, body: { metadata: { name: 'order' }, data: { b: '2', a: '1', c: '3' } } });
    for (const path of [`${PODS}/order`, `${CM}/order`]) {
      const cur = (await c.send({ method: 'GET', path })).body as any;
      await c.call(
        `PUT ${path.split('/').at(-2)} with every key order reversed`,
        { method: 'PUT', path, body: reversedKeys(cur) },
        (o) => ({
          sameResourceVersion: o?.metadata?.resourceVersion === cur.metadata.resourceVersion,
          sameGeneration: o?.metadata?.generation === cur.metadata.generation,
        }),
      );
    }
    await patch(c, 'test an object in another key order', `${CM}/order`, JSON_PATCH, [
      { op: 'test', path: '/data', value: { c: '3', a: '1', b: '2' } },
      { op: 'add', path: '/data/d', value: '4' },
    ]);
  }),
  behaviour('decode: empty omitempty maps and lists are left out', async (c) => {
    // Go decodes `{}`, `[]` and null into empty or nil maps and slices, and its encoding leaves those out
    // (`omitempty`); a struct (`resources: {}`) is never left out.
    const view = (o: any): unknown => ({
      metadata: Object.keys(o?.metadata ?? {})
        .filter((k) => ['labels', 'annotations', 'finalizers', 'ownerReferences'].includes(k))
        .sort(),
      data: o?.data,
      spec:
        o?.spec === undefined
          ? undefined
          : Object.keys(o.spec)
              .filter((k) => ['nodeSelector', 'imagePullSecrets'].includes(k))
              .sort(),
      container: o?.spec?.containers?.[0] === undefined ? undefined : Object.keys(o.spec.containers[0]).sort(),
    });
    await c.call(
      'POST a ConfigMap with empty labels, annotations and finalizers',
      {
        method: 'POST',
        path: CM,
        body: { metadata: { name: 'empties', labels: {}, annotations: null, finalizers: [] }, data: { a: '1' } },
      },
      view,
    );
    const cur = (await c.send({ method: 'GET', path: `${CM}/empties` })).body as any;
    await c.call(
      'PUT adding only an empty map is a no-op',
      {
        method: 'PUT',
        path: `${CM}/empties`,
        body: { ...cur, metadata: { ...cur.metadata, labels: {}, ownerReferences: [] } },
      },
      (o) => ({
        sameResourceVersion: o?.metadata?.resourceVersion === cur.metadata.resourceVersion,
        ...(view(o) as object),
      }),
    );
    const pod = idlePod('empties', {
      nodeSelector: {},
      imagePullSecrets: [],
      containers: [{ name: 'a', image: 'x', env: [], ports: [], resources: {}, volumeMounts: null }],
    });
    await c.call('POST a Pod with empty maps, lists and a struct', { method: 'POST', path: PODS, body: pod }, view);
  }),
  behaviour('patch: merge patch', async (c) => {
    await patch(c, 'set and delete with null', `${CM}/jp`, MERGE, {
      data: { a: null, d: '4' },
      metadata: { labels: { m: 'x' } },
    });
    await patch(c, 'malformed JSON', `${CM}/jp`, MERGE, '{"data":');
    await patch(c, 'change the name', `${CM}/jp`, MERGE, { metadata: { name: 'other' } });
  }),
  behaviour('patch: strategic merge patch', async (c) => {
    await c.send({ method: 'POST', path: PODS, body: idlePod('smp') });
    await c.send({
      method: 'POST',
      path: DEP,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'smp-dep' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'smp' } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } },
          template: {
            metadata: { labels: { app: 'smp' } },
            spec: {
              containers: [
                { name: 'a', image: 'registry.k8s.io/pause:3.10', env: [{ name: 'X', value: '1' }] },
                { name: 'b', image: 'registry.k8s.io/pause:3.10' },
              ],
            },
          },
        },
      },
    });
    const dep = `${DEP}/smp-dep`;
    const containers = (d: any): unknown => d?.spec?.template?.spec?.containers;
    const smp = async (label: string, body: unknown): Promise<void> => {
      const r = await c.send({ method: 'PATCH', path: dep, contentType: SMP, body });
      c.note(label, { status: r.status, containers: r.status === 200 ? containers(r.body) : r.body });
    };
    await smp('containers merged by name', {
      spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }] }] } } },
    });
    await smp('$patch: delete of an env entry', {
      spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'X', $patch: 'delete' }] }] } } },
    });
    await smp('$setElementOrder/containers', {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
            containers: [{ name: 'b', image: 'registry.k8s.io/pause:3.9' }],
          },
        },
      },
    });
    await smp('$patch: replace of a list', {
      spec: {
        template: { spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }, { $patch: 'replace' }] } },
      },
    });
    const r = await c.send({
      method: 'PATCH',
      path: dep,
      contentType: SMP,
      body: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    });
    c.note('$retainKeys', { status: r.status, strategy: (r.body as any)?.spec?.strategy ?? r.body });
    await patch(c, 'a pod: an immutable field', `${PODS}/smp`, SMP, { spec: { restartPolicy: 'Never' } });
    await patch(c, 'a pod: the image may change', `${PODS}/smp`, SMP, {
      spec: { containers: [{ name: 'a', image: 'registry.k8s.io/pause:3.9' }] },
    });
  }),
  behaviour('patch: unsupported content type', async (c) => {
    await patch(c, 'text/plain', `${CM}/jp`, 'text/plain', '{}');
    await patch(c, 'application/json', `${CM}/jp`, 'application/json', '{}');
  }),
  behaviour('server-side apply', async (c) => {
    const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: NS } };
    await patch(
      c,
      'create by apply (a)',
      `${CM}/ssa`,
      APPLY,
      { ...base, data: { a: '1', shared: 'x' } },
      '?fieldManager=kf-a',
    );
    await patch(c, 'apply without fieldManager', `${CM}/ssa`, APPLY, { ...base, data: { a: '1' } });
    await patch(
      c,
      'conflict (b)',
      `${CM}/ssa`,
      APPLY,
      { ...base, data: { shared: 'y', b: '2' } },
      '?fieldManager=kf-b',
    );
    await patch(
      c,
      'force (b)',
      `${CM}/ssa`,
      APPLY,
      { ...base, data: { shared: 'y', b: '2' } },
      '?fieldManager=kf-b&force=true',
    );
    await patch(c, 'a drops a field it owns alone', `${CM}/ssa`, APPLY, { ...base, data: {} }, '?fieldManager=kf-a');
    await patch(
      c,
      'as YAML',
      `${CM}/ssa`,
      APPLY,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  c: "3"\n',
      '?fieldManager=kf-c',
    );
    await patch(
      c,
      'with managedFields in the body',
      `${CM}/ssa`,
      APPLY,
      { ...base, metadata: { ...base.metadata, managedFields: [{ manager: 'x' }] } },
      '?fieldManager=kf-d',
    );
    await patch(c, 'force=true on a merge patch', `${CM}/ssa`, MERGE, { data: { e: '5' } }, '?force=true');
    await patch(
      c,
      'a kind mismatch',
      `${CM}/ssa`,
      APPLY,
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ssa' } },
      '?fieldManager=kf-a',
    );
    await c.call('update by a second manager then apply conflict', {
      method: 'PUT',
      path: `${CM}/ssa?fieldManager=kf-put`,
      body: { ...base, data: { shared: 'z', b: '2', c: '3' } },
    });
    await patch(
      c,
      'conflict with an Update manager',
      `${CM}/ssa`,
      APPLY,
      { ...base, data: { shared: 'w' } },
      '?fieldManager=kf-b',
    );
    await patch(
      c,
      'deployment by apply',
      `${DEP}/ssa-dep`,
      APPLY,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'ssa-dep' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'ssa' } },
          template: {
            metadata: { labels: { app: 'ssa' } },
            spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
          },
        },
      },
      '?fieldManager=kf-a',
    );
  }),
  behaviour('dry run', async (c) => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: '1' } };
    await c.call('POST dryRun=All', { method: 'POST', path: `${CM}?dryRun=All`, body });
    await c.call('GET after a dry-run POST', { method: 'GET', path: `${CM}/dry` });
    await c.call('POST dryRun=Bogus', { method: 'POST', path: `${CM}?dryRun=Bogus`, body });
    await c.send({ method: 'POST', path: CM, body });
    await c.call('PUT dryRun=All', {
      method: 'PUT',
      path: `${CM}/dry?dryRun=All`,
      body: { ...body, data: { a: '2' } },
    });
    await c.call('PATCH dryRun=All', {
      method: 'PATCH',
      path: `${CM}/dry?dryRun=All`,
      contentType: MERGE,
      body: { data: { a: '3' } },
    });
    await c.call('apply dryRun=All', {
      method: 'PATCH',
      path: `${CM}/dry-apply?dryRun=All&fieldManager=kf-a`,
      contentType: APPLY,
      body: { ...body, metadata: { name: 'dry-apply' } },
    });
    await c.call('DELETE dryRun=All', { method: 'DELETE', path: `${CM}/dry?dryRun=All` });
    await c.call('GET after the dry runs', { method: 'GET', path: `${CM}/dry` });
    await c.call('GET the dry-run apply', { method: 'GET', path: `${CM}/dry-apply` });
  }),
  behaviour('field validation', async (c) => {
    const unknown =
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fv-NAME","bogus":1},"data":{"a":"1"},"extra":true}';
    const dup =
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fv-dup-NAME"},"data":{"a":"1"},"data":{"b":"2"}}';
    for (const mode of ['Strict', 'Warn', 'Ignore', '']) {
      const q = mode === '' ? '' : `?fieldValidation=${mode}`;
      const n = (mode || 'default').toLowerCase();
      await c.call(`POST unknown fields ${mode || '(default)'}`, {
        method: 'POST',
        path: `${CM}${q}`,
        body: unknown.replace('NAME', n),
      });
      await c.call(`POST duplicate fields ${mode || '(default)'}`, {
        method: 'POST',
        path: `${CM}${q}`,
        body: dup.replace('NAME', n),
      });
    }
    await c.call('POST fieldValidation=Bogus', {
      method: 'POST',
      path: `${CM}?fieldValidation=Bogus`,
      body: unknown.replace('NAME', 'bogus'),
    });
    await c.call('pod: unknown container field Strict', {
      method: 'POST',
      path: `${PODS}?fieldValidation=Strict`,
      body: idlePod('fv-pod', { containers: [{ name: 'c', image: 'x', imagePullPolcy: 'Always' }] }),
    });
    await c.call('merge patch unknown field Strict', {
      method: 'PATCH',
      path: `${CM}/jp?fieldValidation=Strict`,
      contentType: MERGE,
      body: { spec: { x: 1 } },
    });
    await c.call('apply unknown field Strict', {
      method: 'PATCH',
      path: `${CM}/fv-apply?fieldValidation=Strict&fieldManager=kf-a`,
      contentType: APPLY,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fv-apply' }, spec: { x: 1 } },
    });
    await c.call('apply unknown field Warn', {
      method: 'PATCH',
      path: `${CM}/fv-apply?fieldValidation=Warn&fieldManager=kf-a`,
      contentType: APPLY,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fv-apply' }, spec: { x: 1 } },
    });
  }),
];
