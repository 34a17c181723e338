/**
 * Numbers for people, in one place: messages, hover, CodeLens, the CLI and the preview all format through here, so
 * a quantity reads the same wherever it is shown. Short, exact enough, never "NaN" or "Infinity" shown as a number.
 *
 * The form is chosen on the value as rounded, so 9999.7 reads "1.0e4" (not "10000") and 0.00099996 reads "0.001".
 */

const plainExponent = (s: string) => s.replace('e+', 'e');

/** Plain between 1e-3 (inclusive) and 1e4 (exclusive), else exponent form. */
function plainRange(a: number): boolean {
  return a >= 1e-3 && a < 1e4;
}

/**
 * A number with `digits` significant digits (2 by default); in plain form the integer part is never rounded
 * (276.4 → "276"); outside [1e-3, 1e4) in exponent form with at most two significant digits (7.5e-5, 1.3e5; one
 * digit when `digits` is 1: 1e-3). Undefined and NaN read "unknown".
 */
export function fmt(x: number | undefined, digits = 2): string {
  if (x === undefined || Number.isNaN(x)) return 'unknown';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const intDigits = abs >= 1 ? Math.floor(Math.log10(abs)) + 1 : 0;
  const rounded = Number(x.toPrecision(Math.min(100, Math.max(digits, intDigits))));
  if (!plainRange(Math.abs(rounded))) return plainExponent(x.toExponential(Math.min(digits, 2) - 1));
  return rounded.toString();
}

/** A gain or ratio: "×0.0015", "×7.6e-4", "×2.6", "×1.3e5"; "×?" when unknown. */
export function factor(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '×?';
  if (!Number.isFinite(x)) return `×${fmt(x)}`;
  if (x === 0) return '×0';
  const rounded = Number(x.toPrecision(2));
  return plainRange(Math.abs(rounded)) ? `×${rounded}` : `×${plainExponent(x.toExponential(1))}`;
}

/** A fraction as a percentage with two significant digits: 0.123 → "12%", 0.0045 → "0.45%". */
export function pct(x: number): string {
  if (!Number.isFinite(x)) return `${fmt(x)}%`;
  return `${Number((x * 100).toPrecision(2))}%`;
}
