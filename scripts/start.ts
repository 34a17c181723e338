/**
 * `npm start`: builds and packages the extension, provisions code-server (VS Code 1.139 from npm, cached under
 * .vscode-test/), starts it on 127.0.0.1 with InitLens installed and examples/ open, and prints the address.
 * Ctrl+C stops it. PORT=<n> picks the port (default: a free one).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startCodeServer } from '../test/e2e/harness';

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  console.error('Packaging the extension (npm run package)…');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  console.error('Starting code-server (the first run provisions it: a few minutes)…');
  const port = process.env.PORT;
  const server = await startCodeServer({
    workspace: join(root, 'examples'),
    vsix: [join(root, 'initlens.vsix')],
    args: port ? ['--bind-addr', `127.0.0.1:${port}`] : [],
    settings: { 'workbench.colorTheme': 'Default Light Modern' },
  });
  console.log(`\nInitLens is running in VS Code at ${server.workbenchUrl}\nOpen a file such as mnist-mlp-default-init.ts. Ctrl+C stops the server.\n`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await server.exited;
}

main().catch((e) => {
  console.error(`initlens start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
