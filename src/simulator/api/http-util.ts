/**
 * Small HTTP helpers shared by the handlers: body reading with the upstream size limit, body decoding
 * (JSON or YAML), and writing JSON / Status responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as yaml from 'js-yaml';
import { StatusError, badRequest, tooLarge } from '../store/errors';

/** kube-apiserver's maximum request body size (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Reads the whole body, `Content-Length` or `Transfer-Encoding: chunked` framed (with both, the chunked
 * framing wins and `Content-Length` is ignored, as in Go's net/http); rejects with 413 once the declared
 * length or the bytes received exceed `limit`.
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
      `the object provided is unrecognized (must be of type ${expectedKind}): couldn't get version/kind; json parse error: unexpected end of JSON input`,
    );
  if (mt.includes('yaml')) {
    try {
      return yaml.load(text, { json: false });
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: yaml: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `the object provided is unrecognized (must be of type ${expectedKind}): couldn't get version/kind; json parse error: ${(e as Error).message}`,
    );
  }
}

/** Writes a JSON body (a string is sent as-is). */
export function sendJSON(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const s = typeof body === 'string' ? body : JSON.stringify(body);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, {
    'Content-Type': 'application/json',
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
