/**
 * Mutations of generated manifests for the language-server fuzzer, and `makeInput`, which turns a
 * (seed, index) pair into one input.
 *
 * Contract: `makeInput(seed, index)` is a pure function of its arguments (input i of seed S is the
 * same on every machine), so a finding can be replayed from its id alone. Most inputs are mutated:
 * type swaps, absurd quantities and huge numbers, anchors, aliases and alias bombs, duplicate keys,
 * tabs, CRLF and BOM, deep nesting, truncation, multi-document junk, lone surrogates and invalid
 * UTF-8 (the only mutation that yields bytes rather than a string: `raw`).
 */
import { Rng } from '../../src/simulator/util/rng';
import { generateLarge, generateObjects, renderManifest, type Obj } from './generate';

/** One fuzz input. */
export interface FuzzInput {
  /** The document text as the server sees it (invalid UTF-8 already decoded with U+FFFD). */
  text: string;
  /** The bytes sent, when they are not valid UTF-8 (the text is then their decoding). */
  raw?: Buffer;
  /** What made it: the generator, then each mutation in order. */
  recipe: string[];
}

/** Absurd quantity texts (some unquoted, so they parse as numbers, infinities or NaN). */
export const ABSURD_QUANTITIES = [
  '1e400',
  '-1e400',
  '-1',
  '0.0000001m',
  'NaN',
  '.nan',
  '.inf',
  '-.inf',
  'Infinity',
  '1e308',
  '99999999999999999999999999999999',
  '9007199254740993',
  '0x7fffffffffffffff',
  '1Ei',
  '999999Ei',
  '1e-400',
  '0',
  '-0',
  '1.5.3',
  '""',
  '~',
  '100mm',
  '1e3m',
  '"1e400"',
  '"NaN"',
  "'-1'",
  '[1, 2]',
  '{cpu: 1}',
  '∞',
  '1_000_000',
  '9'.repeat(400),
];

/** Names of Object.prototype's properties, as keys and values (`kind: constructor`, `__proto__: {...}`). */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

const QUANTITY_LINE =
  /^(\s*(?:- )?)(cpu|memory|ephemeral-storage|storage|sizeLimit|nvidia\.com\/gpu|replicas|parallelism|completions|maxSkew|minDomains|weight|tolerationSeconds|containerPort|hostPort|"cpu"|"memory"|"replicas"):\s*\S.*$/;
