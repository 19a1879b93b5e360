/**
 * The custom protocol between the extension host (client) and the language server: one typed
 * constant per message, methods named `kube/<name>`, each documented with who sends it and when.
 *
 * Nobody writes a `kube/...` method string anywhere else. Later issues extend the DTOs here (the
 * prediction issue fills {@link PredictionDetails}; the explorer issue implements the cluster
 * requests in `server/services/cluster-session.ts`).
 */
import { NotificationType, RequestType, RequestType0, type Range } from 'vscode-languageserver-protocol';

/** Where cluster state comes from. */
export type ClusterSource = 'none' | 'kubeconfig' | 'simulator';

/**
 * The connection state: `none` (nothing chosen or found), `connecting`, `connected`, or `error`
 * (a kubeconfig or cluster that is broken; {@link ClusterStatus.message} says why).
 */
export type ClusterState = 'none' | 'connecting' | 'connected' | 'error';

/** What the server knows about its cluster connection. Never carries credentials. */
export interface ClusterStatus {
  state: ClusterState;
  source: ClusterSource;
  /** The kubeconfig context name, when the source is a kubeconfig. */
  context?: string;
  /**
   * The cluster's name as the user sees it in the tree, the status bar and Choose Context, when it is
   * not the context name: the built-in simulated cluster says what it holds (`simulated: demo (3 nodes)`,
   * `simulated: prod-snapshot.json`).
   */
  label?: string;
  /** The API server URL (host and port only, never with credentials). */
  server?: string;
  /** Namespaces shown and watched; empty means all namespaces the user may list. */
  namespaces?: string[];
  /** A human sentence for the tree view message and status bar tooltip. */
  message?: string;
}

/**
 * Sent by the client, when the tree view asks for its root or the status bar needs a value, to read the
 * server's current {@link ClusterStatus}.
 */
export const clusterStatus = new RequestType0<ClusterStatus, void>('kube/clusterStatus');

/**
 * Sent by the server whenever its {@link ClusterStatus} changes, so the client can update the tree,
 * context keys and status bar without polling.
 */
export const didChangeClusterStatus = new NotificationType<ClusterStatus>('kube/didChangeClusterStatus');

/** Which cluster the server should connect to. */
export type ConnectClusterParams =
  | { source: 'none' }
  | {
      source: 'simulator';
      /** A snapshot file (`--snapshot`) to load instead of the demo cluster; a running simulated cluster is reused when absent. */
      snapshot?: string;
      /**
       * The demo cluster itself: a running simulated cluster that holds a snapshot is restarted as the
       * demo one (without it, whatever runs is reused, as Choose Context does).
       */
      demo?: boolean;
      /** Nodes and zones of the demo cluster (`kubeForecast.simulator.*`). */
      nodes?: number;
      zones?: number;
      namespaces?: string[];
      /** Kubeconfig files whose contexts the tree lists beside the simulated cluster (empty: the default lookup). */
      kubeconfigPaths?: string[];
    }
  | {
      source: 'kubeconfig';
      /** Kubeconfig files to merge, in `KUBECONFIG` order; empty means the default lookup. */
      kubeconfigPaths: string[];
      /** The context to use; empty means the kubeconfig's `current-context`. */
      context: string;
      namespaces: string[];
    };

/**
 * Sent by the client when the user opens the simulated cluster, chooses a kubeconfig, context or
 * namespaces; the server (re)connects and answers with the resulting status. Never rewrites the kubeconfig.
 */
export const connectCluster = new RequestType<ConnectClusterParams, ClusterStatus, void>('kube/connectCluster');

/** The kind of a tree node; the client maps it to an icon. */
export type TreeNodeKind =
  | 'message'
  | 'group'
  | 'namespace'
  | 'node'
  | 'pod'
  | 'deployment'
  | 'replicaset'
  | 'statefulset'
  | 'daemonset'
  | 'job'
  | 'cronjob'
  | 'context'
  | 'cluster'
  | 'resource';

/** A status hint the client maps to an icon colour (pods, nodes, workloads, components). */
export type TreeNodeStatus = 'ok' | 'pending' | 'warning' | 'error' | 'unknown';

