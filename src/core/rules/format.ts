/** Number formatting for messages: short, exact enough, never "NaN" or "Infinity" shown as a number. */

export function fmt(x: number | undefined, digits = 2): string {
  if (x === undefined || Number.isNaN(x)) return 'unknown';
  if (x === Infinity) return '∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(1).replace('e+', 'e');
  if (a >= 100) return x.toFixed(0);
  return Number(x.toPrecision(digits)).toString();
}

/** "×0.0015" style factor. */
export function factor(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '×?';
  if (x !== 0 && (x < 1e-3 || x >= 1e4)) return `×${x.toExponential(1).replace('e+', 'e')}`;
  return `×${Number(x.toPrecision(2))}`;
}

export function pct(x: number): string {
  return `${Number((x * 100).toPrecision(2))}%`;
}