const KEY_VALUE_LINE = /^(\s*(?:- )?)([\w./"-]+):\s+(\S.*)$/;
const BLOCK_KEY_LINE = /^(\s*)([\w./-]+):\s*$/;

type Mutation = (rng: Rng, text: string) => string;

/** Text mutations by name. */
export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  absurdQuantity: (rng, text) =>
    mapLines(rng, text, QUANTITY_LINE, 1 + rng.int(3), (m) => `${m[1]}${m[2]}: ${rng.pick(ABSURD_QUANTITIES)}`),
  typeSwap: (rng, text) =>
    mapLines(rng, text, KEY_VALUE_LINE, 1 + rng.int(3), (m) => `${m[1]}${m[2]}: ${randomValue(rng)}`),
  scalarAliases: (rng, text) => {
    const lines = text.split('\n');
    const idx = matching(lines, KEY_VALUE_LINE);
    if (idx.length < 2) return text;
    const a = rng.pick(idx);
    const m = KEY_VALUE_LINE.exec(lines[a]!)!;
    lines[a] = `${m[1]}${m[2]}: &s${a} ${m[3]}`;
    for (let k = 0; k < 1 + rng.int(3); k++) {
      const b = rng.pick(idx);
      if (b === a) continue;
      const mb = KEY_VALUE_LINE.exec(lines[b]!)!;
      lines[b] = `${mb[1]}${mb[2]}: *s${rng.next() < 0.9 ? a : 'undefined'}`;
    }
    return lines.join('\n');
  },
  mergeKeys: (rng, text) => {
    const lines = text.split('\n');
    const idx = matching(lines, BLOCK_KEY_LINE);
    if (idx.length < 2) return text;
    const a = rng.pick(idx);
    lines[a] = `${lines[a]} &m${a}`;
    const b = rng.pick(idx);
    const indent = BLOCK_KEY_LINE.exec(lines[b]!.replace(/ &m\d+$/, ''))?.[1] ?? '';
    lines.splice(b + 1, 0, `${indent}  <<: ${rng.next() < 0.8 ? `*m${a}` : `[*m${a}, *m${a}]`}`);
    return lines.join('\n');
  },
  blockAlias: (rng, text) => {
    const lines = text.split('\n');
    const idx = matching(lines, BLOCK_KEY_LINE);
    if (idx.length < 2) return text;
    const a = rng.pick(idx);
    lines[a] = `${lines[a]} &b${a}`;
    const later = idx.filter((i) => i > a);
    if (later.length === 0) return lines.join('\n');
    const b = rng.pick(later);
    const m = BLOCK_KEY_LINE.exec(lines[b]!)!;
    return replaceBlock(lines, b, `${m[1]}${m[2]}: *b${a}`).join('\n');
  },
  aliasBomb: (rng, text) => {
    const levels = 3 + rng.int(8);
    const width = 2 + rng.int(9);
    const defs = [`lol0: &l0 [${'"lol", '.repeat(width - 1)}"lol"]`];
    for (let i = 1; i <= levels; i++)
      defs.push(
        `lol${i}: &l${i} [${Array(width)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const lines = text.split('\n');
    // The bomb's definitions at the top of the first document, then one use inside the pod spec.
    const first = lines.findIndex((l) => /^[\w"]/.test(l));
    lines.splice(Math.max(0, first), 0, ...defs);
    const uses = matching(lines, /^(\s+)(containers|volumes|tolerations|nodeSelector|env|labels|affinity):\s*$/);
    if (uses.length > 0) {
      const b = rng.pick(uses);
      const m = /^(\s+)([\w]+):/.exec(lines[b]!)!;
      return replaceBlock(lines, b, `${m[1]}${m[2]}: *l${levels}`).join('\n');
    }
    return lines.join('\n');
  },
  duplicateKeys: (rng, text) => {
    const lines = text.split('\n');
    const idx = matching(lines, /^\s*[\w./-]+:/);
    if (idx.length === 0) return text;
    for (let k = 0; k < 1 + rng.int(2); k++) {
      const i = rng.pick(idx);
      lines.splice(i + 1, 0, lines[i]!);
    }
    return lines.join('\n');
  },
  tabs: (rng, text) => {
    const all = rng.next() < 0.3;
    return text
      .split('\n')
      .map((l) => (all || rng.next() < 0.1 ? l.replace(/^( {2})+/, (s) => '\t'.repeat(s.length / 2)) : l))
      .join('\n');
  },
  crlf: (rng, text) => {
    const r = rng.int(3);
    if (r === 0) return text.replace(/\n/g, '\r\n');
    if (r === 1) return text.replace(/\n/g, '\r');
    return text.replace(/\n/g, () => rng.pick(['\n', '\r\n', '\r']));
  },
  bom: (rng, text) => (rng.next() < 0.7 ? `\uFEFF${text}` : text.replace(/---\n/, '---\n\uFEFF')),
  deepNesting: (rng, text) => {
    const depth = rng.pick([20, 150, 199, 201, 250, 1000, 5000, 20000]);
    const lines = text.split('\n');
    const at = rng.int(lines.length + 1);
    const indent = /^\s*/.exec(lines[Math.min(at, lines.length - 1)] ?? '')?.[0] ?? '';
    let nest: string[];
    switch (rng.int(4)) {
      case 0:
        nest = [`${indent}deep: ${'['.repeat(depth)}${']'.repeat(depth)}`];
        break;
      case 1:
        nest = [`${indent}deep: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`];
        break;
      case 2:
        nest = [`${indent}deep: ${'['.repeat(depth)}`];
        break;
      default:
        nest = [];
        for (let d = 0; d < Math.min(depth, 400); d++) nest.push(`${indent}${'  '.repeat(d)}deep${d}:`);
    }
    lines.splice(at, 0, ...nest);
    return lines.join('\n');
  },
  truncate: (rng, text) => text.slice(0, rng.int(text.length + 1)),
  junkDocuments: (rng, text) => {
    const junk = [
      '%YAML 1.2\n---',
      '%TAG ! tag:example.com,2000:\n',
      '--- !!binary |\n  R0lGODlhDAAMAIQAAP',
      '!!js/function "function () {}"',
      '? [complex, key]\n: value',
      '*undefined_alias',
      '@reserved',
      '`backtick',
      '{',
      '- - - - -',
      '...',
      '--- |\n  literal',
      'kind: Pod\napiVersion: v1\nspec: [',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: null}',
      'apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, resources: {requests: {cpu: 1e400}}}]}',
      'x'.repeat(100_000),
      'a: ' + 'b'.repeat(60_000),
      '\u0000\u0001\u0002',
      '\u2028\u2029\u0085',
      Array.from({ length: 64 }, () => String.fromCharCode(32 + rng.int(95))).join(''),
    ];
    const parts = text.split(/^---$/m);
    for (let k = 0; k < 1 + rng.int(3); k++) parts.splice(rng.int(parts.length + 1), 0, `\n${rng.pick(junk)}\n`);
    return parts.join('---');
  },
  loneSurrogates: (rng, text) => {
    let t = text;
    for (let k = 0; k < 1 + rng.int(4); k++) {
      const at = rng.int(t.length + 1);
      t = t.slice(0, at) + rng.pick(['\uD800', '\uDFFF', '\uDC00\uD800', '\uDBFF', '😀'.slice(0, 1)]) + t.slice(at);
    }
    return t;
  },
  prototypeNames: (rng, text) =>
    mapLines(rng, text, KEY_VALUE_LINE, 1 + rng.int(3), (m) =>
      rng.next() < 0.5
        ? `${m[1]}${rng.pick(PROTOTYPE_NAMES)}: ${m[3]}`
        : `${m[1]}${m[2]}: ${rng.pick(PROTOTYPE_NAMES)}`,
    ),
  longLine: (rng, text) => {
    const lines = text.split('\n');
    lines.splice(rng.int(lines.length + 1), 0, `# ${'z'.repeat(10_000 + rng.int(200_000))}`);
    return lines.join('\n');
  },
};

