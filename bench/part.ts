/**
 * Runs one benchmark part in this (fresh) process and writes its result as JSON: bench/run.ts starts one process
 * per part, so that no part's JIT state, heap or worker threads colour another's figures.
 *
 *   node --import tsx bench/part.ts <module path> <exported function> <output.json>
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

async function main(): Promise<void> {
  const [modulePath, exportName, out] = process.argv.slice(2);
  if (!modulePath || !exportName || !out) throw new Error('usage: part.ts <module> <export> <out.json>');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolve(modulePath)) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== 'function') throw new Error(`${modulePath} exports no function ${exportName}`);
  const result = await (fn as () => unknown)();
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
