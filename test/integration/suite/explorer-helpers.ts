/**
 * Helpers for the explorer's in-host tests: the test cluster (the simulated cluster or the real
 * control plane, by KF_TEST_CLUSTER; see test/clusters/test-cluster.ts) with a kubeconfig of two
 * contexts (`it-admin`, `it-viewer`), tree navigation through the extension's data provider, and
 * change-event probes.
 */
import * as vscode from 'vscode';
import type { TreeNode } from '@src/shared/protocol';
import { activated, waitFor } from './helpers';

export { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';

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
