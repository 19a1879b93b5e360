/** The whole sequence, in the order it is sent to each server. */
import type { Behaviour } from './behaviour';
import { CRUD } from './crud';
import { DISCOVERY } from './discovery';
import { ERRORS } from './errors';
import { LIFECYCLE } from './lifecycle';
import { LIST_WATCH } from './list-watch';
import { SETUP } from './setup';
import { SUBRESOURCES } from './subresources';
import { WRITES } from './writes';

export type { Behaviour } from './behaviour';

/** Discovery first (before anything is created), the working namespace, then the rest; teardown last. */
export const SEQUENCE: Behaviour[] = [
  ...DISCOVERY,
  ...SETUP,
  ...CRUD,
  ...LIST_WATCH,
  ...WRITES,
  ...ERRORS,
  ...SUBRESOURCES,
  ...LIFECYCLE,
];
