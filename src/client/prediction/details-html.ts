/**
 * The details webview's HTML shell (no vscode import, so unit tests can check it): no data from the
 * manifest goes into it, only the CSP, the stylesheet and the script, which media/details/details.js
 * fills by DOM calls (text nodes, never HTML strings).
 */

/** The Content-Security-Policy: nothing by default, scripts only with `nonce`, styles from the extension. */
export function detailsCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

/** The page: the CSP meta, the stylesheet at `cssUri` and the one script at `jsUri` with `nonce`. */
export function detailsHtml(cspSource: string, nonce: string, cssUri: string, jsUri: string): string {
  const attr = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(detailsCsp(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(cssUri)}">
<title>Prediction</title>
</head>
<body>
<main id="app"><p class="muted">Loading the prediction…</p></main>
<script nonce="${attr(nonce)}" src="${attr(jsUri)}"></script>
</body>
</html>`;
}
