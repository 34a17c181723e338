/**
 * Type errors of TypeScript texts that exist only in memory, checked with the project's compiler options against
 * the real node_modules (one program for all of them): a fix must leave code that still compiles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (p) => readFileSync(p, 'utf8'));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
}

/** `file:line:col message` for each error in the virtual files; `what` says which fix made the text. */
export function typeErrors(files: ReadonlyMap<string, { text: string; what: string }>): string[] {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(f)?.text ?? readFile(f);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const v = files.get(f);
    return v ? ts.createSourceFile(f, v.text, lang, true) : getSourceFile(f, lang, onError, create);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const out: string[] = [];
  for (const [f, { what }] of files) {
    const sf = program.getSourceFile(f)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      out.push(`${what}: ${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  }
  return out;
}
