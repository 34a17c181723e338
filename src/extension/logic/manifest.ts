/**
 * The extension's manifest fields that are data the engine already has: the activation languages (from the
 * analyzers' file extensions), the `initlens.rules` schema (from the rule catalogue), the `initlens.frameworks`
 * enum (analyzer ids). package.json holds the result; test/extension/manifest.test.ts fails when it drifts, and
 * `node --import tsx test/extension/sync-manifest.ts` rewrites it.
 *
 * Pure: no vscode import.
 */
import type { RuleMeta } from '../../core/rules/types';
import { docsUrl } from './diagnostics';
import { activationEventsOf } from './languages';
import { DEFAULT_SETTINGS } from './settings';

export interface AnalyzerInfo {
  id: string;
  extensions: readonly string[];
}

const ANALYZER_LABELS: Record<string, string> = {
  tfjs: 'TensorFlow.js (TypeScript and JavaScript)',
  python: 'PyTorch and Keras (Python)',
};

export const COMMANDS = [
  { command: 'initlens.checkWorkspace', title: 'Check Workspace', category: 'InitLens' },
  { command: 'initlens.fixAll', title: 'Fix All Auto-Fixable Problems', category: 'InitLens' },
  { command: 'initlens.preview', title: 'Preview Initialization', category: 'InitLens', icon: '$(graph-line)' },
  { command: 'initlens.showOutput', title: 'Show Output', category: 'InitLens' },
  { command: 'initlens.restart', title: 'Restart', category: 'InitLens' },
  { command: 'initlens.showRuleDocumentation', title: 'Show Rule Documentation', category: 'InitLens' },
];

