/**
 * The choice "Open Simulated Cluster" offers from the palette: when it asks, what it lists first, and
 * what each pick turns into (the command's own argument forms).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SIMULATOR_SOURCE_ITEMS,
  SNAPSHOT_FILTERS,
  argumentForSource,
  shouldAskForSource,
} from '@src/client/commands/simulator-source';

test('asks only when the command got no argument at all', () => {
  const cases: { name: string; arg: unknown; ask: boolean }[] = [
    { name: 'palette (no argument)', arg: undefined, ask: true },
    { name: 'empty object', arg: {}, ask: false },
    { name: 'snapshot path', arg: { snapshot: '/tmp/s.json' }, ask: false },
    { name: 'pickSnapshot', arg: { pickSnapshot: true }, ask: false },
    { name: 'null', arg: null, ask: false },
  ];
  for (const c of cases) assert.equal(shouldAskForSource(c.arg), c.ask, c.name);
});

test('"Demo cluster" is first (the default), then "Load a cluster snapshot…"', () => {
  assert.deepEqual(
    SIMULATOR_SOURCE_ITEMS.map((i) => [i.label, i.source]),
    [
      ['Demo cluster', 'demo'],
      ['Load a cluster snapshot…', 'snapshot'],
    ],
  );
  assert.deepEqual(Object.values(SNAPSHOT_FILTERS).flat().sort(), ['json', 'yaml', 'yml']);
});

test('each pick maps to the argument the command already understands', () => {
  assert.deepEqual(argumentForSource(SIMULATOR_SOURCE_ITEMS[0]), { demo: true }, 'the demo, not a loaded snapshot');
  assert.deepEqual(argumentForSource(SIMULATOR_SOURCE_ITEMS[1]), { pickSnapshot: true });
  assert.equal(argumentForSource(undefined), undefined, 'a dismissed pick cancels');
});