/** One row of the cluster explorer, as the server describes it. */
export interface TreeNode {
  /** Stable id, unique in the tree, e.g. `ns/default/pod/web-0`; the client passes it back in requests. */
  id: string;
  label: string;
  kind: TreeNodeKind;
  /** A `TreeItemContexts` value from `shared/ids.ts`, matched by `view/item/context` menus. */
  contextValue: string;
  hasChildren: boolean;
  description?: string;
  tooltip?: string;
  /** The resource's name (for Copy Name), when the node is a resource. */
  name?: string;
  namespace?: string;
  /** The parent's id (absent for root nodes), so the client can reveal a node. */
  parentId?: string;
  /** The resource's status, for its icon. */
  status?: TreeNodeStatus;
  /** A scalable workload's desired replicas (`spec.replicas`), which Scale starts from. */
  replicas?: number;
}

/** Parameters of {@link treeChildren}. */
export interface TreeChildrenParams {
  /** The parent node's id, or null for the root. */
  parentId: string | null;
}

/**
 * Sent by the client's tree data provider when VS Code asks for the children of a node (or the root);
 * the server answers from its cache. An empty root means "no cluster": the view shows its welcome content.
 */
export const treeChildren = new RequestType<TreeChildrenParams, TreeNode[], void>('kube/treeChildren');

/** Parameters of {@link didChangeTree}: the ids whose children (or whose children's rows) changed; `''` is the root. */
export interface TreeChangeParams {
  ids: string[];
}

/**
 * Sent by the server, debounced, when watched objects change; the client fires `onDidChangeTreeData`
 * for the nodes it holds with these ids (the root for `''`).
 */
export const didChangeTree = new NotificationType<TreeChangeParams>('kube/didChangeTree');

/**
 * Sent by the client to reveal a node (e.g. an object it just created): the server answers the chain of
 * nodes from the root to it, or an empty list when the node is not in the tree.
 */
export const treeNodePath = new RequestType<{ id: string }, TreeNode[], void>('kube/treeNodePath');

/**
 * Sent by the client for Choose Namespaces: the namespaces of the connected cluster (from the server's
 * cache), or why they cannot be listed (RBAC), so the user can type them instead.
 */
export const listNamespaces = new RequestType0<Outcome<string[]>, void>('kube/listNamespaces');

/** Parameters of {@link followLogs}. */
export interface FollowLogsParams {
  nodeId: string;
  /** The client's id for this stream; chunks arrive in {@link logChunk} notifications with it. */
  streamId: string;
}

/**
 * Sent by the client when a Logs document opens: the server follows the pod's log and sends
 * {@link logChunk} notifications until {@link stopLogs} or the stream ends.
 */
export const followLogs = new RequestType<FollowLogsParams, Outcome<string>, void>('kube/followLogs');

/** One piece of a followed log; `ended` carries the reason when the stream stops. */
export interface LogChunkParams {
  streamId: string;
  text: string;
  ended?: string;
}

/** Sent by the server with new log text of a followed pod. */
export const logChunk = new NotificationType<LogChunkParams>('kube/logChunk');

/** Sent by the client when a Logs document closes, to stop following. */
export const stopLogs = new NotificationType<{ streamId: string }>('kube/stopLogs');

/** What an exec or OIDC credential plugin printed for the user (a device code or login URL). */
export interface AuthPromptParams {
  context: string;
  /** The plugin's stderr text (never its stdout, which carries the token). */
  text: string;
}

/** Sent by the server when a credential plugin prints something on stderr while it runs. */
export const authPrompt = new NotificationType<AuthPromptParams>('kube/authPrompt');

/** The read-only texts the server can render for a node. */
export type ResourceTextView = 'yaml' | 'describe' | 'logs' | 'whyPending' | 'secretValue';

/** Parameters of {@link resourceText}. */
export interface ResourceTextParams {
  nodeId: string;
  view: ResourceTextView;
}

/** The result of a request that may be refused: a value, or a sentence saying why not. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Sent by the client for View YAML, Describe, Logs and Why Pending? on a tree node; the server
 * answers with the text to show in a read-only editor, or with the reason it cannot.
 */
export const resourceText = new RequestType<ResourceTextParams, Outcome<string>, void>('kube/resourceText');

/** A write to a resource the tree shows. */
export type ResourceAction = { action: 'delete' } | { action: 'restart' } | { action: 'scale'; replicas: number };

/** Parameters of {@link resourceAction}. */
export type ResourceActionParams = { nodeId: string } & ResourceAction;

/**
 * Sent by the client after the user confirmed Delete, Scale or Restart on a tree node; the server
 * performs it against the connected cluster and answers with a sentence for the user.
 */
export const resourceAction = new RequestType<ResourceActionParams, Outcome<string>, void>('kube/resourceAction');

