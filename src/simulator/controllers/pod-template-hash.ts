/**
 * The `pod-template-hash` label value, computed the way the Deployment controller does in spirit
 * (`controller.ComputeHash`: FNV-32a over the template, then `rand.SafeEncodeString`). Upstream hashes
 * the Go struct dump, which cannot be reproduced in TypeScript, so the value differs from a real cluster's;
 * what matters is that it is stable for equal templates and that the demo generator and the Deployment
 * controller agree, so controllers adopt demo ReplicaSets instead of replacing them.
 */

/** The label every ReplicaSet and Pod of a Deployment carries. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

// `rand.SafeEncodeString` alphabet: no vowels, no confusable characters.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** Serialises a JSON value with sorted object keys, so field order never changes the hash. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`).join(',')}}`;
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Encodes a number with the safe alphabet (like `rand.SafeEncodeString(fmt.Sprint(hash))`). */
export function safeEncode(n: number): string {
  const digits = String(n);
  let out = '';
  for (let i = 0; i < digits.length; i++) out += ALPHANUMS[digits.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/**
 * Returns the hash of a pod template, ignoring any `pod-template-hash` label already on it, plus an
 * optional collision count (as `status.collisionCount`).
 */
export function computePodTemplateHash(template: unknown, collisionCount = 0): string {
  let t = template;
  const labels = (template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels;
  if (labels && POD_TEMPLATE_HASH_LABEL in labels) {
    const rest = { ...labels };
    delete rest[POD_TEMPLATE_HASH_LABEL];
    const tt = template as { metadata: Record<string, unknown> };
    t = { ...tt, metadata: { ...tt.metadata, labels: rest } };
  }
  const text = stableStringify(t) + (collisionCount > 0 ? `#${collisionCount}` : '');
  return safeEncode(fnv32a(text));
}

/** True when two templates are equal apart from the `pod-template-hash` label (`EqualIgnoreHash`). */
export function templatesEqualIgnoringHash(a: unknown, b: unknown): boolean {
  return computePodTemplateHash(a) === computePodTemplateHash(b);
}
