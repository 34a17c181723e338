/**
 * Command-line arguments of `initlens`, parsed by hand so that every mistake gets one plain sentence
 * (node:util parseArgs words its errors for programmers, not for users).
 */
import type { SeveritySetting } from '../core/findings';

export type OutputFormat = 'text' | 'json' | 'sarif';
export const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

export interface CheckArgs {
  command: 'check';
  /** Paths, directories or globs as written; `['.']` when none were given. */
  paths: string[];
  format: OutputFormat;
  /** Per-rule severity overrides from `--rule`, in the order written (a later one wins). */
  rules: Record<string, SeveritySetting>;
  /** Exit 1 when more warnings than this are reported (undefined: no limit). */
  maxWarnings?: number;
  outputFile?: string;
  /** Report error-severity findings only. */
  quiet: boolean;
  /** `--color` / `--no-color`; undefined lets the CLI decide from the terminal. */
  color?: boolean;
  /** `--jobs`: worker threads to check the files in (1: in the main thread), or 'auto' for one per core. */
  jobs: number | 'auto';
}

export type ParsedArgs = { command: 'help' } | { command: 'version' } | CheckArgs;

/** A mistake on the command line: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const SEVERITY_WORDS: ReadonlyMap<string, SeveritySetting> = new Map<string, SeveritySetting>([
  ['off', 'off'],
  ['info', 'info'],
  ['warning', 'warning'],
  ['warn', 'warning'],
  ['error', 'error'],
]);

type ValueOption = 'format' | 'rule' | 'max-warnings' | 'output-file' | 'jobs';

/** The most worker threads `--jobs` accepts (each one holds its own copy of the engine and TypeScript). */
export const MAX_JOBS = 256;
type FlagOption = 'quiet' | 'help' | 'version' | 'color' | 'no-color';

const VALUE_OPTIONS: Readonly<Record<string, ValueOption>> = {
  '--format': 'format',
  '-f': 'format',
  '--rule': 'rule',
  '--max-warnings': 'max-warnings',
  '--output-file': 'output-file',
  '-o': 'output-file',
  '--jobs': 'jobs',
  '-j': 'jobs',
};

const FLAG_OPTIONS: Readonly<Record<string, FlagOption>> = {
  '--quiet': 'quiet',
  '--help': 'help',
  '-h': 'help',
  '--version': 'version',
  '-v': 'version',
  '--color': 'color',
  '--no-color': 'no-color',
};

const VALUE_HINT: Readonly<Record<ValueOption, string>> = {
  format: 'text, json or sarif',
  rule: '<rule-id>=off|info|warning|error',
  'max-warnings': 'a number',
  'output-file': 'a file name',
  jobs: 'a number of threads or auto',
};

/**
 * Parses `argv` (without the node and script names). `ruleIds` are the known rule ids, against which
 * `--rule` is checked. Throws UsageError for anything it cannot accept; `--help` and `--version` win over
 * every other mistake, as in most CLIs.
 */
export function parseArgs(argv: readonly string[], ruleIds: readonly string[]): ParsedArgs {
  const known = new Set(ruleIds);
  const positionals: string[] = [];
  const rules: Record<string, SeveritySetting> = {};
  let format: OutputFormat = 'text';
  let maxWarnings: number | undefined;
  let outputFile: string | undefined;
  let quiet = false;
  let color: boolean | undefined;
  let jobs: number | 'auto' = 1;
  let help = false;
  let version = false;
  const errors: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    let name = eq >= 0 ? token.slice(0, eq) : token;
    let inline = eq >= 0 ? token.slice(eq + 1) : undefined;
    // make's spelling: -j4, -jauto.
    if (/^-j./.test(token)) {
      name = '-j';
      inline = token.slice(2);
    }

    const flag = FLAG_OPTIONS[name];
    if (flag) {
      if (inline !== undefined) {
        errors.push(`option ${name} does not take a value`);
        continue;
      }
      if (flag === 'help') help = true;
      else if (flag === 'version') version = true;
      else if (flag === 'quiet') quiet = true;
      else color = flag === 'color';
      continue;
    }

    const option = VALUE_OPTIONS[name];
    if (!option) {
      errors.push(`unknown option '${name}'`);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        errors.push(`option ${name} needs a value (${VALUE_HINT[option]})`);
        continue;
      }
      value = next;
      i++;
    }
    switch (option) {
      case 'format': {
        const f = value as OutputFormat;
        if (FORMATS.includes(f)) format = f;
        else errors.push(`unknown format '${value}' for ${name} (expected text, json or sarif)`);
        break;
      }
      case 'rule':
        for (const part of value.split(',')) {
          const error = parseRule(part.trim(), known);
          if (typeof error === 'string') errors.push(error);
          else rules[error.id] = error.severity;
        }
        break;
      case 'max-warnings': {
        const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
        if (Number.isSafeInteger(n) && n >= -1) maxWarnings = n === -1 ? undefined : n;
        else errors.push(`${name} needs a whole number of warnings, 0 or more (got '${value}')`);
        break;
      }
      case 'output-file':
        if (value === '') errors.push(`option ${name} needs a file name`);
        else outputFile = value;
        break;
      case 'jobs': {
        const word = value.trim().toLowerCase();
        const n = /^\d+$/.test(word) ? Number(word) : NaN;
        if (word === 'auto') jobs = 'auto';
        else if (Number.isSafeInteger(n) && n >= 1 && n <= MAX_JOBS) jobs = n;
        else errors.push(`${name} needs a number of threads from 1 to ${MAX_JOBS}, or auto (got '${value}')`);
        break;
      }
    }
  }

  if (help) return { command: 'help' };
  if (version) return { command: 'version' };

  const [command, ...paths] = positionals;
  if (command === undefined) errors.unshift("missing command: use 'initlens check [paths...]'");
  else if (command === 'help') return { command: 'help' };
  else if (command !== 'check') errors.unshift(`unknown command '${command}' (the command is 'check')`);

  if (errors.length > 0) throw new UsageError(errors.join('\n'));
  return {
    command: 'check',
    paths: paths.length > 0 ? paths : ['.'],
    format,
    rules,
    maxWarnings,
    outputFile,
    quiet,
    color,
    jobs,
  };
}

function parseRule(text: string, known: ReadonlySet<string>): string | { id: string; severity: SeveritySetting } {
  const eq = text.lastIndexOf('=');
  if (eq <= 0 || eq === text.length - 1) {
    return `--rule '${text}' must look like <rule-id>=off|info|warning|error`;
  }
  const id = text.slice(0, eq).trim();
  const word = text.slice(eq + 1).trim();
  if (!known.has(id)) return `unknown rule '${id}' in --rule (run 'initlens --help' for the rule list)`;
  const severity = SEVERITY_WORDS.get(word.toLowerCase());
  if (!severity) return `unknown severity '${word}' for rule '${id}' (expected off, info, warning or error)`;
  return { id, severity };
}
