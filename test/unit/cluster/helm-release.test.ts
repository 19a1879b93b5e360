import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHelmRelease, encodeHelmRelease, latestReleases, type SecretLike } from '@src/cluster/helm-release';

function releaseSecret(name: string, revision: number, status: string): SecretLike {
  return {
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.${name}.v${revision}`,
      namespace: 'web',
      labels: { owner: 'helm', name, version: String(revision), status },
    },
    data: {
      release: encodeHelmRelease({
        name,
        namespace: 'web',
        version: revision,
        info: { status, last_deployed: '2026-11-01T10:00:00Z' },
        chart: {
          metadata: { name: 'nginx', version: `15.${revision}.0`, appVersion: '1.27.0' },
          values: { password: 'hunter2' },
        },
        config: { password: 'hunter2' },
        manifest:
          '---\n# Source: nginx/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-auth\ndata:\n  password: aHVudGVyMg==\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n  namespace: web\n  labels: {app: shop}\nspec:\n  replicas: 2\n',
      }),
    },
  };
}

test('decodes a Helm 3 release secret (base64 of base64 of gzip JSON) into a summary without values', () => {
  const r = decodeHelmRelease(releaseSecret('shop', 3, 'deployed'));
  assert.ok(!('error' in r));
  assert.deepEqual(r, {
    name: 'shop',
    namespace: 'web',
    revision: 3,
    status: 'deployed',
    chart: 'nginx',
    chartVersion: '15.3.0',
    appVersion: '1.27.0',
    updated: '2026-11-01T10:00:00Z',
    resources: ['Secret web/shop-auth', 'Deployment web/shop'],
  });
  assert.ok(!JSON.stringify(r).includes('hunter2'), 'no values');
  assert.ok(!JSON.stringify(r).includes('aHVudGVyMg'), 'no Secret data of the manifest');
});

test('latestReleases keeps the newest revision per release and ignores other secrets', () => {
  const list = latestReleases([
    releaseSecret('shop', 1, 'superseded'),
    releaseSecret('shop', 2, 'deployed'),
    releaseSecret('blog', 1, 'failed'),
    { type: 'Opaque', metadata: { name: 'x', labels: { owner: 'helm' } }, data: { release: 'AAAA' } },
  ]);
  assert.deepEqual(
    list.map((r) => `${r.name}@${r.revision}:${r.status}`),
    ['blog@1:failed', 'shop@2:deployed'],
  );
});

test('corrupt release data is an error value naming the secret', () => {
  const s = releaseSecret('shop', 1, 'deployed');
  s.data = { release: Buffer.from('not base64 gzip json').toString('base64') };
  const r = decodeHelmRelease(s);
  assert.ok('error' in r && r.error.includes('sh.helm.release.v1.shop.v1'));
});
