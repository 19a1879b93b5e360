/** Recognisable secrets for the leak tests, and every written form that would betray one. */
import { randomBytes } from 'node:crypto';

/** A random, recognisable secret: `kfleak` + 18 random letters and digits. */
export const secret = (): string =>
  `kfleak${randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 18)}`;

/** Every form of `s` that would betray it: raw, base64 at the three alignments, URL-encoded. */
export function forms(s: string): string[] {
  const out = new Set([s, encodeURIComponent(s)]);
  for (let shift = 0; shift < 3; shift++) {
    // The base64 of `s` inside a longer text depends on the alignment; its stable middle does not.
    const b = Buffer.from('x'.repeat(shift) + s).toString('base64');
    const skip = Math.ceil((shift * 4) / 3) + 1;
    out.add(b.slice(skip, skip + Math.floor((s.length * 4) / 3) - 4));
  }
  return [...out].filter((f) => f.length >= 12);
}
