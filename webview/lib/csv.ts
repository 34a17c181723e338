/**
 * The numbers behind the charts as CSV (RFC 4180: comma-separated, CRLF, fields with commas, quotes or line
 * breaks quoted, quotes doubled). Text cells that a spreadsheet would read as a formula (=, +, -, @, tab, CR at
 * the start) get a leading apostrophe (OWASP CSV injection); numbers are written in full precision. Pure.
 */
import type { LsuvSummary, RunData } from '../../src/preview/logic/data';

export type Cell = string | number | boolean | undefined;

export function csvCell(v: Cell): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const CSV_COLUMNS = [
  'alternative',
  'layer',
  'kind',
  'op',
  'name',
  'activation',
  'output_shape',
  'backend',
  'batch',
  'seeds',
  'input',
  'std_measured',
  'std_min_over_seeds',
  'std_max_over_seeds',
  'std_predicted',
  'std_predicted_lo',
  'std_predicted_hi',
  'second_moment_measured',
  'second_moment_predicted',
  'mean',
  'zero_fraction',
  'dead_unit_fraction',
  'saturated_fraction',
  'nan_count',
  'inf_count',
  'grad_std_measured',
  'grad_std_predicted',
  'grad_second_moment_measured',
  'kernel_initializer',
  'kernel_std_realized',
  'kernel_std_intended',
  'badges',
] as const;

export function runsToCsv(runs: readonly RunData[]): string {
  const rows: Cell[][] = [[...CSV_COLUMNS]];
  for (const r of runs) {
    for (const l of r.layers) {
      const k = l.weights.find((w) => w.slot === 'kernel' || w.slot === 'embeddings');
      rows.push([
        r.alternative,
        l.index,
        l.kind,
        l.op,
        l.name,
        l.activation,
        l.outputShape.join('x'),
        r.backend,
        r.batch,
        r.seeds.length,
        r.input.label,
        l.output.std,
        l.output.stdMin,
        l.output.stdMax,
        l.predicted.std,
        l.predicted.stdLo,
        l.predicted.stdHi,
        l.output.secondMoment,
        l.predicted.secondMoment,
        l.output.mean,
        l.output.zeroFraction,
        l.output.deadUnitFraction,
        l.output.saturatedFraction,
        l.output.nanCount,
        l.output.infCount,
        l.gradient?.std,
        l.predicted.gradStd,
        l.gradient?.secondMoment,
        k?.initializer,
        k?.realized.std,
        k?.intended?.std,
        l.badges.map((b) => b.kind).join(' '),
      ]);
    }
  }
  return toCsv(rows);
}

export function lsuvToCsv(s: LsuvSummary): string {
  const rows: Cell[][] = [['layer', 'slot', 'label', 'std_before', 'std', 'variance_before', 'variance', 'iterations', 'converged', 'note']];
  for (const l of s.layers) rows.push([l.layer, l.slot, l.label, l.stdBefore, l.std, l.varianceBefore, l.variance, l.iterations, l.converged, l.note]);
  return toCsv(rows);
}
