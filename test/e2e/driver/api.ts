// The contract between an in-host suite, the driver extension and the harness.

/** What the driver gives a test. */
export interface InHostContext {
  /**
   * A line for the driver log and the test's result (`notes`). console.log does not do it: VS Code's extension
   * host forwards the console to the browser's devtools, and does not let it be replaced.
   */
  log(message: string): void;
}

/** One test of an in-host suite: runs inside VS Code's extension host, with the `vscode` API. */
export interface InHostTest {
  name: string;
  run(context: InHostContext): Promise<void> | void;
  /** Per-test timeout (ms); default INITLENS_E2E_TEST_TIMEOUT_MS or 60 s. */
  timeoutMs?: number;
}

/**
 * What a suite module exports (a CommonJS bundle with `vscode` external, built by the harness):
 *   export const tests: InHostTest[]        (or `export default [...]`)
 * or, as @vscode/test-electron's extensionTestsPath modules do,
 *   export function run(): Promise<void>    (reported as one test named "run")
 */
export interface InHostSuiteModule {
  tests?: InHostTest[];
  default?: InHostTest[] | { tests?: InHostTest[] };
  run?: () => Promise<void>;
}

/** One line of the results file: a JSON array of these. */
export interface InHostResult {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
  /** What the test wrote with its context's log (also in the driver log). */
  notes?: string[];
}

/** Environment variables the driver reads (code-server passes its environment to extension hosts). */
export const ENV_SUITE = 'INITLENS_E2E_SUITE';
export const ENV_RESULTS = 'INITLENS_E2E_RESULTS';
export const ENV_TEST_TIMEOUT = 'INITLENS_E2E_TEST_TIMEOUT_MS';
/** Alternatively, a file at the workspace root: { "suite": "/abs/suite.js", "results": "/abs/results.json", "timeoutMs"?: n }. */
export const WORKSPACE_CONFIG = '.initlens-e2e.json';
