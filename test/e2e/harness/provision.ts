import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM, PROVISION_SCRIPT, REPO_ROOT } from './paths';

export interface Provisioned {
  /** The code-server launcher (runs code-server on the cached Node 24). */
  codeServer: string;
  /** The cache folder (.vscode-test/ unless INITLENS_E2E_CACHE says otherwise). */
  cacheDir: string;
  /** Chromium's executable. */
  chromium: string;
  /** How long provisioning took in this process (ms): ~100 ms when cached. */
  ms: number;
}

let pending: Promise<Provisioned> | undefined;

/**
 * Runs scripts/provision-code-server.sh once per process (later calls share the result) and returns
 * the paths. Cold: 2-3 minutes (npm downloads, native build); warm: well under a second.
 */
export function provision(): Promise<Provisioned> {
  pending ??= runScript().catch((e: unknown) => {
    pending = undefined; // let a later call try again
    throw e;
  });
  return pending;
}

function runScript(): Promise<Provisioned> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [PROVISION_SCRIPT],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`${PROVISION_SCRIPT} failed: ${err.message}\n${stderr.slice(-4000)}`));
          return;
        }
        const codeServer = stdout.trim().split('\n').pop() ?? '';
        if (!codeServer || !existsSync(codeServer)) {
          reject(new Error(`${PROVISION_SCRIPT} printed no launcher path:\n${stdout}\n${stderr.slice(-4000)}`));
          return;
        }
        if (!existsSync(CHROMIUM)) {
          reject(new Error(`no chromium at ${CHROMIUM} (apt-get install -y chromium, or set INITLENS_E2E_CHROMIUM)`));
          return;
        }
        resolve({
          codeServer,
          cacheDir: path.resolve(path.dirname(codeServer), '..'),
          chromium: CHROMIUM,
          ms: Date.now() - t0,
        });
      },
    );
  });
}
