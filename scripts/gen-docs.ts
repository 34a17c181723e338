/**
 * Writes docs/rules/<id>.md and docs/rules/README.md from the rule modules (their `meta` is the single source of
 * truth), and the rule tables of README.md and src/extension/README.md between their `<!-- rules:begin -->` and
 * `<!-- rules:end -->` markers. `--check` exits 1 when a page or a table is missing or stale (run by the tests).
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_LIST, type RuleMeta } from '../src/core/rules';

const ROOT = join(__dirname, '..');
const DOCS_URL = 'https://github.com/initlens/initlens/blob/main/docs/rules';

/** The rule page's fix line, from the rule's fix availability and safety. */
export function fixSentence(m: RuleMeta): string {
  if (m.fix.availability === 'none') return 'no automatic fix';
  const where = m.fix.availability === 'always' ? 'yes' : 'where an edit is possible';
  return m.fix.safety === 'safe'
    ? `${where} (quick fix; safe: it makes the code do what it says, so fix-all applies it)`
    : `${where} (quick fix; unsafe: it changes the model, so fix-all applies it only if you opt in with \`initlens.fixAll.includeInitializerSwaps\`)`;
}

/** The short fix column of the rule tables. */
function fixCell(m: RuleMeta): string {
  if (m.fix.availability === 'none') return '–';
  return `${m.fix.safety}${m.fix.availability === 'sometimes' ? ' (where possible)' : ''}`;
}

function yieldsLine(m: RuleMeta): string {
  if (!m.supersededBy?.length) return '';
  const ids = m.supersededBy.map((id) => `[\`${id}\`](${id}.md)`).join(', ');
  return `\n- Yields to: ${ids} (where both fix the same initializer, only theirs is reported, unless it is turned off)`;
}

export function renderRulePage(id: string): string {
  const m = RULE_LIST.find((r) => r.meta.id === id)!.meta;
  return `# ${m.id}

${m.title}.

- Default severity: **${m.defaultSeverity}** (findings on a framework default that does not yet matter at this depth are reported as information)
- Fix: ${fixSentence(m)}${yieldsLine(m)}
- Disable: \`// initlens-disable-next-line ${m.id}\` (next line), \`// initlens-disable ${m.id}\` (file), \`# initlens: disable=${m.id}\` (Python)

## What it checks

${m.description}

## Why, and how to fix it

${m.docs.trim()}
`;
}

export function renderIndex(): string {
  const rows = RULE_LIST.map((r) => `| [\`${r.meta.id}\`](${r.meta.id}.md) | ${r.meta.defaultSeverity} | ${fixCell(r.meta)} | ${r.meta.title} |`);
  return `# InitLens rules\n\n| rule | default severity | fix | what it reports |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

/** The rule table of a README: one row per rule, linking to `base/<id>.md`. */
export function renderRuleTable(base: string): string {
  const rows = RULE_LIST.map((r) => `| [\`${r.meta.id}\`](${base}/${r.meta.id}.md) | ${r.meta.defaultSeverity} | ${fixCell(r.meta)} | ${r.meta.summary} |`);
  return `| rule | default | fix | what it reports |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

const BEGIN = '<!-- rules:begin (generated from the rule metadata by scripts/gen-docs.ts) -->';
const END = '<!-- rules:end -->';

/** The README with its rule table replaced; undefined when the markers are missing. */
export function withRuleTable(readme: string, base: string): string | undefined {
  const i = readme.indexOf(BEGIN);
  const j = readme.indexOf(END);
  if (i < 0 || j < i) return undefined;
  return `${readme.slice(0, i + BEGIN.length)}\n${renderRuleTable(base)}${readme.slice(j)}`;
}

/** The READMEs that carry a rule table, with the link base each uses (the extension's is shown on the Marketplace). */
export const READMES: readonly { path: string; base: string }[] = [
  { path: 'README.md', base: 'docs/rules' },
  { path: 'src/extension/README.md', base: DOCS_URL },
];

/** Every generated file, by path from the repository root, with the content it must have. */
export function expectedDocs(): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of RULE_LIST) files.set(`docs/rules/${r.meta.id}.md`, renderRulePage(r.meta.id));
  files.set('docs/rules/README.md', renderIndex());
  for (const { path, base } of READMES) {
    const current = readFileSync(join(ROOT, path), 'utf8');
    const updated = withRuleTable(current, base);
    if (updated === undefined) throw new Error(`${path} has no ${BEGIN} … ${END} markers around its rule table`);
    files.set(path, updated);
  }
  return files;
}

function main(): void {
  const check = process.argv.includes('--check');
  mkdirSync(join(ROOT, 'docs', 'rules'), { recursive: true });
  let stale = 0;
  for (const [name, content] of expectedDocs()) {
    const path = join(ROOT, name);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === content) continue;
    if (check) {
      console.error(`stale: ${name}`);
      stale++;
    } else writeFileSync(path, content);
  }
  if (stale) process.exit(1);
}

if (require.main === module) main();