/** What to do with a document whose object already exists. */
export type ExistingObjectAction = 'replace' | 'apply' | 'skip';

/**
 * One YAML document of one version of an open file, as the Create / Apply lens passes it to its
 * command. `documentIndex` is the index in the server's parsed document model (the same index as
 * {@link PodSpecRef.documentIndex}).
 */
export interface ManifestDocumentRef {
  uri: string;
  /** The version of the text the lens was computed for. */
  version: number;
  documentIndex: number;
}

/** Parameters of {@link writeManifest}. */
export interface WriteManifestParams {
  /** The open document (the server reads its own parsed model of it; no text is sent). */
  uri: string;
  /**
   * The document version the user acted on. When the server's copy has another version, nothing is
   * written and the answer says the document changed.
   */
  version: number;
  /** `create` (dry run of every document first, then create) or `apply` (server-side apply). */
  mode: 'create' | 'apply';
  /** The namespace for documents that name none; defaults to the first chosen namespace, else `default`. */
  namespace?: string;
  /** Only these document indexes of the model (a lens's document; after a first pass reported some as existing). */
  only?: number[];
  /** Else only the documents this range touches (the editor's selection); absent: every document, in order. */
  range?: Range;
  /** For documents that already exist: what to do; absent means report them as `exists`. */
  onExisting?: ExistingObjectAction;
  /**
   * Set by the client: the id the server puts on every {@link didReportWriteProgress} of this request,
   * so the client knows what was written if the server stops before it answers.
   */
  writeId?: string;
  /**
   * Write nothing: only ask, by a create dry run, whether each chosen document's object exists
   * (`exists`), does not (`absent`), or cannot be told (`failed`, with the server's message). The client
   * sends it after a server restart for the documents whose write may or may not have happened.
   */
  checkOnly?: boolean;
}

/** The result for one YAML document. */
export interface ManifestDocumentResult {
  /** Zero-based document index in the model (as in {@link WriteManifestParams.only}). */
  index: number;
  /** `Kind/namespace/name` as far as known. */
  ref: string;
  /** `absent` only answers {@link WriteManifestParams.checkOnly}: the object does not exist. */
  outcome: 'created' | 'applied' | 'replaced' | 'skipped' | 'exists' | 'absent' | 'failed';
  /** The server's message (or the parser's) for failures. */
  message?: string;
  /** The tree node id of the object, when it was written. */
  nodeId?: string;
}

/** The per-document results of {@link writeManifest}. */
export interface ManifestWriteReport {
  context: string;
  results: ManifestDocumentResult[];
}

/**
 * Sent by the client for Create from Manifest and Apply, from the palette, the editor menu or a lens
 * (trusted workspaces only, after confirmation): the chosen documents of the server's parsed model of
 * that version are dry-run on the server, then written; one result per document.
 */
export const writeManifest = new RequestType<WriteManifestParams, Outcome<ManifestWriteReport>, void>(
  'kube/writeManifest',
);

/**
 * One step of a {@link writeManifest} request that carries a `writeId`, sent by the server as it
 * happens (never for `checkOnly`):
 * - `planned`: after the dry run of every document, once per document that will be written;
 * - `sending`: just before the write of that document leaves for the cluster (from here until its
 *   `settled`, the write may or may not have happened);
 * - `settled`: the document's result (the cluster's answer, or why it was not written), for every
 *   document, written or not. Every `planned` document gets a `sending` before its `settled`.
 */
export interface WriteProgressParams {
  writeId: string;
  phase: 'planned' | 'sending' | 'settled';
  /** The document index in the model, as in {@link ManifestDocumentResult.index}. */
  index: number;
  /** `Kind/namespace/name` as far as known. */
  ref: string;
  /** With `settled`: the document's result. */
  result?: ManifestDocumentResult;
}

/** See {@link WriteProgressParams}: server to client, during a Create from Manifest or Apply. */
export const didReportWriteProgress = new NotificationType<WriteProgressParams>('kube/didReportWriteProgress');

/**
 * Sent by the client for Save Cluster Snapshot; the server answers with the snapshot as JSON text
 * (nodes and pods, never Secret values), which the client writes to the file the user picked.
 */
export const saveClusterSnapshot = new RequestType0<Outcome<string>, void>('kube/saveClusterSnapshot');

/**
 * Sent by the client for Re-authenticate: the server drops cached credentials, re-runs the kubeconfig's
 * exec or OIDC flow and resyncs its caches.
 */
export const reauthenticate = new RequestType0<Outcome<string>, void>('kube/reauthenticate');

