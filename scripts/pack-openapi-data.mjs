// The simulator's captured OpenAPI documents as its bundle carries them. The repository stores them as
// src/simulator/api/openapi-data/kube-apiserver-openapi.json (what `npm run conformance:apiserver --
// --capture` writes: each part gzip'd on its own, 1.24 MB); esbuild.mjs bundles instead the same
// documents brotli'd as one stream (~0.28 MB), where the v3 documents and the v2 protobuf compress
// against the v2 JSON they repeat. src/simulator/api/openapi-data.ts reads both forms and serves the
// same bytes from either (test/unit/build/openapi-data.test.ts compares them).
//
// The packed form: the source's generated, kubernetesVersion and v2Etag, plus
//   packed.v3Paths  the /openapi/v3 index's paths, in the index's order (their hashes are the
//                   documents' own SHA-512, which the loader computes)
//   packed.sizes    byte lengths of the parts: the v2 JSON, the v2 protobuf, then one v3 document per path
//   packed.brotli   base64 of brotli(the parts concatenated)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';

/** Changes whenever the packed form or its compression does (it keys the cache). */
export const PACK_FORMAT = 'openapi-data-pack/1 brotli q11 lgwin24';

/** The source's parts: the v2 JSON, the v2 protobuf, the v3 index's paths and their documents. */
export function sourceParts(source) {
  const unpack = (s) => gunzipSync(Buffer.from(s, 'base64'));
  const v3 = JSON.parse(unpack(source.v3).toString('utf8'));
  const v3Paths = Object.keys(JSON.parse(v3.index).paths);
  const parts = [
    unpack(source.v2Json),
    unpack(source.v2Protobuf),
    ...v3Paths.map((p) => Buffer.from(v3.docs[p] ?? '{}', 'utf8')),
  ];
  return { v3Paths, parts };
}

/** The packed form of the parsed source JSON (brotli at its best: ~10 s for the 11.6 MB of documents). */
export function packOpenApiData(source) {
  const { v3Paths, parts } = sourceParts(source);
  const all = Buffer.concat(parts);
  const brotli = brotliCompressSync(all, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: all.length,
    },
  });
  if (!brotliDecompressSync(brotli).equals(all)) throw new Error('pack-openapi-data: brotli did not round-trip');
  return {
    generated: source.generated,
    kubernetesVersion: source.kubernetesVersion,
    v2Etag: source.v2Etag,
    packed: { v3Paths, sizes: parts.map((p) => p.length), brotli: brotli.toString('base64') },
  };
}

/**
 * The packed form of the source file as JSON text, from `cacheDir` when this source was packed before
 * (brotli's best compression takes seconds; the cache is keyed by the source's bytes and PACK_FORMAT).
 */
export function packOpenApiDataFile(sourcePath, cacheDir) {
  const text = readFileSync(sourcePath);
  const key = createHash('sha256').update(PACK_FORMAT).update('\0').update(text).digest('hex').slice(0, 32);
  const cached = cacheDir === undefined ? undefined : join(cacheDir, `openapi-data-${key}.json`);
  if (cached !== undefined) {
    try {
      return readFileSync(cached, 'utf8');
    } catch {
      // Not packed yet.
    }
  }
  const packed = JSON.stringify(packOpenApiData(JSON.parse(text.toString('utf8'))));
  if (cached !== undefined) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      writeFileSync(tmp, packed);
      renameSync(tmp, cached);
    } catch {
      // A cache that cannot be written only costs the next build the same seconds.
    }
  }
  return packed;
}
