/**
 * The prediction details view: one webview panel (reused) that renders the server's
 * `PredictionDetails` as a sortable table nodes × plugins, a bar chart of totals and the preemption
 * victims, themed with VS Code's CSS variables and locked by a Content-Security-Policy (scripts
 * only from media/details with a nonce, no inline code, no remote content).
 *
 * Never stale without saying so: the panel follows what it shows. An edit of its document, a change
 * in the cluster (a Create, a kubectl write, a cluster switch) recomputes it (debounced); when it
 * cannot be recomputed (the spec left the document, the server is down) it says "out of date" with a
 * Recompute button; when its document closes, the panel closes.
 */
import { randomBytes } from 'node:crypto';
import {
  env,
  Uri,
  ViewColumn,
  window,
  workspace,
  type Disposable,
  type Event,
  type ExtensionContext,
  type WebviewPanel,
} from 'vscode';
import type { PredictionDetails } from '../../shared/protocol';
import { detailsHtml } from './details-html';

/** What the panel shows and how to compute it again. */
export interface DetailsSource {
  /** The document the details come from (absent for a live pod). */
  uri?: string;
  /** The details now: undefined when the server cannot answer, null when the subject is gone. */
  recompute(): Promise<PredictionDetails | null | undefined>;
}

/** The events that make the details out of date besides edits of the document. */
export interface DetailsTriggers {
  /** The cluster's content changed (the server's tree-change notices). */
  onClusterChange: Event<unknown>;
  /** The connection changed (a switch, a reconnect). */
  onStatusChange: Event<unknown>;
}

/** How long edits and cluster changes are gathered before one recompute. */
const DETAILS_REFRESH_MS = 400;

/** The webview panel's view type. */
const DETAILS_VIEW_TYPE = 'kubeForecast.predictionDetails';

/** Owns the (single) details panel. */
export class DetailsPanel {
  private panel: WebviewPanel | undefined;
  private last: PredictionDetails | undefined;
  private source: DetailsSource | undefined;
  private stale: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: Disposable[] = [];
  /** Recomputes done (for tests). */
  refreshes = 0;

  /** Creates the owner; the panel is created on first `show`. */
  constructor(
    private readonly context: ExtensionContext,
    triggers?: DetailsTriggers,
  ) {
    this.subscriptions.push(
      workspace.onDidChangeTextDocument((e) => {
        if (this.source?.uri !== undefined && e.document.uri.toString() === this.source.uri) this.schedule();
      }),
      workspace.onDidCloseTextDocument((d) => {
        if (this.source?.uri !== undefined && d.uri.toString() === this.source.uri) this.panel?.dispose();
      }),
    );
    if (triggers !== undefined)
      this.subscriptions.push(
        triggers.onClusterChange(() => this.schedule()),
        triggers.onStatusChange(() => this.schedule()),
      );
  }

  /** Whether the panel says its content is out of date (for tests), with why. */
  get outOfDate(): string | undefined {
    return this.panel === undefined ? undefined : this.stale;
  }

  private schedule(): void {
    if (this.panel === undefined || this.source === undefined) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), DETAILS_REFRESH_MS);
  }

  /** Computes the details again now; shows them, or says why they are out of date. */
  async refresh(): Promise<void> {
    this.timer = undefined;
    const source = this.source;
    if (source === undefined || this.panel === undefined) return;
    let next: PredictionDetails | null | undefined;
    try {
      next = await source.recompute();
    } catch (e) {
      next = undefined;
      this.markStale(`could not recompute: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (source !== this.source || this.panel === undefined) return;
    this.refreshes++;
    if (next === undefined) this.markStale('the language server is not running');
    else if (next === null) this.markStale('the pod spec is no longer in the document');
    else this.render(next);
  }

  private markStale(reason: string): void {
    this.stale = reason;
    void this.panel?.webview.postMessage({ type: 'stale', reason });
  }

  private render(details: PredictionDetails): void {
    this.last = details;
    this.stale = undefined;
    if (this.panel === undefined) return;
    void this.panel.webview.postMessage({ type: 'details', details });
    this.panel.title = `Prediction: ${details.title ?? details.summary}`;
  }

  /** Shows `details`, creating or revealing the panel beside the editor; `source` keeps it current. */
  show(details: PredictionDetails, source?: DetailsSource): void {
    this.source = source;
    this.stale = undefined;
    this.last = details;
    if (this.panel === undefined) {
      const media = Uri.joinPath(this.context.extensionUri, 'media', 'details');
      this.panel = window.createWebviewPanel(
        DETAILS_VIEW_TYPE,
        'Prediction',
        { viewColumn: ViewColumn.Beside, preserveFocus: true },
        {
          enableScripts: true,
          localResourceRoots: [media],
          retainContextWhenHidden: false,
        },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.source = undefined;
        if (this.timer !== undefined) clearTimeout(this.timer);
      });
      this.panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type === 'recompute') void this.refresh();
        else if (m?.type === 'copyMarkdown' && this.last !== undefined) {
          void env.clipboard
            .writeText(this.last.markdown)
            .then(() => window.showInformationMessage('Kube Forecast: copied the prediction as Markdown.'));
        } else if (m?.type === 'ready' && this.last !== undefined) {
          void this.panel?.webview.postMessage({ type: 'details', details: this.last });
        }
      });
      this.panel.webview.html = this.html(this.panel, media);
    } else {
      this.panel.reveal(ViewColumn.Beside, true);
      void this.panel.webview.postMessage({ type: 'details', details });
    }
    this.panel.title = `Prediction: ${details.title ?? details.summary}`;
  }

  /** The panel's current details (for tests). */
  get current(): PredictionDetails | undefined {
    return this.panel === undefined ? undefined : this.last;
  }

  /** Closes the panel and stops following. */
  dispose(): void {
    this.panel?.dispose();
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  private html(panel: WebviewPanel, media: Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const css = panel.webview.asWebviewUri(Uri.joinPath(media, 'details.css'));
    const js = panel.webview.asWebviewUri(Uri.joinPath(media, 'details.js'));
    return detailsHtml(panel.webview.cspSource, nonce, css.toString(), js.toString());
  }
}
