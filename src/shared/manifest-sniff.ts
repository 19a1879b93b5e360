/**
 * A cheap test for "this YAML is probably a Kubernetes manifest", shared by the client (to decide
 * whether to start the language server) and the server.
 */

/** How many characters of a document the sniff reads. */
export const SNIFF_CHARS = 8192;

/** Returns true when some line starts with `apiVersion:` and some with `kind:` (either may follow a list dash), within the first {@link SNIFF_CHARS}. */
export function looksLikeKubernetesManifest(text: string): boolean {
  const head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  return /^\s*(?:-\s+)?apiVersion\s*:/m.test(head) && /^\s*(?:-\s+)?kind\s*:/m.test(head);
}
