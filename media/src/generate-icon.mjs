#!/usr/bin/env node
// Draws media/icon.png (128×128 RGBA): a Kubernetes-blue heptagon with a white helm wheel and a
// small forecast cloud. Pure Node (zlib for the PNG's deflate), 4×4 supersampling for anti-aliasing.
// Usage: node media/src/generate-icon.mjs [out.png]
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4;
const BLUE = [50, 108, 229];
const DARK = [30, 64, 150];
const WHITE = [255, 255, 255];

const cx = 64;
const cy = 64;
const sides = 7;
const vertex = (i, r) => {
  const a = -Math.PI / 2 + (i * 2 * Math.PI) / sides;
  return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
};

/** Signed distance to a convex polygon (negative inside). */
function sdPolygon(x, y, pts) {
  let inside = true;
  let best = Infinity;
  for (let i = 0; i < pts.length; i++) {
    const [ax, ay] = pts[i];
    const [bx, by] = pts[(i + 1) % pts.length];
    const ex = bx - ax;
    const ey = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey)));
    best = Math.min(best, Math.hypot(x - ax - t * ex, y - ay - t * ey));
    if (ex * (y - ay) - ey * (x - ax) < 0) inside = false;
  }
  return inside ? -best : best;
}

function sdSegment(x, y, ax, ay, bx, by) {
  const ex = bx - ax;
  const ey = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey)));
  return Math.hypot(x - ax - t * ex, y - ay - t * ey);
}

const hept = Array.from({ length: sides }, (_, i) => vertex(i, 54));
const clouds = [
  [95, 99, 13],
  [81, 104, 9],
  [109, 105, 9],
];

/** Colour of one sample point, or null for transparent. Later layers paint over earlier ones. */
function sample(x, y) {
  let color = null;
  if (sdPolygon(x, y, hept) - 6 < 0) color = BLUE;
  const d = Math.hypot(x - cx, y - cy);
  if (Math.abs(d - 27) < 5.5) color = WHITE;
  if (d < 9) color = WHITE;
  for (let i = 0; i < sides; i++) {
    const [ax, ay] = vertex(i, 9);
    const [bx, by] = vertex(i, 40);
    if (sdSegment(x, y, ax, ay, bx, by) < 3.2) color = WHITE;
  }
  const cloud = (grow) =>
    clouds.some(([px, py, r]) => Math.hypot(x - px, y - py) < r + grow) ||
    (x > 81 && x < 109 && y > 104 - grow && y < 114 + grow);
  if (cloud(3)) color = DARK;
  if (cloud(0)) color = WHITE;
  return color;
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (c !== null) {
          r += c[0];
          g += c[1];
          b += c[2];
          a++;
        }
      }
    }
    const o = (py * SIZE + px) * 4;
    if (a > 0) {
      rgba[o] = Math.round(r / a);
      rgba[o + 1] = Math.round(g / a);
      rgba[o + 2] = Math.round(b / a);
      rgba[o + 3] = Math.round((255 * a) / (SS * SS));
    }
  }
}

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = process.argv[2] ?? new URL('../icon.png', import.meta.url).pathname;
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
