import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ERR_FORMAT_WRONG,
  ERR_SUFFIX,
  isQuantityError,
  milliValue,
  milliValueBig,
  parseQuantity,
  value,
  valueBig,
  type Quantity,
  milliValueOrZero,
  valueOrZero,
} from '@src/kube-api/quantity';

function q(input: unknown): Quantity {
  const r = parseQuantity(input, 'x');
  if (isQuantityError(r)) throw new Error(`unexpected error for ${String(input)}: ${r.error}`);
  return r;
}

describe('parseQuantity: values (ceil like Quantity.Value/MilliValue)', () => {
  const cases: { in: unknown; value: bigint; milli: bigint }[] = [
    { in: '0', value: 0n, milli: 0n },
    { in: '100m', value: 1n, milli: 100n },
    { in: '1', value: 1n, milli: 1000n },
    { in: '1.5Gi', value: 1610612736n, milli: 1610612736000n },
    { in: '1e3', value: 1000n, milli: 1000000n },
    { in: '1E3', value: 1000n, milli: 1000000n },
    { in: '1e+3', value: 1000n, milli: 1000000n },
    { in: '1e-3', value: 1n, milli: 1n },
    { in: '0.1', value: 1n, milli: 100n },
    { in: '2Ki', value: 2048n, milli: 2048000n },
    { in: '1E', value: 10n ** 18n, milli: 10n ** 21n },
    { in: '1Ei', value: 1n << 60n, milli: (1n << 60n) * 1000n },
    { in: '1k', value: 1000n, milli: 1000000n },
    { in: '1M', value: 1000000n, milli: 1000000000n },
    { in: '1Mi', value: 1048576n, milli: 1048576000n },
    { in: '250u', value: 1n, milli: 1n },
    { in: '1n', value: 1n, milli: 1n },
    { in: '0.5n', value: 1n, milli: 1n },
    { in: '1e-12', value: 1n, milli: 1n },
    { in: '1.G', value: 1000000000n, milli: 1000000000000n },
    { in: '+5', value: 5n, milli: 5000n },
    { in: '007', value: 7n, milli: 7000n },
    { in: '0.0001Ki', value: 1n, milli: 103n },
    { in: '123456789.123456789123', value: 123456790n, milli: 123456789124n },
    { in: '99999999999999999999', value: 99999999999999999999n, milli: 99999999999999999999000n },
    // Binary amounts are capped at 2^63-1 units, as upstream caps BinarySI.
    { in: '16Ei', value: (1n << 63n) - 1n, milli: ((1n << 63n) - 1n) * 1000n },
    // Quirks upstream accepts: a lone sign, a lone dot and a bare suffix parse as 0.
    { in: '-', value: 0n, milli: 0n },
    { in: '.', value: 0n, milli: 0n },
    { in: 'Gi', value: 0n, milli: 0n },
    // Go's int32(exponent) wraps: 2^32 becomes 0.
    { in: '1e4294967296', value: 1n, milli: 1000n },
    // JSON/YAML numbers.
    { in: 0.5, value: 1n, milli: 500n },
    { in: 2, value: 2n, milli: 2000n },
    { in: 1e21, value: 10n ** 21n, milli: 10n ** 24n },
    { in: -1, value: -1n, milli: -1000n },
    // JSON null is the zero quantity; blanks around a string are trimmed.
    { in: null, value: 0n, milli: 0n },
    { in: ' 2Ki ', value: 2048n, milli: 2048000n },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.in)}`, () => {
      const v = q(c.in);
      assert.equal(valueBig(v), c.value);
      assert.equal(milliValueBig(v), c.milli);
    });
  }
});

describe('parseQuantity: errors name the field with upstream text', () => {
  const cases: { in: unknown; msg: string }[] = [
    { in: '', msg: ERR_FORMAT_WRONG },
    { in: 'abc', msg: ERR_FORMAT_WRONG },
    { in: '1.5.5', msg: ERR_FORMAT_WRONG },
    { in: '1 Gi', msg: ERR_FORMAT_WRONG },
    { in: '1e', msg: ERR_SUFFIX },
    { in: '1ee3', msg: ERR_SUFFIX },
    { in: '1Ki0', msg: ERR_SUFFIX },
    { in: '1ki', msg: ERR_SUFFIX },
    { in: '1e99999999999999999999', msg: ERR_SUFFIX },
    { in: undefined, msg: ERR_FORMAT_WRONG },
    { in: Number.NaN, msg: ERR_FORMAT_WRONG },
    { in: {}, msg: ERR_FORMAT_WRONG },
  ];
  for (const c of cases) {
    it(`${String(JSON.stringify(c.in))}`, () => {
      const r = parseQuantity(c.in, 'spec.containers[0].resources.requests.cpu');
      assert.ok(isQuantityError(r));
      assert.equal(r.error, `spec.containers[0].resources.requests.cpu: ${c.msg}`);
      assert.equal(r.field, 'spec.containers[0].resources.requests.cpu');
    });
  }
  it('uses the exact regular-expression message upstream gives', () => {
    assert.equal(
      ERR_FORMAT_WRONG,
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });
});

describe('quantity arithmetic', () => {
  it('sums exactly before rounding: 0.5 + 0.5 bytes is 1, not 2', () => {
    assert.equal(value(q('0.5') + q('0.5')), 1);
    assert.equal(value(q('0.5')) + value(q('0.5')), 2);
  });
  it('sums 100m three times to exactly 300 millicores', () => {
    assert.equal(milliValue(q('100m') + q('0.1') + q('1e-1')), 300);
  });
  it('saturates value() at the int64 range for huge decimal exponents', () => {
    assert.equal(value(q('1e400')), Number((1n << 63n) - 1n));
    assert.equal(valueBig(q('1e400')), 10n ** 100n);
  });
});

describe('valueOrZero / milliValueOrZero', () => {
  it('rounds up like Value()/MilliValue() and answers 0 for what does not parse', () => {
    assert.equal(milliValueOrZero('250m'), 250);
    assert.equal(milliValueOrZero(1.5), 1500);
    assert.equal(valueOrZero('1.5Gi'), 1610612736);
    assert.equal(valueOrZero('100m'), 1);
    assert.equal(valueOrZero(undefined), 0);
    assert.equal(milliValueOrZero('lots'), 0);
  });
});
