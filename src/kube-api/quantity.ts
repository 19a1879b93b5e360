/**
 * Exact `resource.Quantity` parsing, after
 * staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go (`ParseQuantity`,
 * `parseQuantityString`) and suffix.go (`suffixHandler.interpret`).
 *
 * Contract:
 * - A parsed quantity is a `bigint` holding the value in nano-units (value × 10^9). Upstream
 *   rounds every parsed value up (away from zero) to nano precision, so this form is exact for
 *   everything `ParseQuantity` can return; sums and maxima are therefore exact too.
 * - Binary-suffixed values are capped at 2^63-1 units, as upstream caps `BinarySI` amounts.
 * - Decimal exponents beyond ±10^100 are saturated (upstream's int64 results are meaningless there).
 * - `value`/`milliValue` round up (ceil) like `Quantity.Value()`/`MilliValue()` and saturate at the
 *   int64 range; results above 2^53 are JS numbers and lose their low bits. Negative fractions
 *   also round toward +∞ (upstream's two internal representations disagree there; API validation
 *   rejects negative requests, so the scheduler never sees them).
 * - Invalid input yields a `QuantityError` naming the field, with upstream's error text; never throws.
 */

/** An exact quantity in nano-units (value × 10^9). */
export type Quantity = bigint;

/** A quantity that failed to parse: the field path and the full `<field>: <message>` text. */
export interface QuantityError {
  readonly field: string;
  readonly error: string;
}

/** `resource.ErrFormatWrong`'s text. */
export const ERR_FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** `resource.ErrNumeric`'s text. */
const ERR_NUMERIC = "unable to parse quantity's numeric value";
/** `resource.ErrSuffix`'s text. */
export const ERR_SUFFIX = "unable to parse quantity's suffix";

/** One unit in nano-units. */
export const NANO_PER_UNIT = 1_000_000_000n;
const NANO_PER_MILLI = 1_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const MAX_BINARY_NANOS = INT64_MAX * NANO_PER_UNIT;
/** Magnitude at which decimal-exponent values saturate (10^100 units). */
const SATURATED_EXP10 = 100;

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  '': 0,
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = 'eEinumkKMGTP';

/** True when `x` is a `QuantityError` rather than a parsed quantity. */
export function isQuantityError(x: Quantity | QuantityError): x is QuantityError {
  return typeof x !== 'bigint';
}

const cache = new Map<string, Quantity | string>();
const CACHE_LIMIT = 4096;
const CACHE_KEY_MAX = 64;

/**
 * Parses a quantity as it appears in a manifest: a string (`"100m"`, `"1.5Gi"`, `"1e3"`, surrounding
 * blanks trimmed as `UnmarshalJSON` does), a JSON/YAML number (`0.5`, `2`; digits beyond double
 * precision are already lost by the JSON parser), or null (the zero quantity). `field` names the
 * value in the error (e.g. `spec.containers[0].resources.requests.cpu`).
 */
export function parseQuantity(input: unknown, field = ''): Quantity | QuantityError {
  let text: string;
  // JSON null unmarshals to the zero Quantity upstream (`Quantity.UnmarshalJSON`).
  if (input === null) return 0n;
  if (typeof input === 'string') text = input.trim();
  else if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail(field, ERR_FORMAT_WRONG);
    text = String(input);
  } else if (typeof input === 'bigint') text = input.toString();
  else return fail(field, ERR_FORMAT_WRONG);
  let r = cache.get(text);
  if (r === undefined) {
    r = parseQuantityText(text);
    // Short texts only, copied: a quantity sliced out of a manifest would keep the whole file alive.
    if (text.length <= CACHE_KEY_MAX) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(JSON.parse(JSON.stringify(text)) as string, r);
    }
  }
  return typeof r === 'bigint' ? r : fail(field, r);
}

