import * as path from 'node:path';

// tsx runs the tests as CommonJS (package.json has no "type": "module"), as the rest of test/ assumes.
const here = __dirname;

/** The repository root (this file is test/e2e/harness/paths.ts). */
export const REPO_ROOT = path.resolve(here, '..', '..', '..');

/** Screenshots and logs of the e2e runs (git-ignored). */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'e2e');

/** The provisioning script. */
export const PROVISION_SCRIPT = path.join(REPO_ROOT, 'scripts', 'provision-code-server.sh');

/** Fixtures shipped with the harness. */
export const FIXTURES_DIR = path.join(here, 'fixtures');

/** The in-host test driver extension's source folder. */
export const DRIVER_DIR = path.resolve(here, '..', 'driver');

/** Debian's chromium (the default browser of openWorkbench). */
export const CHROMIUM = process.env.INITLENS_E2E_CHROMIUM ?? '/usr/bin/chromium';
