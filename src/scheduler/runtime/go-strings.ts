/**
 * Go's formatting and ordering where the scheduler's messages depend on them: `sets.List` + `%v` for
 * plugin lists, bytewise string order, and an error's text.
 */

/** `sets.List` + `%v`: sorted names in brackets separated by spaces. */
export function goStringList(names: Iterable<string>): string {
  return `[${[...names].sort(bytewiseCompare).join(' ')}]`;
}

/** Go's string ordering (bytewise on UTF-8, which equals UTF-16 order for BMP text). */
export function bytewiseCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}

/** The text of a thrown value (`err.Error()`), for a plugin that threw instead of returning a Status. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
