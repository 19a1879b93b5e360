/**
 * What the protocol trace (`kubeForecast.trace.server: verbose`) may write to the output channel.
 * vscode-languageclient traces every message with its parameters and result; two of them hold what
 * must never reach a log (issue 13, item 5):
 * - the text of open documents (`didOpen`, `didChange`): a manifest may hold a Secret's data or other
 *   credentials, so the trace keeps the length, not the text;
 * - the answer to `kube/resourceText` (Reveal Secret Value answers through it), so the trace keeps
 *   whether it succeeded and its length, not the value.
 * No vscode import: unit tests use it, and so does the secret-leak session test.
 */

/** Methods whose result is never traced. */
const UNTRACED_RESULTS = new Set(['kube/resourceText']);

/** `"text": "…"` JSON members (the trace pretty-prints with 4-space indentation, one member a line). */
const TEXT_MEMBER = /("text":\s*)"((?:[^"\\]|\\.)*)"/g;

/**
 * A JSON-format trace entry (`{"isLSPMessage":true,"type":…,"message":{…}}`, written when the trace
 * setting asks for `format: json`) without document text or a result's `value`: a response carries
 * no method name, so every `{ ok: true, value }` answer loses its value.
 */
function redactJsonTrace(line: string): string {
  let entry: { isLSPMessage?: boolean; message?: { result?: unknown } };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return line.replace(
      TEXT_MEMBER,
      (_m, key: string, body: string) => `${key}"<document text not traced: ${body.length} characters>"`,
    );
  }
  const r = entry.message?.result as { ok?: unknown; value?: unknown } | undefined;
  if (r !== null && typeof r === 'object' && r.ok === true && typeof r.value === 'string')
    r.value = `<not traced: ${r.value.length} characters, which may hold a Secret value>`;
  return JSON.stringify(entry).replace(
    TEXT_MEMBER,
    (_m, key: string, body: string) => `${key}"<document text not traced: ${body.length} characters>"`,
  );
}

/** The trace line `message` (its first line, then `Params:`/`Result:` data) without document text or revealed values. */
export function redactTrace(message: string): string {
  const nl = message.indexOf('\n');
  if (nl < 0) return message.trimStart().startsWith('{') ? redactJsonTrace(message) : message;
  const head = message.slice(0, nl);
  const data = message.slice(nl + 1);
  const method = /'([^' ]+)(?: - \(\d+\))?'/.exec(head)?.[1];
  if (method !== undefined && UNTRACED_RESULTS.has(method) && /^Result:/.test(data)) {
    const ok = /"ok":\s*true/.test(data);
    return `${head}\nResult: <not traced: ${ok ? 'a text' : 'a refusal'} of ${data.length} characters, which may hold a Secret value>`;
  }
  return `${head}\n${data.replace(
    TEXT_MEMBER,
    (_m, key: string, body: string) => `${key}"<document text not traced: ${body.length} characters>"`,
  )}`;
}
