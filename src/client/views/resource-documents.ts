/**
 * Read-only virtual documents (`kube-forecast:` URIs) for View YAML, Describe, Why Pending? and Logs.
 * The text comes from the server; a Logs document follows the pod's log (`kube/followLogs`) and grows as
 * `kube/logChunk` notifications arrive, until it is closed (`kube/stopLogs`).
 */
import { EventEmitter, Uri, languages, window, workspace, type TextDocumentContentProvider } from 'vscode';
import { LOG_LANGUAGE_ID } from '../../shared/ids';
import type { ResourceTextView, TreeNode } from '../../shared/protocol';
import type { ExtensionState } from '../state';
import { Disposable } from '../util/lifecycle';

/** The URI scheme of the documents. */
const RESOURCE_SCHEME = 'kube-forecast';

const EXTENSIONS: Record<ResourceTextView, string> = {
  yaml: 'yaml',
  describe: 'txt',
  logs: 'log',
  whyPending: 'md',
  secretValue: 'txt',
};
const LANGUAGES: Record<ResourceTextView, string> = {
  yaml: 'yaml',
  describe: 'plaintext',
  logs: LOG_LANGUAGE_ID,
  whyPending: 'markdown',
  secretValue: 'plaintext',
};
const MAX_LOG_CHARS = 2_000_000;

/** Provides the documents; one instance per extension state. */
export class ResourceDocuments extends Disposable implements TextDocumentContentProvider {
  private readonly changed = this._register(new EventEmitter<Uri>());
  readonly onDidChange = this.changed.event;
  private readonly logs = new Map<string, { text: string; uri: Uri }>();
  private nextStream = 1;
  private stop: ((streamId: string) => void) | undefined;

  constructor(private readonly state: ExtensionState) {
    super();
    this._register(workspace.registerTextDocumentContentProvider(RESOURCE_SCHEME, this));
    state.onClientCreated((client, protocol) => {
      this.stop = (streamId) => void client.sendNotification(protocol.stopLogs, { streamId }).catch(() => undefined);
      client.onNotification(protocol.logChunk, ({ streamId, text, ended }) => {
        const log = this.logs.get(streamId);
        if (log === undefined) return;
        log.text = (log.text + text + (ended !== undefined ? `\n[kube-forecast] ${ended}\n` : '')).slice(
          -MAX_LOG_CHARS,
        );
        this.changed.fire(log.uri);
      });
    });
    this._register(
      workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme !== RESOURCE_SCHEME) return;
        // A revealed Secret value is not kept once its editor is closed.
        if (new URLSearchParams(doc.uri.query).get('view') === 'secretValue') this.cache.delete(doc.uri.toString());
        const streamId = new URLSearchParams(doc.uri.query).get('stream');
        if (streamId !== null && this.logs.delete(streamId)) this.stop?.(streamId);
      }),
    );
  }

  /** The URI of `view` for `node`. */
  uriFor(node: TreeNode, view: ResourceTextView): Uri {
    const q = new URLSearchParams({ view, node: node.id });
    if (view === 'logs') q.set('stream', `s${this.nextStream++}-${Date.now()}`);
    const ctx = this.state.clusterStatus.context ?? 'cluster';
    const name = `${node.namespace ? `${node.namespace}-` : ''}${node.name ?? node.label}`.replace(/[^\w.-]+/g, '_');
    return Uri.from({
      scheme: RESOURCE_SCHEME,
      path: `/${ctx}/${name}.${view === 'yaml' ? '' : `${view}.`}${EXTENSIONS[view]}`,
      query: q.toString(),
    });
  }

  /** Opens `view` of `node` read-only; resolves the text's first error, if any. */
  async open(node: TreeNode, view: ResourceTextView): Promise<string | undefined> {
    const uri = this.uriFor(node, view);
    if (view !== 'logs') {
      const r = await this.state.request((p) => p.resourceText, { nodeId: node.id, view });
      if (r === undefined) return 'the language server is not running.';
      if (!r.ok) return r.reason;
      this.cache.set(uri.toString(), r.value);
      this.changed.fire(uri);
    } else {
      const streamId = new URLSearchParams(uri.query).get('stream')!;
      this.logs.set(streamId, { text: '', uri });
      const r = await this.state.request((p) => p.followLogs, { nodeId: node.id, streamId });
      if (r === undefined || !r.ok) {
        this.logs.delete(streamId);
        return r === undefined ? 'the language server is not running.' : r.reason;
      }
    }
    const doc = await workspace.openTextDocument(uri);
    if (doc.languageId !== LANGUAGES[view]) await languages.setTextDocumentLanguage(doc, LANGUAGES[view]);
    await window.showTextDocument(doc, { preview: true });
    return undefined;
  }

  private readonly cache = new Map<string, string>();

  provideTextDocumentContent(uri: Uri): string {
    const q = new URLSearchParams(uri.query);
    const stream = q.get('stream');
    if (stream !== null) return this.logs.get(stream)?.text ?? '';
    return this.cache.get(uri.toString()) ?? '';
  }
}
