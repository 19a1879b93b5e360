/**
 * Small HTTP helpers shared by the handlers: body reading with the upstream size limit, body decoding
 * (JSON or YAML), and writing JSON / Status responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, badRequest, tooLarge } from '../store/errors';
import { yamlBodyFor } from './negotiate';
import { loadYamlBounded } from './yaml-limits';

/** kube-apiserver's maximum request body size (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Reads the whole body, `Content-Length` or `Transfer-Encoding: chunked` framed (with both, the chunked
 * framing wins and `Content-Length` is ignored, as in Go's net/http); rejects with 413 once the declared
 * length or the bytes received exceed `limit`. A declared length over the limit is refused before a
 * byte of the body is read; the rest of an oversized body is discarded, never buffered.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunked = /\bchunked\b/i.test(String(req.headers['transfer-encoding'] ?? ''));
    const declared = chunked ? 0 : Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

/** Media type without parameters, lower-cased. */
export function mediaType(ct: string | undefined): string {
  return (ct ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Decodes a request body as JSON, or YAML when the content type says so (apply patches are YAML or
 * JSON). Malformed input is 400 with upstream's wording; `expectedKind` names the type in the message.
 */
export function decodeBody(buf: Buffer, contentType: string | undefined, expectedKind: string): unknown {
  const text = buf.toString('utf8');
  const mt = mediaType(contentType);
  if (text.trim() === '')
    throw badRequest(
      `the object provided is unrecognized (must be of type ${expectedKind}): couldn't get version/kind; json parse error: unexpected end of JSON input (${summarizeData(buf)})`,
    );
  if (mt.includes('yaml')) {
    try {
      // An alias bomb is refused before anything copies or serializes it (yaml-limits.ts).
      return loadYamlBounded(text, { json: false });
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: yaml: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  try {
    const v: unknown = JSON.parse(text);
    return /"\s*:/.test(text) ? parseJsonAsGo(text, v) : v;
  } catch (e) {
    const msg = (e as Error).message;
    const goMsg = /Unexpected end of JSON input|Unterminated|Expected .* after/.test(msg)
      ? 'unexpected end of JSON input'
      : msg;
    throw badRequest(
      `the object provided is unrecognized (must be of type ${expectedKind}): couldn't get version/kind; json parse error: ${goMsg} (${summarizeData(buf)})`,
    );
  }
}

/** How kube-apiserver quotes a body it could not decode (handlers' summarizeData, 30 bytes). */
export function summarizeData(buf: Buffer): string {
  if (buf.length === 0) return '<empty>';
  if (buf[0] === 0x7b)
    return buf.length > 30 ? `${buf.subarray(0, 30).toString('latin1')} ...` : buf.toString('latin1');
  return buf.length > 30 ? `${buf.subarray(0, 30).toString('hex')} ...` : buf.toString('hex');
}

/** Writes a JSON body (a string is sent as-is). */
export function sendJSON(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  if (res.headersSent) {
    res.end();
    return;
  }
  // A resource response negotiated as YAML (negotiate.ts) carries the same document in YAML.
  const asYaml = yamlBodyFor(res, json);
  const s = asYaml ?? json;
  res.writeHead(code, {
    'Content-Type': asYaml !== undefined ? 'application/yaml' : 'application/json',
    'Content-Length': Buffer.byteLength(s),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(s);
}

/** Writes a StatusError as kube-apiserver does. */
export function sendError(res: ServerResponse, e: StatusError): void {
  sendJSON(res, e.code, e.status, e.headers);
}

/** Writes plain text (health endpoints, logs). */
export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

/**
 * Parses (valid) JSON as Go's decoder fills a struct: a key given twice in one object decodes into
 * the value already there, so two objects merge (`"data":{"a":"1"},"data":{"b":"2"}` is both keys);
 * anything else is replaced by the later value. Without repeated keys this is `JSON.parse`'s value.
 */
function parseJsonAsGo(text: string, parsed: unknown): unknown {
  let i = 0;
  let repeated = false;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const scalarEnd = (): number => {
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      return j + 1;
    }
    let j = i;
    while (j < text.length && !/[\s,\]}]/.test(text[j]!)) j++;
    return j;
  };
  const into = (a: unknown, b: unknown): unknown => {
    if (isPlain(a) && isPlain(b)) {
      const out: Record<string, unknown> = { ...a };
      for (const [k, v] of Object.entries(b)) out[k] = k in out ? into(out[k], v) : v;
      return out;
    }
    return b;
  };
  const value = (): unknown => {
    ws();
    if (text[i] === '{') {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return o;
      }
      for (;;) {
        ws();
        const end = scalarEnd();
        const k = JSON.parse(text.slice(i, end)) as string;
        i = end;
        ws();
        i++; // ':'
        const v = value();
        if (Object.prototype.hasOwnProperty.call(o, k)) {
          repeated = true;
          o[k] = into(o[k], v);
        } else o[k] = v;
        ws();
        if (text[i++] === '}') return o;
      }
    }
    if (text[i] === '[') {
      i++;
      const a: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value());
        ws();
        if (text[i++] === ']') return a;
      }
    }
    const end = scalarEnd();
    const v: unknown = JSON.parse(text.slice(i, end));
    i = end;
    return v;
  };
  const out = value();
  return repeated ? out : parsed;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
