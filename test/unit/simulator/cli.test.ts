/**
 * The simulator's CLI: argument parsing, and a real start that prints its address and writes a
 * kubeconfig whose CA verifies the generated serving certificate.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- responses are wire JSON, asserted by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { parseArgs } from '@src/simulator/main';

test('parseArgs reads every flag and names the bad one', () => {
  assert.deepEqual(
    parseArgs([
      '--port',
      '0',
      '--tls',
      '--nodes=5',
      '--zones',
      '2',
      '--kubeconfig-out',
      'k',
      '--snapshot',
      's.json',
      '--version-minor',
      '27',
      '--context',
      'npm-start-simulator',
    ]),
    {
      port: 0,
      tls: true,
      nodes: 5,
      zones: 2,
      snapshot: 's.json',
      kubeconfigOut: 'k',
      context: 'npm-start-simulator',
      versionMinor: 27,
      controllers: true,
    },
  );
  assert.equal(parseArgs(['--no-controllers']).controllers, false);
  assert.equal(parseArgs(['--tls', '--plain-http']).tls, false);
  assert.throws(() => parseArgs(['--port', 'x']), /--port: expected a non-negative integer/);
  assert.throws(() => parseArgs(['--bogus']), /unknown flag: --bogus/);
});

test(
  'simulator CLI starts over TLS with a demo cluster and writes a working kubeconfig',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-sim-cli-'));
    const kc = join(dir, 'kubeconfig');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/simulator/main.ts',
        '--port',
        '0',
        '--tls',
        '--nodes',
        '4',
        '--zones',
        '2',
        '--kubeconfig-out',
        kc,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      await new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (/kubeconfig written/.test(out)) resolve();
        };
        child.stdout.on('data', check);
        child.on('exit', (code) => reject(new Error(`exited with ${String(code)}: ${out}`)));
      });
      const url = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      assert.ok(url, out);
      const cfg = yaml.load(readFileSync(kc, 'utf8')) as any;
      assert.equal(cfg['current-context'], 'kube-forecast-sim');
      const ca = Buffer.from(cfg.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
      const token = cfg.users[0].user.token;
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`${url}/api/v1/nodes`, { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
            let s = '';
            res.on('data', (c: Buffer) => (s += c.toString()));
            res.on('end', () => resolve(s));
          })
          .on('error', reject);
      });
      assert.equal(JSON.parse(body).items.length, 4);
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
