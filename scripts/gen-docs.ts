/**
 * Writes docs/rules/<id>.md and docs/rules/README.md from the rule modules (their `meta` is the single source of
 * truth). `--check` exits 1 when a page is missing or stale (run by the tests).
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_LIST } from '../src/core/rules';

export function renderRulePage(id: string): string {
  const rule = RULE_LIST.find((r) => r.meta.id === id)!;
  const m = rule.meta;
  return `# ${m.id}

${m.title}.

- Default severity: **${m.defaultSeverity}** (findings on a framework default that does not yet matter at this depth are reported as information)
- Fix: ${m.fixable ? 'yes (quick fix; initializer swaps change the model, so they are never applied by fix-all unless you opt in)' : 'no automatic fix'}
- Disable: \`// initlens-disable-next-line ${m.id}\` (next line), \`// initlens-disable ${m.id}\` (file), \`# initlens: disable=${m.id}\` (Python)

## What it checks

${m.description}

## Why, and how to fix it

${m.docs.trim()}
`;
}

export function renderIndex(): string {
  const rows = RULE_LIST.map((r) => `| [\`${r.meta.id}\`](${r.meta.id}.md) | ${r.meta.defaultSeverity} | ${r.meta.fixable ? 'yes' : 'no'} | ${r.meta.title} |`);
  return `# InitLens rules\n\n| rule | default severity | fix | what it reports |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

export function expectedDocs(): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of RULE_LIST) files.set(`${r.meta.id}.md`, renderRulePage(r.meta.id));
  files.set('README.md', renderIndex());
  return files;
}

function main(): void {
  const dir = join(__dirname, '..', 'docs', 'rules');
  const check = process.argv.includes('--check');
  mkdirSync(dir, { recursive: true });
  let stale = 0;
  for (const [name, content] of expectedDocs()) {
    const path = join(dir, name);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === content) continue;
    if (check) {
      console.error(`stale: docs/rules/${name}`);
      stale++;
    } else writeFileSync(path, content);
  }
  if (stale) process.exit(1);
}

if (require.main === module) main();
