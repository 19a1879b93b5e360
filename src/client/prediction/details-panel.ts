/**
 * The prediction details view: one webview panel (reused) that renders the server's
 * `PredictionDetails` as a sortable table nodes × plugins, a bar chart of totals and the preemption
 * victims, themed with VS Code's CSS variables and locked by a Content-Security-Policy (scripts
 * only from media/details with a nonce, no inline code, no remote content).
 */
import { randomBytes } from 'node:crypto';
import { env, Uri, ViewColumn, window, type ExtensionContext, type WebviewPanel } from 'vscode';
import type { PredictionDetails } from '../../shared/protocol';

/** The webview panel's view type. */
export const DETAILS_VIEW_TYPE = 'kubeForecast.predictionDetails';

/** Owns the (single) details panel. */
export class DetailsPanel {
  private panel: WebviewPanel | undefined;
  private last: PredictionDetails | undefined;

  /** Creates the owner; the panel is created on first `show`. */
  constructor(private readonly context: ExtensionContext) {}

  /** Shows `details`, creating or revealing the panel beside the editor. */
  show(details: PredictionDetails): void {
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
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type === 'copyMarkdown' && this.last !== undefined) {
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

  /** Closes the panel. */
  dispose(): void {
    this.panel?.dispose();
  }

  private html(panel: WebviewPanel, media: Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const csp = [
      "default-src 'none'",
      `style-src ${panel.webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${panel.webview.cspSource} data:`,
    ].join('; ');
    const css = panel.webview.asWebviewUri(Uri.joinPath(media, 'details.css'));
    const js = panel.webview.asWebviewUri(Uri.joinPath(media, 'details.js'));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css.toString()}">
<title>Prediction</title>
</head>
<body>
<main id="app"><p class="muted">Loading the prediction…</p></main>
<script nonce="${nonce}" src="${js.toString()}"></script>
</body>
</html>`;
  }
}
