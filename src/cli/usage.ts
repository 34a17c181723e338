/** The `initlens --help` text. */
import type { Severity } from '../core/findings';
import { MAX_FILE_BYTES, formatBytes } from './read';

export function usage(rules: readonly { id: string; defaultSeverity: Severity; title: string }[]): string {
  const width = Math.max(0, ...rules.map((r) => r.id.length));
  const ruleLines = rules.map((r) => `  ${r.id.padEnd(width)}  ${r.defaultSeverity.padEnd(7)}  ${r.title}`);
  const cap = formatBytes(MAX_FILE_BYTES);
  return `Usage: initlens check [paths or globs...] [options]
       initlens report <file> [--model NAME] --out report.html

Checks the weight initialization of the neural-network models in TensorFlow.js code
(TypeScript and JavaScript files) and predicts how the signal grows or fades through each model.

Paths default to '.'. Folders are walked honouring .gitignore files (nested ones too) and
always skipping node_modules and .git. Quote globs so that initlens expands them
('src/**/*.ts'); their matches honour .gitignore too. A file named on the command line is
checked even if a .gitignore lists it.

Options:
  -f, --format <format>      text (default), json or sarif (SARIF 2.1.0, for code scanning)
      --rule <id>=<level>    set a rule's severity: off, info, warning or error; repeatable,
                             or several at once: --rule a=off,b=error
      --max-warnings <n>     exit with status 1 when more than n warnings are reported
  -o, --output-file <file>   write the report to this file instead of standard output
      --quiet                report error-severity findings only (warnings then do not
                             count for --max-warnings)
      --color, --no-color    force colours on or off (default: on in a terminal, unless
                             NO_COLOR is set)
  -j, --jobs <n|auto>        check the files in n worker threads (auto: one per CPU core;
                             default 1, this thread); the report is the same whatever n
  -h, --help                 show this help
  -v, --version              print the version

Exit status (as ESLint):
  0  no error-severity findings (and no more warnings than --max-warnings)
  1  error-severity findings, or more warnings than --max-warnings
  2  the run failed: a usage error (unknown option, rule or severity), a path that could
     not be checked, or an internal error

Paths that cannot be checked are reported on standard error, one line each, as
'initlens: <path>: <reason>', and every other path is still checked. A missing path, a
glob that matches no file, and a file or folder that cannot be read give exit status 2
(as ESLint does for a pattern that matches no file). Files that are skipped (larger than ${cap}, binary,
not valid UTF-8) and symbolic-link loops are reported but do not change the exit status.
Analysis problems such as syntax errors are printed with the report and do not change the
exit status either.

Rules (default severity):
${ruleLines.join('\n')}

Each rule is documented in docs/rules/<rule-id>.md.
`;
}
