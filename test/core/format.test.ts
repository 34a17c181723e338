import assert from 'node:assert/strict';
import { test } from 'node:test';
import { factor, fmt, pct } from '../../src/core/format';

test('fmt: unknown, zero, infinities, negative numbers', () => {
  assert.equal(fmt(undefined), 'unknown');
  assert.equal(fmt(NaN), 'unknown');
  assert.equal(fmt(0), '0');
  assert.equal(fmt(-0), '0');
  assert.equal(fmt(Infinity), '∞');
  assert.equal(fmt(-Infinity), '-∞');
  assert.equal(fmt(-0.3861), '-0.39');
  assert.equal(fmt(-2.5e-5), '-2.5e-5');
  assert.equal(fmt(-123456), '-1.2e5');
});

test('fmt: plain from 1e-3 up to 1e4, exponent form outside, decided on the rounded value', () => {
  assert.equal(fmt(1e-3), '0.001');
  assert.equal(fmt(0.00099996), '0.001'); // rounds up into the plain range
  assert.equal(fmt(0.000994), '9.9e-4');
  assert.equal(fmt(9999), '9999');
  assert.equal(fmt(9999.7), '1e4'); // rounds up out of it
  assert.equal(fmt(1e4), '1e4');
  assert.equal(fmt(12544, 6), '12544'); // more digits asked for: whole counts stay plain up to 10^digits
  assert.equal(fmt(1234567, 3), '1.23e6');
  assert.equal(fmt(1.2e6, 3), '1.2e6'); // trailing zeros dropped
  assert.equal(fmt(7.5e-5), '7.5e-5');
  assert.equal(fmt(1.3e5), '1.3e5');
});

test('fmt: significant digits, never rounding the integer part', () => {
  assert.equal(fmt(0.38729), '0.39');
  assert.equal(fmt(0.38729, 3), '0.387');
  assert.equal(fmt(2.25), '2.3'); // toPrecision rounds the binary value 2.25 exactly half up
  assert.equal(fmt(276.4), '276');
  assert.equal(fmt(99.96), '100');
  assert.equal(fmt(1234.5, 6), '1234.5');
  assert.equal(fmt(1, 3), '1');
  assert.equal(fmt(1.234e-5, 3), '1.23e-5');
  assert.equal(fmt(0.000123, 3), '1.23e-4');
});

test('factor: the × form of a gain', () => {
  assert.equal(factor(undefined), '×?');
  assert.equal(factor(NaN), '×?');
  assert.equal(factor(0), '×0');
  assert.equal(factor(Infinity), '×∞');
  assert.equal(factor(-Infinity), '×-∞');
  assert.equal(factor(-0.5), '×-0.5');
  assert.equal(factor(1), '×1');
  assert.equal(factor(0.99712), '×1');
  assert.equal(factor(0.0015), '×0.0015');
  assert.equal(factor(7.6e-4), '×7.6e-4');
  assert.equal(factor(1e-3), '×0.001');
  assert.equal(factor(0.00099996), '×0.001');
  assert.equal(factor(2.56), '×2.6');
  assert.equal(factor(276.4), '×280');
  assert.equal(factor(9999.7), '×1e4');
  assert.equal(factor(1.04e-5), '×1e-5');
  assert.equal(factor(1.3e5), '×1.3e5');
  assert.equal(factor(7.5e-5), '×7.5e-5');
});

test('pct', () => {
  assert.equal(pct(0.123), '12%');
  assert.equal(pct(0.0045), '0.45%');
  assert.equal(pct(0), '0%');
  assert.equal(pct(1), '100%');
  assert.equal(pct(NaN), 'unknown%');
});
