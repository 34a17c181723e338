/**
 * How a model is summed up for people, the same in the CLI's text output (src/cli/format/text.ts) and the editor's
 * CodeLens (src/extension/logic/codelens.ts): the layers counted, and gains and ratios written.
 */

/** Layers a user counts: every node except model inputs. */
export function layerCount(layers: readonly { kind: string }[]): number {
  return layers.filter((l) => l.kind !== 'input').length;
}

/**
 * A gain or ratio for people: two significant digits, plain between 1e-4 and 1e4, else in exponent form
 * (×0.0015, ×1.0, ×3.2e-7, ×1.3e+5).
 */
export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e4) {
    const s = Number(x.toPrecision(2)).toString();
    return /[.e]/.test(s) || abs >= 10 ? s : `${s}.0`;
  }
  return x.toExponential(1);
}