export function manifestFields(rules: readonly RuleMeta[], analyzers: readonly AnalyzerInfo[], repository: unknown) {
  const languages = activationEventsOf(analyzers.flatMap((a) => a.extensions));
  const d = DEFAULT_SETTINGS;
  const ruleProperties = Object.fromEntries(
    rules.map((r) => [
      r.id,
      {
        type: 'string',
        enum: ['off', 'info', 'warning', 'error'],
        markdownDescription: `${r.title} (default: \`${r.defaultSeverity}\`). [Documentation](${docsUrl(repository, r.id)})`,
      },
    ]),
  );
  return {
    // The preview panel restores after a reload (WebviewPanelSerializer).
    activationEvents: [...languages, 'onWebviewPanel:initlens.preview'],
    contributes: {
      commands: COMMANDS,
      menus: {
        commandPalette: [
          { command: 'initlens.showRuleDocumentation', when: 'false' },
          { command: 'initlens.fixAll', when: 'editorIsOpen' },
        ],
        'editor/title': [
          {
            command: 'initlens.preview',
            when: languages.map((l) => `resourceLangId == ${l.replace('onLanguage:', '')}`).join(' || '),
            group: 'navigation',
          },
        ],
      },
      configuration: {
        title: 'InitLens',
        properties: {
          'initlens.enable': {
            type: 'boolean',
            default: d.enable,
            scope: 'resource',
            description: 'Check neural-network model code for weight-initialization mistakes.',
          },
          'initlens.run': {
            type: 'string',
            enum: ['onType', 'onSave'],
            enumDescriptions: ['Check as you type (debounced), on open and on save.', 'Check on open and on save only.'],
            default: d.run,
            scope: 'resource',
            description: 'When InitLens checks a file.',
          },
          'initlens.rules': {
            type: 'object',
            default: {},
            scope: 'resource',
            markdownDescription:
              'Severity of each rule: `off`, `info`, `warning` or `error` (omitted rules keep their default). For one line or one file, use a comment: `// initlens-disable-next-line <rule>`, `// initlens-disable <rule>`.',
            properties: ruleProperties,
            additionalProperties: false,
          },
          'initlens.frameworks': {
            type: 'array',
            items: {
              type: 'string',
              enum: analyzers.map((a) => a.id),
              enumDescriptions: analyzers.map((a) => ANALYZER_LABELS[a.id] ?? a.id),
            },
            uniqueItems: true,
            default: analyzers.map((a) => a.id),
            scope: 'resource',
            description: 'The analyzers to run (one per framework and language).',
          },
          'initlens.input': {
            type: 'object',
            default: { ...d.input },
            scope: 'resource',
            markdownDescription:
              'The input distribution the signal prediction assumes, per input feature (default: a unit Gaussian). Set it to your normalized data\'s, e.g. pixels in [0, 1]: `{"mean": 0.5, "std": 0.29}`.',
            properties: {
              mean: { type: 'number', default: d.input.mean, description: 'Mean of each input feature.' },
              std: { type: 'number', default: d.input.std, exclusiveMinimum: 0, description: 'Standard deviation of each input feature.' },
            },
            additionalProperties: false,
          },
          'initlens.thresholds': {
            type: 'object',
            default: { ...d.thresholds },
            scope: 'resource',
            markdownDescription:
              'Second-moment ratio of the signal entering the read-out (relative to the input) below which `vanishing-signal` and above which `exploding-signal` report.',
            properties: {
              vanishing: { type: 'number', default: d.thresholds.vanishing, exclusiveMinimum: 0, description: 'Below this ratio the signal has vanished (1e-2: std shrunk tenfold).' },
              exploding: { type: 'number', default: d.thresholds.exploding, exclusiveMinimum: 0, description: 'Above this ratio the signal has exploded (1e2: std grown tenfold).' },
            },
            additionalProperties: false,
          },
          'initlens.fixAll.includeInitializerSwaps': {
            type: 'boolean',
            default: d.fixAll.includeInitializerSwaps,
            scope: 'resource',
            markdownDescription:
              'Let "fix all" (`source.fixAll.initlens`, e.g. in `editor.codeActionsOnSave`, and **InitLens: Fix All Auto-Fixable Problems**) apply initializer swaps too. They change how the model trains, so by default they are offered only as quick fixes, one at a time.',
          },
          'initlens.timeBudget.onValidation': {
            type: 'object',
            default: { ...d.timeBudget },
            scope: 'resource',
            markdownDescription:
              'Milliseconds a check of one file may take before the status item warns (`warn`) or reports an error (`error`).',
            properties: {
              warn: { type: 'number', default: d.timeBudget.warn, minimum: 0 },
              error: { type: 'number', default: d.timeBudget.error, minimum: 0 },
            },
            additionalProperties: false,
          },
          'initlens.trace': {
            type: 'string',
            enum: ['off', 'messages', 'verbose'],
            enumDescriptions: [
              'Log errors, warnings and analysis problems only (more with "Developer: Set Log Level…" on the InitLens output).',
              'Also log each check: file, models, findings, time.',
              'Also log every finding.',
            ],
            default: d.trace,
            scope: 'window',
            description: 'How much InitLens writes to its output channel.',
          },
          'initlens.codeLens.enable': {
            type: 'boolean',
            default: d.codeLens,
            scope: 'resource',
            description: 'Show the layer count and predicted signal scale above each model, with a Preview link.',
          },
          'initlens.hover.enable': {
            type: 'boolean',
            default: d.hover,
            scope: 'resource',
            description: "Show a layer's realized initialization, fans and predicted gains on hover.",
          },
          'initlens.codeAction.disableRuleComment.enable': {
            type: 'boolean',
            default: d.codeAction.disableRuleComment,
            scope: 'resource',
            description: 'Offer "Disable <rule> for this line" and "… for the entire file" quick fixes.',
          },
          'initlens.codeAction.showDocumentation.enable': {
            type: 'boolean',
            default: d.codeAction.showDocumentation,
            scope: 'resource',
            description: 'Offer a "Show documentation for <rule>" quick fix.',
          },
        },
      },
    },
  };
}