function fail(field: string, message: string): QuantityError {
  return { field, error: field ? `${field}: ${message}` : message };
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Port of `ParseQuantity` + `parseQuantityString`: the nano value, or an error message. */
function parseQuantityText(str: string): Quantity | string {
  if (str.length === 0) return ERR_FORMAT_WRONG;
  if (str === '0') return 0n;
  const end = str.length;
  let pos = 0;
  let positive = true;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') pos++;

  // Strip leading zeros; a string of only zeros is 0.
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return 0n;

  let num: string;
  let denom = '';
  let suffix = '';
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) {
    num = str.slice(pos, end);
  } else {
    num = str.slice(pos, i);
    pos = i;
    if (num.length === 0) num = '0';
    let done = false;
    if (str[pos] === '.') {
      pos++;
      let k = pos;
      while (k < end && isDigit(str[k])) k++;
      denom = str.slice(pos, k);
      if (k >= end) done = true;
      pos = k;
    }
    if (!done) {
      const suffixStart = pos;
      let k = pos;
      while (k < end && SUFFIX_CHARS.includes(str[k] as string)) k++;
      if (k < end) {
        pos = k;
        if (str[pos] === '-' || str[pos] === '+') pos++;
        k = pos;
        while (k < end && isDigit(str[k])) k++;
        if (k < end) return ERR_FORMAT_WRONG;
      }
      suffix = str.slice(suffixStart, end);
    }
  }

  // `suffixHandler.interpret`.
  let base: 2 | 10;
  let exponent: number;
  if (suffix in DECIMAL_SUFFIXES) {
    base = 10;
    exponent = DECIMAL_SUFFIXES[suffix] as number;
  } else if (suffix in BINARY_SUFFIXES) {
    base = 2;
    exponent = BINARY_SUFFIXES[suffix] as number;
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const parsed = parseGoInt64(suffix.slice(1));
    if (parsed === undefined) return ERR_SUFFIX;
    base = 10;
    exponent = Number(BigInt.asIntN(32, parsed)); // Go's int32(parsed) wraps.
  } else {
    return ERR_SUFFIX;
  }

  const digits = num + denom;
  if (digits.length === 0) return ERR_NUMERIC;
  const mantissa = BigInt(digits);
  if (mantissa === 0n) return 0n;

  let nanos: bigint;
  if (base === 10) {
    const exp10 = exponent - denom.length + 9;
    if (exp10 >= 0) {
      nanos =
        exp10 + digits.length > SATURATED_EXP10 + 9
          ? 10n ** BigInt(SATURATED_EXP10 + 9)
          : mantissa * 10n ** BigInt(exp10);
    } else if (-exp10 > digits.length + 1) {
      nanos = 1n; // Below one nano-unit: upstream rounds non-zero values up to 1n.
    } else {
      nanos = ceilDiv(mantissa, 10n ** BigInt(-exp10));
    }
  } else {
    const scaled = mantissa << BigInt(exponent);
    const exp10 = 9 - denom.length;
    if (exp10 >= 0) nanos = scaled * 10n ** BigInt(exp10);
    else if (-exp10 > scaled.toString().length + 1) nanos = 1n;
    else nanos = ceilDiv(scaled, 10n ** BigInt(-exp10));
    if (nanos > MAX_BINARY_NANOS) nanos = MAX_BINARY_NANOS;
  }
  return positive ? nanos : -nanos;
}

/** `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits, must fit int64. */
function parseGoInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > INT64_MAX || v < INT64_MIN ? undefined : v;
}

/** Ceiling of a / b for b > 0 (rounds toward +∞). */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

function saturateToNumber(v: bigint): number {
  if (v > INT64_MAX) return Number(INT64_MAX);
  if (v < INT64_MIN) return Number(INT64_MIN);
  return Number(v);
}

/** `Quantity.Value()` as a bigint: the value in units, rounded up. */
export function valueBig(q: Quantity): bigint {
  return ceilDiv(q, NANO_PER_UNIT);
}

/** `Quantity.MilliValue()` as a bigint: the value in milli-units, rounded up. */
export function milliValueBig(q: Quantity): bigint {
  return ceilDiv(q, NANO_PER_MILLI);
}

/** `Quantity.Value()`: the value in units, rounded up, saturated at the int64 range. */
export function value(q: Quantity): number {
  return saturateToNumber(valueBig(q));
}

/** `Quantity.MilliValue()`: the value in milli-units, rounded up, saturated at the int64 range. */
export function milliValue(q: Quantity): number {
  return saturateToNumber(milliValueBig(q));
}

/** `resource.NewMilliQuantity(v)`: an exact quantity of `v` milli-units. */
export function fromMilli(v: number | bigint): Quantity {
  return BigInt(v) * NANO_PER_MILLI;
}

/** `resource.NewQuantity(v)`: an exact quantity of `v` units. */
export function fromUnits(v: number | bigint): Quantity {
  return BigInt(v) * NANO_PER_UNIT;
}

/**
 * The value in units (rounded up, like `Quantity.Value()`) of a quantity as it appears in an object
 * (`"1.5Gi"`, `2`, `"1e3"`); 0 when it is absent or not a valid quantity. For bookkeeping that has no
 * field to report an error on (the simulated cluster's fallback placement, the demo generator).
 */
export function valueOrZero(input: unknown): number {
  const q = parseQuantity(input);
  return isQuantityError(q) ? 0 : value(q);
}

/** `valueOrZero` in milli-units (`Quantity.MilliValue()`): `"250m"` is 250, `"1"` is 1000. */
export function milliValueOrZero(input: unknown): number {
  const q = parseQuantity(input);
  return isQuantityError(q) ? 0 : milliValue(q);
}
