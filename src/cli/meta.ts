/**
 * Facts about the tool itself, from package.json (inlined by the bundler): version and where the rule
 * documentation lives.
 */
import pkg from '../../package.json';

interface PackageFacts {
  version: string;
  homepage?: string;
  repository?: string | { url?: string };
}

const facts: PackageFacts = pkg as PackageFacts;

export const VERSION: string = facts.version;

/** Used until package.json names a repository or a homepage. */
const FALLBACK_HOMEPAGE = 'https://github.com/initlens/initlens';

export const REPOSITORY_URL: string = repositoryUrl(facts) ?? FALLBACK_HOMEPAGE;
export const HOMEPAGE: string = facts.homepage ?? REPOSITORY_URL;

/** The documentation page of a rule: docs/rules/<id>.md in the repository. */
export function ruleDocsUrl(id: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${encodeURIComponent(id)}.md`;
}

function repositoryUrl(p: PackageFacts): string | undefined {
  const raw = typeof p.repository === 'string' ? p.repository : p.repository?.url;
  if (!raw) return undefined;
  const github = /^github:(.+)$/.exec(raw) ?? /^([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (github) return `https://github.com/${github[1]}`;
  return raw.replace(/^git\+/, '').replace(/\.git$/, '').replace(/^git:\/\//, 'https://');
}
