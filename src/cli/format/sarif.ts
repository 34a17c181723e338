/**
 * SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run, the rule table from the rule
 * metadata, one result per finding (1-based regions, end column exclusive), fixes as artifact changes, and
 * the paths that could not be checked as tool-execution notifications.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Severity } from '../../core/findings';
import type { RuleFixMeta } from '../../core/rules/types';
import { isInside, toPosix } from '../gitignore';
import { type CheckedFile, type Range, rangeOf, type RunResult } from '../results';

/** What the rule table needs of a rule's metadata (RuleMeta satisfies it). */
export interface SarifRuleMeta {
  id: string;
  defaultSeverity: Severity;
  title: string;
  description: string;
  docs: string;
  fix: RuleFixMeta;
}

export interface SarifTool {
  version: string;
  informationUri: string;
  rules: readonly SarifRuleMeta[];
  /** The documentation page of a rule. */
  helpUri(id: string): string;
}

export const SRCROOT = '%SRCROOT%';

export function level(severity: Severity): Sarif.Result.level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

export function toSarif(result: RunResult, tool: SarifTool): Sarif.Log {
  const ruleIndex = new Map(tool.rules.map((r, i) => [r.id, i]));
  const rules: Sarif.ReportingDescriptor[] = tool.rules.map((r) => ({
    id: r.id,
    name: ruleName(r.id),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: { text: r.description, markdown: r.docs },
    helpUri: tool.helpUri(r.id),
    defaultConfiguration: { level: level(r.defaultSeverity) },
    // Whether the rule's results carry fixes, and whether those are safe to apply unreviewed.
    properties: { fixAvailability: r.fix.availability, ...(r.fix.availability !== 'none' ? { fixSafety: r.fix.safety } : {}) },
  }));

  const results: Sarif.Result[] = [];
  const notifications: Sarif.Notification[] = [];
  for (const file of result.files) {
    const artifact = artifactLocation(file, result.cwd);
    for (const notice of file.notices) {
      notifications.push({
        level: notice.fatal ? 'error' : 'warning',
        message: { text: `${file.path}: ${notice.message}` },
        locations: [{ physicalLocation: { artifactLocation: artifact } }],
      });
    }
    const report = file.report;
    if (!report) continue;
    for (const problem of report.problems) {
      notifications.push({
        level: 'warning',
        message: { text: `${file.path}: ${problem.message}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifact,
              ...(problem.span ? { region: region(rangeOf(file, problem.span)) } : {}),
            },
          },
        ],
      });
    }
    for (const finding of report.findings) {
      const sarifResult: Sarif.Result = {
        ruleId: finding.ruleId,
        level: level(finding.severity),
        message: { text: finding.message },
        locations: [{ physicalLocation: { artifactLocation: artifact, region: region(rangeOf(file, finding.span)) } }],
        properties: { model: finding.model, ...(finding.layer !== undefined ? { layer: finding.layer } : {}) },
      };
      const index = ruleIndex.get(finding.ruleId);
      if (index !== undefined) sarifResult.ruleIndex = index;
      if (finding.related.length > 0) {
        sarifResult.relatedLocations = finding.related.map((r, id) => ({
          id,
          message: { text: r.message },
          physicalLocation: { artifactLocation: artifact, region: region(rangeOf(file, r.span)) },
        }));
      }
      const fixes = finding.fixes.filter((f) => f.edits && f.edits.length > 0);
      if (fixes.length > 0) {
        sarifResult.fixes = fixes.map((fix) => ({
          description: { text: fix.title },
          artifactChanges: [
            {
              artifactLocation: artifact,
              replacements: fix.edits!.map((edit) => ({
                deletedRegion: region(rangeOf(file, edit.span)),
                insertedContent: { text: edit.newText },
              })),
            },
          ],
          properties: { safe: fix.safe },
        }));
      }
      results.push(sarifResult);
    }
  }

  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'initlens',
            informationUri: tool.informationUri,
            version: tool.version,
            semanticVersion: tool.version,
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(result.cwd) } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: !result.internalError,
            toolExecutionNotifications: notifications,
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(result: RunResult, tool: SarifTool): string {
  return `${JSON.stringify(toSarif(result, tool), null, 2)}\n`;
}

function region(r: Range): Sarif.Region {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

/** Relative to the working directory (`%SRCROOT%`) with forward slashes; a file URI outside it. */
function artifactLocation(file: CheckedFile, cwd: string): Sarif.ArtifactLocation {
  const abs = file.abs || path.resolve(cwd, file.path);
  if (isInside(abs, cwd) && abs !== cwd) {
    const uri = toPosix(path.relative(cwd, abs)).split('/').map(encodeURIComponent).join('/');
    return { uri, uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(abs).href };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** `relu-needs-he` → `ReluNeedsHe` (SARIF's optional PascalCase rule name). */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}
