/**
 * The prediction details webview never turns manifest text into markup (issue 13, item 5): the page
 * shell carries a CSP with `default-src 'none'` and scripts only by nonce, and media/details/details.js,
 * run here against a recording DOM, renders hostile pod names, labels, node names, reasons and messages
 * as text nodes only — no element or attribute comes from the data, no event-handler attribute is set.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { parse } from 'parse5';
import { detailsCsp, detailsHtml } from '@src/client/prediction/details-html';
import { PredictionEngine } from '@src/server/prediction/engine';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { parseManifest } from '@src/server/services/manifest';
import { describePrediction } from '@src/server/services/prediction-details';
import type { PredictionDetails } from '@src/shared/protocol';
import { boundPod, FakeCaches, node } from '@test/unit/server/prediction/helpers';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  `"'><script>alert(2)</script>`,
  '</script><script>alert(3)</script>',
  '<svg/onload=alert(4)>',
  'javascript:alert(5)',
  '\u202e\u0000☃ 𝒳 <b>bold</b> &amp; &lt;',
] as const;

/** A DOM that records what details.js builds. */
class FakeText {
  constructor(readonly text: string) {}
}
class FakeElement {
  readonly attributes = new Map<string, string>();
  readonly children: (FakeElement | FakeText)[] = [];
  readonly listeners: string[] = [];
  readonly style: Record<string, string> = {};
  className = '';
  id = '';
  constructor(readonly tagName: string) {}
  setAttribute(k: string, v: unknown): void {
    this.attributes.set(k, String(v));
  }
  addEventListener(type: string): void {
    this.listeners.push(type);
  }
  append(...nodes: (FakeElement | FakeText | string)[]): void {
    for (const n of nodes) this.children.push(typeof n === 'string' ? new FakeText(n) : n);
  }
  appendChild(n: FakeElement | FakeText): void {
    this.children.push(n);
  }
  replaceChildren(...nodes: (FakeElement | FakeText | string)[]): void {
    this.children.length = 0;
    this.append(...nodes);
  }
  set textContent(t: string) {
    this.replaceChildren(t);
  }
  get textContent(): string {
    return this.children.map((c) => (c instanceof FakeText ? c.text : c.textContent)).join('');
  }
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
function serialize(n: FakeElement | FakeText): string {
  if (n instanceof FakeText) return esc(n.text);
  const attrs = [...n.attributes].map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  const cls = n.className ? ` class="${esc(n.className)}"` : '';
  return `<${n.tagName}${cls}${attrs}>${n.children.map(serialize).join('')}</${n.tagName}>`;
}
function* walk(n: FakeElement): Generator<FakeElement> {
  yield n;
  for (const c of n.children) if (c instanceof FakeElement) yield* walk(c);
}
function texts(n: FakeElement): string[] {
  return n.children.flatMap((c) => (c instanceof FakeText ? [c.text] : texts(c)));
}

/** Runs media/details/details.js in a fresh context, posts `details`, and returns the app element. */
function renderDetails(details: PredictionDetails): FakeElement {
  const app = new FakeElement('main');
  const created: string[] = [];
  let onMessage: ((ev: { data: unknown }) => void) | undefined;
  const document = {
    getElementById: (id: string) => (id === 'app' ? app : null),
    createElement: (tag: string) => {
      created.push(tag);
      return new FakeElement(tag);
    },
    createTextNode: (t: string) => new FakeText(t),
  };
  const window = {
    addEventListener: (type: string, f: (ev: { data: unknown }) => void) => {
      if (type === 'message') onMessage = f;
    },
  };
  const script = readFileSync(join(__dirname, '../../../media/details/details.js'), 'utf8');
  runInNewContext(script, { document, window, acquireVsCodeApi: () => ({ postMessage: () => undefined }) });
  assert.ok(onMessage, 'details.js listens for messages');
  onMessage({ data: { type: 'details', details } });
  onMessage({ data: { type: 'stale', reason: HOSTILE[0] } });
  assert.ok(
    created.every((t) => /^[a-z][a-z0-9]*$/.test(t) && !['script', 'img', 'iframe', 'svg', 'object'].includes(t)),
    `only plain elements are created: ${created.join(', ')}`,
  );
  return app;
}

function assertInert(app: FakeElement, mustShow: string[]): void {
  for (const e of walk(app)) {
    for (const k of e.attributes.keys()) assert.ok(!/^on/i.test(k), `event-handler attribute ${k} on <${e.tagName}>`);
    // setAttribute never parses markup, so text in a title is inert; URL- and style-bearing
    // attributes would not be, and none may be set.
    for (const k of e.attributes.keys())
      assert.ok(
        !['href', 'src', 'srcdoc', 'style', 'action', 'formaction', 'xlink:href'].includes(k),
        `<${e.tagName} ${k}>`,
      );
  }
  const html = serialize(app);
  const doc = parse(`<!DOCTYPE html><html><body>${html}</body></html>`);
  const tags: string[] = [];
  const visit = (n: { nodeName: string; attrs?: { name: string }[]; childNodes?: unknown[] }): void => {
    tags.push(n.nodeName);
    for (const a of n.attrs ?? []) assert.ok(!/^on/i.test(a.name), `parsed event-handler attribute ${a.name}`);
    for (const c of (n.childNodes ?? []) as (typeof n)[]) visit(c);
  };
  visit(doc as never);
  for (const bad of ['script', 'img', 'svg', 'b', 'iframe'])
    assert.ok(!tags.includes(bad), `the rendered page holds a <${bad}> element`);
  const shown = texts(app).join('\n');
  for (const s of mustShow) assert.ok(shown.includes(s), `the text ${JSON.stringify(s)} is shown as text`);
}

describe('prediction details webview escapes manifest text', () => {
  test('the page shell: default-src none, scripts only by nonce, nothing inline', () => {
    const source = 'https://file+.vscode-resource.vscode-cdn.net';
    const nonce = 'bm9uY2Utbm9uY2Utbm9uY2U=';
    const csp = detailsCsp(source, nonce);
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
        .map(([k, ...v]) => [k, v]),
    );
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
    const html = detailsHtml(
      source,
      nonce,
      `${source}/media/details/details.css`,
      `${source}/media/details/details.js`,
    );
    const doc = parse(html);
    const scripts: { attrs: { name: string; value: string }[]; childNodes: unknown[] }[] = [];
    const metas: { name: string; value: string }[][] = [];
    const visit = (n: {
      nodeName: string;
      attrs?: { name: string; value: string }[];
      childNodes?: unknown[];
    }): void => {
      if (n.nodeName === 'script') scripts.push(n as never);
      if (n.nodeName === 'meta') metas.push(n.attrs ?? []);
      for (const a of n.attrs ?? []) assert.ok(!/^on/i.test(a.name), `event-handler attribute ${a.name}`);
      for (const c of (n.childNodes ?? []) as (typeof n)[]) visit(c);
    };
    visit(doc as never);
    const [script] = scripts;
    assert.ok(script !== undefined && scripts.length === 1, 'one script element');
    assert.equal(script.childNodes.length, 0, 'no inline script body');
    const attr = (name: string) => script.attrs.find((a) => a.name === name)?.value;
    assert.equal(attr('nonce'), nonce);
    assert.ok(attr('src')?.startsWith(source));
    const meta = metas.find((m) => m.some((a) => a.name === 'http-equiv' && a.value === 'Content-Security-Policy'));
    assert.equal(meta?.find((a) => a.name === 'content')?.value, csp);
  });

  test('hostile names, labels and reasons from a real prediction render as text', () => {
    const [img, quote, closeScript, svg] = HOSTILE;
    const manifest = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      `  name: ${JSON.stringify(img)}`,
      `  namespace: ${JSON.stringify(quote)}`,
      '  labels:',
      `    app: ${JSON.stringify(quote)}`,
      `    "x\\"y": ${JSON.stringify(closeScript)}`,
      'spec:',
      '  nodeSelector:',
      `    zone: ${JSON.stringify(svg)}`,
      '  containers: [{name: c, image: i, resources: {requests: {cpu: "100m"}}}]',
      '',
    ].join('\n');
    const caches = new FakeCaches({
      nodes: [node(closeScript), node(HOSTILE[5], { labels: { zone: quote } })],
      pods: [boundPod(img, closeScript, '1')],
    });
    const details = describePrediction(
      parseManifest(manifest),
      { uri: 'file:///d.yaml', documentIndex: 0, path: [] },
      {
        status: { state: 'connected', source: 'simulator' },
        snapshot: new LiveCluster(caches).snapshot,
        engine: new PredictionEngine(),
        profile: { key: 'default' },
        defaultNamespace: 'default',
        verdict: undefined,
      },
    );
    assert.ok(details, 'the prediction has details');
    assert.ok(JSON.stringify(details).includes(img), 'the pod name reaches the details');
    const app = renderDetails(details);
    assertInert(app, [img, closeScript]);
  });

  test('every field the view shows, each hostile, renders as text', () => {
    const [a, b, c, d, e, f] = HOSTILE;
    const details: PredictionDetails = {
      summary: a,
      markdown: b,
      title: `Pod ${c}/${a}`,
      schedulerName: d,
      selectedNode: e,
      tiedNodes: [e, f],
      failure: b,
      numAllNodes: 2,
      feasibleNodes: 1,
      plugins: [{ name: c, weight: 1 }],
      nodes: [
        {
          name: e,
          evaluated: true,
          feasible: true,
          scores: [{ plugin: c, raw: 1, normalized: 50, weighted: 50 } as never],
          total: 50,
          rank: 1,
        },
        { name: f, evaluated: true, feasible: false, filter: { plugin: d, code: a, reasons: [a, b, c] } },
      ],
      preemption: { nominatedNode: a, victims: [{ namespace: b, name: c, priority: 1 }], message: d },
      placement: { requested: 3, placed: 1, perNode: { [a]: 1 }, failure: b },
      actual: { phase: c, message: a },
      errors: [a, b, c, d],
    };
    assertInert(renderDetails(details), [a, b, c, d, e, f]);
    assertInert(renderDetails({ ...details, actual: { nodeName: f } }), [f]);
  });
});
