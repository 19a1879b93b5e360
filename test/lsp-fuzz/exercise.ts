/**
 * What the fuzzer does with one input, against any server the `LspClient` talks to (the stdio
 * process of `npm run fuzz:lsp`, or the in-process server of the fixture replay test):
 * didOpen, a few didChange edits, the diagnostics of the last version, codeLens, hovers at random
 * positions, codeAction over the diagnostics, every read-only custom request, didClose.
 *
 * Contract: `exercise` never throws for what the server does. It returns every answer's latency
 * and the findings: error answers, error log lines, a hang (no answer within `timeoutMs`) or a
 * crash (the connection closed). The custom requests are those src/shared/protocol.ts declares;
 * write requests are sent so that they write nothing (see PARAMS), and `kube/connectCluster` is not
 * sent, since it would change the session's cluster.
 */
import { RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as protocol from '../../src/shared/protocol';
import { Rng } from '../../src/simulator/util/rng';
import { ClosedError, HangError, type Answer, type LspClient } from './client';
import type { FuzzInput } from './mutate';

/** One timed answer. */
export interface Timed {
  method: string;
  ms: number;
}

/** What happened to one input. */
export interface InputReport {
  /** Every answer and its latency (diagnostics: from the last change to their publication). */
  answers: Timed[];
  /** Error answers and error log lines. */
  errors: string[];
  /** Set when the server did not answer in time (which request) or exited. */
  hang?: string;
  crash?: string;
}

/** Options of one exercise. */
export interface ExerciseOptions {
  uri: string;
  /** Seeds the edits, positions and request parameters. */
  seed: number;
  /** A kubeconfig the custom requests may name (kube/listContexts). */
  kubeconfig?: string;
  /** No answer in this many ms is a hang (default 10 s). */
  timeoutMs?: number;
}

/** Log lines at or above this LSP MessageType severity are errors (1 = Error). */
const ERROR_LOG_TYPE = 1;

/**
 * Text of an answer or a diagnostic that reports an exception caught inside the server (the engine
 * turns a thrown error into `internal error: ...`; a JavaScript TypeError has these forms).
 */
export const INTERNAL_ERROR =
  /internal error|Cannot read propert|is not a function|is not iterable|is not defined|Maximum call stack|Invalid array length/;

/** Sends the input and its requests; returns what happened. */
export async function exercise(client: LspClient, input: FuzzInput, o: ExerciseOptions): Promise<InputReport> {
  const report: InputReport = { answers: [], errors: [] };
  const rng = new Rng(o.seed);
  const timeout = o.timeoutMs ?? 10_000;
  const local = { doc: TextDocument.create(o.uri, 'yaml', 1, input.text) };
  const ask = async (method: string, params: unknown): Promise<Answer> => {
    const a = await client.request(method, params, timeout);
    report.answers.push({ method, ms: a.ms });
    const shown = a.result === undefined ? '' : (JSON.stringify(a.result) ?? '');
    const bad = INTERNAL_ERROR.exec(shown);
    if (bad !== null)
      report.errors.push(`${method} answered: ${shown.slice(Math.max(0, bad.index - 100), bad.index + 200)}`);
    if (a.error !== undefined && a.error.code !== -32800)
      report.errors.push(`${method} answered error ${a.error.code}: ${a.error.message}`);
    return a;
  };
  try {
    await sendOpen(client, input, o.uri);
    await settle(client, o.uri, 1, timeout, report);
    const edits = 1 + rng.int(3);
    for (let v = 2; v <= edits + 1; v++) {
      const change = randomEdit(rng, local.doc);
      local.doc = TextDocument.update(local.doc, [change], v);
      client.notify('textDocument/didChange', { textDocument: { uri: o.uri, version: v }, contentChanges: [change] });
      // Sometimes wait for each version, sometimes type ahead (the server then skips to the last).
      if (rng.next() < 0.5) await settle(client, o.uri, v, timeout, report);
    }
    const last = edits + 1;
    await settle(client, o.uri, last, timeout, report);
    const textDocument = { uri: o.uri };
    const lenses = (await ask('textDocument/codeLens', { textDocument })).result;
    const len = local.doc.getText().length;
    for (let k = 0; k < 3; k++)
      await ask('textDocument/hover', { textDocument, position: local.doc.positionAt(rng.int(len + 1)) });
    await ask('textDocument/codeAction', {
      textDocument,
      range: { start: local.doc.positionAt(0), end: local.doc.positionAt(len) },
      context: { diagnostics: client.diagnostics.get(o.uri)?.items ?? [] },
    });
    await customRequests(ask, client, rng, o, lenses, local.doc.getText());
    client.notify('textDocument/didClose', { textDocument });
    await settle(client, o.uri, Number.MAX_SAFE_INTEGER, timeout, report, true);
  } catch (e) {
    if (e instanceof HangError) report.hang = e.message;
    else if (e instanceof ClosedError) report.crash = e.message;
    else throw e;
  }
  for (const l of client.takeLogs()) if (l.type <= ERROR_LOG_TYPE) report.errors.push(`log: ${l.message}`);
  return report;
}

async function sendOpen(client: LspClient, input: FuzzInput, uri: string): Promise<void> {
  const params = { textDocument: { uri, languageId: 'yaml', version: 1, text: input.text } };
  if (input.raw === undefined) {
    client.notify('textDocument/didOpen', params);
    return;
  }
  const placeholder = '\u0000lsp-fuzz-raw\u0000';
  params.textDocument.text = placeholder;
  client.notifyRaw('textDocument/didOpen', params, JSON.stringify(placeholder).slice(1, -1), input.raw);
}

/**
 * Waits for the diagnostics of `version` and records their latency. After didClose (`closing`), waits
 * instead for the empty publication the server sends for a closed document (a short bound: some
 * servers send none).
 */
async function settle(
  client: LspClient,
  uri: string,
  version: number,
  timeoutMs: number,
  report: InputReport,
  closing = false,
): Promise<void> {
  if (closing) {
    client.diagnostics.delete(uri);
    await client.waitDiagnostics(uri, 0, Math.min(timeoutMs, 2000)).catch(() => undefined);
    client.diagnostics.delete(uri);
    return;
  }
  const ms = await client.waitDiagnostics(uri, version, timeoutMs);
  report.answers.push({ method: 'textDocument/publishDiagnostics', ms });
  for (const m of client.diagnostics.get(uri)?.messages ?? [])
    if (INTERNAL_ERROR.test(m)) report.errors.push(`diagnostic: ${m.slice(0, 300)}`);
}

/** A random incremental edit: insert, delete or replace a few characters, or a whole line. */
function randomEdit(
  rng: Rng,
  doc: TextDocument,
): {
  range: { start: ReturnType<TextDocument['positionAt']>; end: ReturnType<TextDocument['positionAt']> };
  text: string;
} {
  const len = doc.getText().length;
  const a = rng.int(len + 1);
  const b = Math.min(len, a + rng.pick([0, 0, 1, 5, 40]));
  const text = rng.pick([
    '',
    'x',
    ' ',
    '\n',
    '  ',
    ': ',
    '- ',
    '&a ',
    '*a',
    '{',
    ']',
    '\t',
    '"',
    'cpu: 1e400\n',
    '---\n',
  ]);
  return { range: { start: doc.positionAt(a), end: doc.positionAt(b) }, text };
}

const VIEWS = ['yaml', 'describe', 'logs', 'whyPending', 'secretValue'];

/** Requests of the protocol the fuzzer does not send: connecting would change the session's cluster. */
const NOT_SENT = new Set(['kube/connectCluster']);

/**
 * Every custom request src/shared/protocol.ts declares, in order (read from its exports, so a request
 * added or removed there is followed here); the ones the fuzzer cannot send are in `unexercised`.
 */
export const PROTOCOL_REQUESTS: readonly string[] = Object.values(protocol as Record<string, unknown>)
  .filter((v): v is { method: string } => v instanceof RequestType || v instanceof RequestType0)
  .map((v) => v.method);

interface RequestContext {
  rng: Rng;
  o: ExerciseOptions;
  text: string;
  /** The prediction refs of the lenses. */
  refs: unknown[];
  /** A tree row id: a real one when the tree has rows, else a malformed one. */
  id: string;
  streamId: string;
}

/**
 * Params of each custom request the fuzzer knows (a list: some are sent more than once). Writes
 * cannot write: kube/writeManifest names a version that never exists and selects no document,
 * kube/resourceAction a row that does not exist.
 */
const PARAMS: Readonly<Record<string, (c: RequestContext) => unknown[]>> = {
  'kube/predictionDetails': (c) => [
    ...c.refs.slice(0, 3),
    {
      uri: c.o.uri,
      documentIndex: c.rng.pick([0, 1, 7, -1, 1e9]),
      path: c.rng.pick([[], ['spec', 'template'], ['spec', 'jobTemplate', 'spec', 'template'], ['__proto__'], ['x']]),
    },
  ],
  'kube/livePodDetails': (c) => [
    {
      namespace: c.rng.pick(['default', 'kube-system', '']),
      name: /name:\s*(\S+)/.exec(c.text.slice(0, 4096))?.[1] ?? c.rng.pick(['web', 'missing', '', '../x']),
    },
  ],
  'kube/clusterStatus': () => [undefined],
  'kube/treeChildren': (c) => [{ parentId: c.id }],
  'kube/treeNodePath': (c) => [{ id: c.id }],
  'kube/listNamespaces': () => [undefined],
  'kube/resourceText': (c) => [{ nodeId: c.id, view: c.rng.pick(VIEWS) }],
  'kube/resourceAction': () => [{ nodeId: 'lsp-fuzz/~/pods/lsp-fuzz-none/none', action: 'delete' }],
  'kube/writeManifest': (c) => [{ uri: c.o.uri, version: -1, mode: 'create', only: [-1] }],
  'kube/listContexts': (c) => [{ kubeconfigPaths: c.o.kubeconfig !== undefined ? [c.o.kubeconfig] : ['/nonexistent'] }],
  'kube/followLogs': (c) => [{ nodeId: c.id, streamId: c.streamId }],
  'kube/saveClusterSnapshot': () => [undefined],
  // Re-lists every cache: one input in a hundred.
  'kube/reauthenticate': (c) => (c.rng.next() < 0.01 ? [undefined] : []),
};

/** Protocol requests the fuzzer has no params for (new ones): reported by the CLI, not sent. */
export const unexercised = (): string[] => PROTOCOL_REQUESTS.filter((m) => !NOT_SENT.has(m) && !(m in PARAMS));

/** Sends every custom request of the protocol the fuzzer knows, with params from this input. */
async function customRequests(
  ask: (method: string, params: unknown) => Promise<Answer>,
  client: LspClient,
  rng: Rng,
  o: ExerciseOptions,
  lenses: unknown,
  text: string,
): Promise<void> {
  const refs: unknown[] = [];
  if (Array.isArray(lenses))
    for (const l of lenses as { command?: { command?: string; arguments?: unknown[] } }[]) {
      const arg = l.command?.arguments?.[0];
      if (l.command?.command === 'kubeForecast.showPredictionDetails' && arg !== undefined) refs.push(arg);
    }
  const roots = PROTOCOL_REQUESTS.includes('kube/treeChildren')
    ? (await ask('kube/treeChildren', { parentId: null })).result
    : undefined;
  const ids = Array.isArray(roots) ? (roots as { id?: string }[]).map((r) => r.id ?? '') : [];
  const id = ids.length > 0 && rng.next() < 0.7 ? rng.pick(ids) : rng.pick(['', '~', '%E0%A4%A', 'a/b/~/pods/x/y']);
  const c: RequestContext = { rng, o, text, refs, id, streamId: `fuzz-${rng.hex(8)}` };
  for (const method of PROTOCOL_REQUESTS) {
    const params = PARAMS[method];
    if (params === undefined || NOT_SENT.has(method)) continue;
    for (const p of params(c)) await ask(method, p);
  }
  client.notify('kube/stopLogs', { streamId: c.streamId });
}
