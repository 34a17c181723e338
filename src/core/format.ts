/**
 * Numbers for people, in one place: messages, hover, CodeLens, the CLI and the preview all format through here, so
 * a quantity reads the same wherever it is shown. Short, exact enough, never "NaN" or "Infinity" shown as a number.
 *
 * Plain from 1e-3 up to 1e4 (up to 10^digits when more digits are asked for: counts stay whole), exponent form
 * outside, with trailing zeros dropped ("7.5e-5", "1.3e5", "1e4"). The form is chosen on the value as rounded, so
 * 9999.7 reads "1e4" (not "10000") and 0.00099996 reads "0.001".
 */

function plain(rounded: number, digits: number): boolean {
  const a = Math.abs(rounded);
  return a >= 1e-3 && a < 10 ** Math.max(4, digits);
}

/** "7.5e-5", "1.23e6", "1e4": `digits` significant digits, trailing zeros dropped. */
function exponent(x: number, digits: number): string {
  const [mantissa, power] = x.toExponential(digits - 1).split('e');
  return `${Number(mantissa)}e${Number(power)}`;
}

/**
 * A number with `digits` significant digits (2 by default), the integer part never rounded in plain form
 * (276.4 → "276"). Undefined and NaN read "unknown", infinities "∞" and "-∞".
 */
export function fmt(x: number | undefined, digits = 2): string {
  if (x === undefined || Number.isNaN(x)) return 'unknown';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const intDigits = abs >= 1 ? Math.floor(Math.log10(abs)) + 1 : 0;
  const rounded = Number(x.toPrecision(Math.min(100, Math.max(digits, intDigits))));
  return plain(rounded, digits) ? rounded.toString() : exponent(x, digits);
}

/** A gain or ratio, two significant digits: "×0.0015", "×7.6e-4", "×2.6", "×280", "×1.3e5"; "×?" when unknown. */
export function factor(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '×?';
  if (!Number.isFinite(x)) return `×${fmt(x)}`;
  if (x === 0) return '×0';
  const rounded = Number(x.toPrecision(2));
  return `×${plain(rounded, 2) ? rounded : exponent(x, 2)}`;
}

/** A fraction as a percentage with two significant digits: 0.123 → "12%", 0.0045 → "0.45%". */
export function pct(x: number): string {
  if (!Number.isFinite(x)) return `${fmt(x)}%`;
  return `${Number((x * 100).toPrecision(2))}%`;
}

/** A duration for people: "<1 ms", "340 ms", "1.2 s". */
export function formatDuration(ms: number): string {
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
