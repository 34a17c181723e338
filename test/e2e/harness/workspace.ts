import { cpSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Copies a fixture folder into a fresh temp folder (the workbench may write into its workspace)
 * and returns the copy's path. Remove it with fs.rmSync(dir, { recursive: true }) when done.
 */
export function copyFixtureWorkspace(fixtureDir: string): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'initlens-ws-')), path.basename(fixtureDir));
  cpSync(fixtureDir, dir, { recursive: true });
  return dir;
}
