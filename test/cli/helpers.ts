/** Temporary file trees and in-process CLI runs for the CLI tests. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

export const REPO = path.resolve(__dirname, '..', '..');
export const EXAMPLES = path.join(REPO, 'examples');

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/**
 * Makes a temporary folder holding `files` (path → content; a Buffer for raw bytes; `{ symlink: target }` for a
 * link) and returns its absolute path. Removed when the test file ends.
 */
export function tree(files: Record<string, string | Buffer | { symlink: string }>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'initlens-cli-'));
  made.push(root);
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(root, name);
    mkdirSync(path.dirname(full), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) symlinkSync(content.symlink, full);
    else writeFileSync(full, content);
  }
  return root;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export async function cli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const { runCli } = await import('../../src/cli/main'); // loaded here: the file-walk tests do not need the engine
  const code = await runCli(argv, { stdout, stderr, cwd, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Every stderr line is one `initlens: ...` sentence: no stack trace, no blank lines. */
export function assertCleanStderr(stderr: string): void {
  for (const line of stderr.split('\n').filter((l) => l !== '')) {
    if (!line.startsWith('initlens: ') || /^\s+at /.test(line) || /\bError:/.test(line)) {
      throw new Error(`stderr line is not a one-line initlens message: ${JSON.stringify(line)}\n${stderr}`);
    }
  }
}

/** A tfjs file the engine reports nothing for. */
export const CLEAN_TFJS = `import * as tf from '@tensorflow/tfjs';
export const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [32], units: 64, activation: 'relu', kernelInitializer: 'heUniform' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
`;

/** A tfjs file with an error-severity finding (symmetric-init) and nothing else of error severity. */
export const ERROR_TFJS = `import * as tf from '@tensorflow/tfjs';
export const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [32], units: 64, activation: 'relu', kernelInitializer: 'heUniform' }),
    tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'zeros' }),
    tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heUniform' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
`;

/** A tfjs file with warnings only (heNormal before ReLU: truncated-normal-shortfall). */
export const WARNING_TFJS = `import * as tf from '@tensorflow/tfjs';
export const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [64], units: 64, activation: 'relu', kernelInitializer: 'heNormal' }));
model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal' }));
model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
`;
