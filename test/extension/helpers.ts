/** Real engine output on the real example files, for the extension's logic tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FileReport } from '../../src/core/report';
import { checkText, type CheckOptions } from '../../src/engine/check';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXAMPLES = join(ROOT, 'examples');
export const REPOSITORY = { type: 'git', url: 'https://github.com/initlens/initlens' };

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES)
    .filter((f) => /\.(ts|js)$/.test(f))
    .sort();
}

export function example(name: string): string {
  return readFileSync(join(EXAMPLES, name), 'utf8');
}

export function check(name: string, options: CheckOptions = {}): { text: string; report: FileReport } {
  const text = example(name);
  return { text, report: checkText(text, name, options) };
}

export function checkSource(text: string, name = 'model.ts', options: CheckOptions = {}): FileReport {
  return checkText(text, name, options);
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
