/** A named behaviour of the sequence: requests sent in order, their answers recorded in `ctx`. */
import type { Ctx } from '../context';

/** One behaviour. Its name is what the report and the allow-list use. */
export interface Behaviour {
  name: string;
  run(ctx: Ctx): Promise<void>;
}

/** Shorthand for a behaviour. */
export function behaviour(name: string, run: (ctx: Ctx) => Promise<void>): Behaviour {
  return { name, run };
}
