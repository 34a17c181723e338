import { mkdirSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface PackageVsixOptions {
  /** Output file; default <tmp>/<folder name>.vsix. */
  out?: string;
  /** Include production dependencies (vsce runs `npm list --production`); default false. */
  dependencies?: boolean;
}

/**
 * Packages an extension folder into a .vsix with @vscode/vsce's API (no prompts: a missing
 * repository field or LICENSE is accepted). Returns the .vsix path.
 */
export async function packageVsix(extensionDir: string, opts: PackageVsixOptions = {}): Promise<string> {
  const { createVSIX } = await import('@vscode/vsce');
  const out = opts.out ?? path.join(mkdtempSync(path.join(os.tmpdir(), 'initlens-vsix-')), `${path.basename(extensionDir)}.vsix`);
  mkdirSync(path.dirname(out), { recursive: true });
  await createVSIX({
    cwd: path.resolve(extensionDir),
    packagePath: out,
    dependencies: opts.dependencies ?? false,
    allowMissingRepository: true,
    skipLicense: true,
  });
  return out;
}