/** Parameters of {@link listContexts}. */
export interface ListContextsParams {
  /** Kubeconfig files to merge; empty means `KUBECONFIG`, then `~/.kube/config`. */
  kubeconfigPaths: string[];
}

/** One context of a kubeconfig. */
export interface KubeconfigContext {
  name: string;
  cluster: string;
  namespace?: string;
}

/** The contexts found in the kubeconfig files, and the files that could not be read. */
export interface KubeconfigContexts {
  files: string[];
  currentContext?: string;
  contexts: KubeconfigContext[];
  /** One sentence per unreadable or malformed file, naming it. */
  problems: string[];
  /**
   * The built-in simulated cluster's name while it runs (`simulated: prod-snapshot.json`), so Choose
   * Context offers it under the name the tree shows, whichever cluster is connected.
   */
  simulatorLabel?: string;
}

/**
 * Sent by the client for Choose Context: the server reads the kubeconfig files (the client never does)
 * and lists their contexts.
 */
export const listContexts = new RequestType<ListContextsParams, KubeconfigContexts, void>('kube/listContexts');

/** Identifies one pod spec in a manifest, as CodeLens arguments carry it. */
export interface PodSpecRef {
  uri: string;
  /** Zero-based index of the YAML document in the file. */
  documentIndex: number;
  /** The key path from the document root to the pod spec's parent, e.g. `["spec", "template"]`. */
  path: string[];
}

/** Parameters of {@link predictionDetails}. */
export type PredictionDetailsParams = PodSpecRef;

/** One plugin's score on one node, as the details view shows it. */
export interface DetailsPluginScore {
  plugin: string;
  /** The plugin's score after NormalizeScore (0–100). */
  normalized: number;
  /** `normalized × weight`, the part of the total this plugin contributes. */
  weighted: number;
}

/** One node's row of the details table. */
export interface DetailsNodeRow {
  name: string;
  /** False when kube-scheduler's search would have stopped before this node. */
  evaluated: boolean;
  feasible: boolean;
  /** The first failing filter plugin, its status code and upstream reasons. */
  filter?: { plugin: string; code: string; reasons: string[] };
  scores?: DetailsPluginScore[];
  total?: number;
  rank?: number;
}

/**
 * The scheduler's verdict for one pod spec (or a live pod for Why Pending?): the summary and Markdown,
 * and the table nodes × plugins the details view renders.
 */
export interface PredictionDetails {
  /** A one-line summary, the same text as the CodeLens. */
  summary: string;
  /** The full explanation as Markdown (also what Copy as Markdown copies). */
  markdown: string;
  /** `Kind namespace/name` of what was predicted. */
  title?: string;
  /** The profile's schedulerName. */
  schedulerName?: string;
  selectedNode?: string;
  tiedNodes?: string[];
  /** kube-scheduler's FitError text, when nothing fits. */
  failure?: string;
  numAllNodes?: number;
  feasibleNodes?: number;
  /** Score plugins in execution order, with their weights. */
  plugins?: { name: string; weight: number }[];
  nodes?: DetailsNodeRow[];
  preemption?: {
    nominatedNode?: string;
    /** Candidates as good as `nominatedNode` (it first), when several: kube-scheduler may pick any. */
    tiedNodes?: string[];
    victims: { namespace: string; name: string; priority: number }[];
    message?: string;
  };
  /** For workloads: where the replicas go, one after another. */
  placement?: { requested: number; placed: number; perNode: Record<string, number>; failure?: string };
  /** For a live pod: where it really is, or why it is Pending. */
  actual?: { nodeName?: string; phase?: string; message?: string };
  /** Problems that stopped the model, naming fields. */
  errors?: string[];
}

/**
 * Sent by the client for Show Prediction Details (from a CodeLens or the palette); the server answers
 * with the explanation for that pod spec, or null when the document or spec no longer exists.
 */
export const predictionDetails = new RequestType<PredictionDetailsParams, PredictionDetails | null, void>(
  'kube/predictionDetails',
);

/** Parameters of {@link livePodDetails}: a pod in the cluster. */
export interface LivePodParams {
  namespace: string;
  name: string;
}

/**
 * Sent by the client for Why Pending? on a pod in the tree: the server predicts that live pod from its
 * cached cluster state (without the pod itself) and answers with the same details as a CodeLens, or
 * null when the pod is not in the cache.
 */
export const livePodDetails = new RequestType<LivePodParams, PredictionDetails | null, void>('kube/livePodDetails');
