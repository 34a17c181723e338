// The e2e harness: a real VS Code (code-server, provisioned by scripts/provision-code-server.sh)
// driven by Debian's chromium through playwright-core, plus an in-host test driver.
export { provision, type Provisioned } from './provision';
export { startCodeServer, DEFAULT_SETTINGS, type CodeServer, type StartCodeServerOptions } from './code-server';
export {
  openWorkbench,
  openFile,
  runCommand,
  waitForText,
  problemsPanelRows,
  waitForProblem,
  waitForExtensionHostIdle,
  CHROMIUM_ARGS,
  type OpenWorkbenchOptions,
  type Workbench,
  type ProblemRow,
} from './workbench';
export { runInHostSuite, bundleSuite, stageDriver, type RunInHostSuiteOptions, type InHostRun, type InHostResult, type InHostTest } from './in-host';
export { packageVsix, type PackageVsixOptions } from './extensions';
export { copyFixtureWorkspace } from './workspace';
export { REPO_ROOT, ARTIFACTS_DIR, FIXTURES_DIR } from './paths';