/** Mutations applied after the others, since they change what the line-based ones look for. */
const ENCODING_MUTATIONS = ['tabs', 'crlf', 'bom', 'truncate', 'loneSurrogates'];

/** Invalid UTF-8 byte sequences (lone continuation, overlong, encoded surrogate, truncated, 0xFF). */
const BAD_UTF8: readonly number[][] = [[0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xff], [0xf8, 0x88]];

/** The bytes of `text` with invalid UTF-8 sequences inserted. */
export function invalidUtf8(rng: Rng, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  const cuts = Array.from({ length: 1 + rng.int(4) }, () => rng.int(bytes.length + 1)).sort((a, b) => a - b);
  for (const c of cuts) {
    parts.push(bytes.subarray(from, c), Buffer.from(rng.pick(BAD_UTF8)));
    from = c;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

/** Input `index` of campaign `seed`. */
export function makeInput(seed: number, index: number): FuzzInput {
  const rng = new Rng(seed * 1_000_003 + index * 7919 + 1);
  const recipe: string[] = [];
  let text: string;
  const r = rng.next();
  if (r < 0.006) {
    const size = rng.pick([200_000, 500_000, 1_000_000, 2_000_000, 2_200_000]);
    text = generateLarge(rng, size);
    recipe.push(`large(${size})`);
  } else {
    const objects: Obj[] = generateObjects(rng);
    text = renderManifest(rng, objects);
    recipe.push(`manifest(${objects.map((o) => String(o['kind'])).join(',')})`);
  }
  // One input in eight stays valid; the others get one to four mutations.
  const count = rng.next() < 0.125 ? 0 : 1 + rng.int(4);
  const names = Object.keys(MUTATIONS);
  const chosen = Array.from({ length: count }, () => rng.pick(names));
  // Line-based mutations first; those that change line breaks, indentation or the first character last.
  const order = (n: string): number => (ENCODING_MUTATIONS.includes(n) ? 1 : 0);
  for (const name of chosen.sort((a, b) => order(a) - order(b))) {
    text = MUTATIONS[name]!(rng, text);
    recipe.push(name);
  }
  if (rng.next() < 0.04) {
    const raw = invalidUtf8(rng, text);
    recipe.push('invalidUtf8');
    return { text: raw.toString('utf8'), raw, recipe };
  }
  return { text, recipe };
}

function matching(lines: readonly string[], re: RegExp): number[] {
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i]!)) out.push(i);
  return out;
}

function mapLines(rng: Rng, text: string, re: RegExp, times: number, replace: (m: RegExpExecArray) => string): string {
  const lines = text.split('\n');
  const idx = matching(lines, re);
  for (let k = 0; k < times && idx.length > 0; k++) {
    const i = rng.pick(idx);
    lines[i] = replace(re.exec(lines[i]!)!);
  }
  return lines.join('\n');
}

/** Replaces line `at` and the lines nested under it (deeper indented, or list items at its indent). */
function replaceBlock(lines: string[], at: number, replacement: string): string[] {
  const indent = /^\s*/.exec(lines[at]!)![0].length;
  let end = at + 1;
  while (end < lines.length) {
    const l = lines[end]!;
    const ind = /^\s*/.exec(l)![0].length;
    if (l.trim() !== '' && !(ind > indent || (ind === indent && l.trimStart().startsWith('- ')))) break;
    end++;
  }
  lines.splice(at, end - at, replacement);
  return lines;
}

/** A YAML value of a random type, as text (flow style so that it fits on one line). */
function randomValue(rng: Rng): string {
  return rng.pick([
    () => '~',
    () => 'null',
    () => 'true',
    () => String(rng.int(1000) - 500),
    () => rng.pick(ABSURD_QUANTITIES),
    () => `"${rng.suffix()}"`,
    () => '[]',
    () => '{}',
    () => '[a, 1, {b: c}]',
    () => '{requests: {cpu: 1}, x: [1, 2]}',
    () => '!!binary aGVsbG8=',
    () => '2001-12-14t21:59:43.10-05:00',
    () => '!!str 5',
    () => '!!int "abc"',
    () => '!!map []',
  ])();
}
