/**
 * The campaign's plan: which objects exist, which writes each gets, and in which order each client
 * sends them. Contract: a pure function of (seed, clients, objects, namespaces): equal arguments give
 * the same plan on every machine, so a failing seed reruns identically (what the servers answer may
 * differ only in resourceVersions and timing).
 *
 * Each object belongs to one client, which sends that object's writes in order, one request at a
 * time; the clients run concurrently, so the server sees `clients` writes in flight at once on
 * interleaved objects, kinds and namespaces. Per object: a create, one to three accepted
 * modifications, with probability REJECT_P one rejected-by-design write placed after the first
 * modification (so "stale" resourceVersions really are stale), and with probability DELETE_P a
 * final delete.
 */
import { Rng } from '../../src/simulator/util/rng';
import { KINDS, type LoadKind, type WriteType } from './kinds';

/** How often each kind is chosen, in KINDS order (ConfigMap, Secret, Pod, Deployment, LoadWidget). */
const KIND_WEIGHTS = [30, 20, 20, 10, 20];
const REJECT_P = 0.35;
const DELETE_P = 0.3;

/** One object of the plan. */
export interface PlannedObject {
  id: number;
  kind: LoadKind;
  namespaceIndex: number;
  name: string;
  client: number;
  writes: WriteType[];
}

/** One step of a client: write `writeIndex` of object `objectId`. */
export interface Step {
  objectId: number;
  writeIndex: number;
}

/** The whole plan. */
export interface Plan {
  seed: number;
  objects: PlannedObject[];
  /** Per client, its steps in sending order. */
  schedules: Step[][];
  /** Total number of writes. */
  writes: number;
}

function pickKind(rng: Rng): LoadKind {
  const total = KIND_WEIGHTS.reduce((a, b) => a + b, 0);
  let r = rng.int(total);
  for (let i = 0; i < KINDS.length; i++) {
    r -= KIND_WEIGHTS[i]!;
    if (r < 0) return KINDS[i]!;
  }
  return KINDS[0]!;
}

/** Builds the plan (see the file comment). */
export function planCampaign(seed: number, clients: number, objects: number, namespaces: number): Plan {
  if (clients < 1 || objects < 1 || namespaces < 1) throw new Error('clients, objects and namespaces must be ≥ 1');
  const rng = new Rng(seed);
  const planned: PlannedObject[] = [];
  let writes = 0;
  for (let id = 0; id < objects; id++) {
    const kind = pickKind(rng);
    const w: WriteType[] = ['create'];
    const mods = 1 + rng.int(3);
    for (let m = 0; m < mods; m++) w.push(rng.pick(kind.modifications));
    if (rng.next() < REJECT_P) w.splice(2 + rng.int(w.length - 1), 0, rng.pick(kind.rejections));
    if (rng.next() < DELETE_P) w.push('delete');
    planned.push({
      id,
      kind,
      namespaceIndex: rng.int(namespaces),
      name: `load-${kind.kind.toLowerCase()}-${id}`,
      client: id % clients,
      writes: w,
    });
    writes += w.length;
  }
  const schedules: Step[][] = [];
  for (let c = 0; c < clients; c++) {
    const crng = new Rng(seed * 1000 + c + 1);
    const mine = planned.filter((o) => o.client === c);
    const next = new Map(mine.map((o) => [o.id, 0]));
    const open = mine.map((o) => o.id);
    const steps: Step[] = [];
    while (open.length > 0) {
      const at = crng.int(open.length);
      const id = open[at]!;
      const i = next.get(id)!;
      steps.push({ objectId: id, writeIndex: i });
      if (i + 1 >= planned[id]!.writes.length) {
        open[at] = open[open.length - 1]!;
        open.pop();
      } else next.set(id, i + 1);
    }
    schedules.push(steps);
  }
  return { seed, objects: planned, schedules, writes };
}
