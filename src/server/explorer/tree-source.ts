/** What the explorer's tree model reads (the caches, through {@link TreeSource}) and the connection it belongs to. */
import type { ClusterHealth, WatchedKind } from '../../cluster/cluster-session';
import type { KindState, KubeObj } from './cluster-data';

/** What the model reads: lists and states of kinds, from the caches. */
export interface TreeSource {
  /** The namespaces chosen by the user (empty: all). */
  readonly namespaces: readonly string[];
  list(kind: WatchedKind, ns?: string): KubeObj[];
  state(kind: WatchedKind): KindState;
  podsOnNode(node: string): KubeObj[];
  /** The objects of a CRD (starting its cache on first use). */
  custom(crd: KubeObj): { list(ns?: string): KubeObj[]; state: KindState };
  /** Helm release Secrets (`owner=helm`). */
  helmSecrets(): { list(): KubeObj[]; state: KindState };
}

/** One kubeconfig context as the root lists it. */
export interface ContextEntry {
  name: string;
  cluster?: string;
  server?: string;
  /** True for the simulated cluster's context. */
  simulator?: boolean;
  /** How the row reads, when not the context name (the built-in simulated cluster's). */
  label?: string;
}

/** The connection the tree belongs to. */
export interface TreeScope {
  /** The connected context. */
  context: string;
  /** Every context to list at the root (the connected one included). */
  contexts: readonly ContextEntry[];
  /** The last health check, if any. */
  health: ClusterHealth | undefined;
  /** A sentence when the connection as a whole has a problem (unreachable, expired credentials). */
  problem: string | undefined;
}
