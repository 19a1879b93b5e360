import { startTestCluster } from '../clusters/test-cluster';
async function main() {
  const c = await startTestCluster('real');
  const ns = await c.freshNamespace('probe');
  const rv0 = (await c.api('GET', `/api/v1/namespaces/${ns}/pods`)).body.metadata.resourceVersion;
  const node = (await c.api('GET', `/api/v1/nodes`)).body.items[0].metadata.name;
  const p = await c.api('POST', `/api/v1/namespaces/${ns}/pods`, {
    metadata: { name: 'p' },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }] },
  });
  console.log('pod rv', p.status, p.body.metadata?.resourceVersion);
  await new Promise((r) => setTimeout(r, 3000));
  const dp = await c.api('DELETE', `/api/v1/namespaces/${ns}/pods/p`, { gracePeriodSeconds: 20 });
  console.log('delete pod', dp.status, dp.body.metadata?.resourceVersion, dp.body.metadata?.deletionGracePeriodSeconds);
  const d2 = await c.api('DELETE', `/api/v1/namespaces/${ns}/pods/p`, { gracePeriodSeconds: 0 });
  console.log(
    'delete pod 0',
    d2.status,
    d2.body.metadata?.resourceVersion,
    d2.body.metadata?.deletionGracePeriodSeconds,
  );
  const w = await c.api('GET', `/api/v1/namespaces/${ns}/pods?watch=1&resourceVersion=${rv0}&timeoutSeconds=2`);
  for (const l of String(w.body).split('\n').filter(Boolean)) {
    const e = JSON.parse(l);
    const m = e.object.metadata;
    console.log(
      e.type,
      m.resourceVersion,
      m.generation,
      m.deletionTimestamp,
      m.deletionGracePeriodSeconds,
      e.object.status?.phase,
    );
  }
  await c.close();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
