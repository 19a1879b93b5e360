/** Timestamps as kube-apiserver writes them. */

/** RFC 3339 at second precision (`2026-01-01T00:00:05Z`), as metav1.Time encodes. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
