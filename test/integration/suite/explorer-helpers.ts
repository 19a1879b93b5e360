/**
 * Helpers for the explorer's in-host tests: a simulated cluster started in this process (127.0.0.1,
 * port 0) with a kubeconfig of two contexts (`it-admin`, `it-viewer` with the read-only token), tree
 * navigation through the extension's data provider, and change-event probes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSimulator, type Simulator } from '../../../src/simulator/api/server';
import type { TreeNode } from '../../../src/shared/protocol';
import { activated, waitFor } from './helpers';

/** A running simulator and the kubeconfig file naming it. */
export interface TestCluster {
  sim: Simulator;
  kubeconfig: string;
  /** Rewrites the kubeconfig with `token` for `it-admin`. */
  writeKubeconfig(adminToken: string): void;
  close(): Promise<void>;
}

/** A second admin token the tests switch to after expiring the first. */
export const SECOND_TOKEN = 'it-second-admin-token';

/** Starts a simulator and writes its two-context kubeconfig to a temp file. */
export async function startTestCluster(): Promise<TestCluster> {
  const sim = await startSimulator({
    onError: () => undefined,
    tokens: [{ token: SECOND_TOKEN, user: 'it-admin-2', groups: ['system:masters'] }],
    bookmarkIntervalMs: 1000,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-it-'));
  const kubeconfig = path.join(dir, 'config');
  const write = (adminToken: string): void => {
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'current-context: it-admin',
      'clusters:',
      '- name: it',
      '  cluster:',
      `    server: ${sim.url}`,
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: admin',
      '  user:',
      `    token: ${adminToken}`,
      '- name: viewer',
      '  user:',
      `    token: ${sim.readOnlyToken}`,
      'contexts:',
      '- name: it-admin',
      '  context: {cluster: it, user: admin, namespace: default}',
      '- name: it-viewer',
      '  context: {cluster: it, user: viewer, namespace: default}',
      '',
    ].join('\n');
    fs.writeFileSync(kubeconfig, text, { mode: 0o600 });
  };
  write(sim.adminToken);
  return {
    sim,
    kubeconfig,
    writeKubeconfig: write,
    close: async () => {
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Points the extension at `kubeconfig` (user setting) and connects to `context` through Choose Context. */
export async function useContext(kubeconfig: string, context: string): Promise<{ ok: boolean; reason?: string }> {
  await vscode.workspace
    .getConfiguration('kubeForecast')
    .update('kubeconfig', kubeconfig, vscode.ConfigurationTarget.Global);
  return (await vscode.commands.executeCommand('kubeForecast.chooseContext', context)) as {
    ok: boolean;
    reason?: string;
  };
}

/** Disconnects and clears the kubeconfig setting and the saved namespaces. */
export async function disconnect(): Promise<void> {
  const { api } = await activated();
  await vscode.commands.executeCommand('kubeForecast.chooseNamespaces', { namespaces: [] });
  await api.connect({ source: 'none' });
  await vscode.workspace
    .getConfiguration('kubeForecast')
    .update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
}

/** The children of `parent` (the root when undefined). */
export async function children(parent?: TreeNode): Promise<TreeNode[]> {
  const { api } = await activated();
  return ((await api.clusterTree.getChildren?.(parent)) ?? []) as TreeNode[];
}

/** Follows labels from the root (`['it-admin', 'Namespaces', 'default', 'Pods']`); undefined when a step is missing. */
export async function nodeAt(labels: readonly string[]): Promise<TreeNode | undefined> {
  let cur: TreeNode | undefined;
  for (const l of labels) {
    const next: TreeNode | undefined = (await children(cur)).find((n) => n.label === l);
    if (next === undefined) return undefined;
    cur = next;
  }
  return cur;
}

/** Labels of the children at `labels`. */
export async function labelsAt(labels: readonly string[]): Promise<string[]> {
  const n = await nodeAt(labels);
  return n === undefined ? [] : (await children(n)).map((c) => c.label);
}

/** Polls until the children labels at `path` satisfy `ok`; returns the last labels. */
export function waitForLabels(
  labels: readonly string[],
  ok: (l: string[]) => boolean,
  timeoutMs = 20_000,
): Promise<string[]> {
  return waitFor(() => labelsAt(labels), ok, timeoutMs);
}

/** Records the nodes `onDidChangeTreeData` fires for, until disposed. */
export async function recordTreeEvents(): Promise<{ events: (TreeNode | undefined)[]; dispose(): void }> {
  const { api } = await activated();
  const events: (TreeNode | undefined)[] = [];
  const sub = api.clusterTree.onDidChangeTreeData?.((e) => {
    if (Array.isArray(e)) events.push(...(e as TreeNode[]));
    else events.push((e ?? undefined) as TreeNode | undefined);
  });
  return { events, dispose: () => sub?.dispose() };
}
