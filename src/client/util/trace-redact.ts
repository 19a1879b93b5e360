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

/** The trace line `message` (its first line, then `Params:`/`Result:` data) without document text or revealed values. */
export function redactTrace(message: string): string {
  const nl = message.indexOf('\n');
  const head = nl < 0 ? message : message.slice(0, nl);
  if (nl < 0) return message;
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
