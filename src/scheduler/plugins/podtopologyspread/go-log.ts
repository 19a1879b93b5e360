/**
 * Go's `math.Log`, ported from src/math/log.go (itself from FreeBSD's e_log.c, simplified), so
 * PodTopologySpread's topology weights are bit-identical to kube-scheduler's. On amd64 Go runs
 * src/math/log_amd64.s, which performs the same operations in the same order (it differs only for
 * subnormal inputs, which it does not normalise). V8's `Math.log` uses the full fdlibm algorithm,
 * which can differ from Go's in the last bit.
 *
 * Contract: same results as Go's pure-Go `log` for every float64 input, including special cases.
 */

const LN2_HI = 6.9314718036912381649e-1; /* 3fe62e42 fee00000 */
const LN2_LO = 1.90821492927058770002e-10; /* 3dea39ef 35793c76 */
const L1 = 6.66666666666673513e-1; /* 3FE55555 55555593 */
const L2 = 3.999999999940941908e-1; /* 3FD99999 9997FA04 */
const L3 = 2.857142874366239149e-1; /* 3FD24924 94229359 */
const L4 = 2.222219843214978396e-1; /* 3FCC71C5 1D8E78AF */
const L5 = 1.818357216161805012e-1; /* 3FC74664 96CB03DE */
const L6 = 1.531383769920937332e-1; /* 3FC39A09 D078C69F */
const L7 = 1.479819860511658591e-1; /* 3FC2F112 DF3E5244 */
const SQRT2_HALF = Math.SQRT2 / 2;

const view = new DataView(new ArrayBuffer(8));

/** Go's `math.Frexp` for finite, non-zero x: [frac in [0.5, 1), exp] with x = frac·2^exp. */
function frexp(x: number): [number, number] {
  let exp = 0;
  // Scale subnormals into the normal range first, as Go's normalize() does.
  if (Math.abs(x) < 2.2250738585072014e-308) {
    x *= 4503599627370496; // 2^52
    exp = -52;
  }
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  exp += ((hi >>> 20) & 0x7ff) - 1022;
  view.setUint32(0, (hi & ~(0x7ff << 20)) | (1022 << 20));
  return [view.getFloat64(0), exp];
}

/** Go's `math.Log(x)`. */
export function goLog(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x < 0) return NaN;
  if (x === 0) return -Infinity;

  let [f1, ki] = frexp(x);
  if (f1 < SQRT2_HALF) {
    f1 *= 2;
    ki--;
  }
  const f = f1 - 1;
  const k = ki;

  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
  const t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
  const R = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}
