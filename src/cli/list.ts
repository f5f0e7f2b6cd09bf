import { WORKLOADS } from '../../models/clients/workload.js';
import { STAGES } from '../../models/matrix/protocol.js';
import { STRATEGIES } from '../../models/strategies.js';
import { PROFILES, PROFILE_NAMES } from '../../models/synapse/profile.js';
import { FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { SCOPES } from '../../models/scopes/builtin.js';
import { PROPERTY_NAMES } from '../../properties/violation.js';
import { PROPERTY_SUMMARIES } from '../../properties/checkers/index.js';
import { alignColumns } from '../report/table.js';
import { SCHEMA_VERSION, type CommandOutput } from './check.js';
import { formatOf, UsageError } from './usage.js';
import { describeValues, SETTABLE } from '../../models/synapse/profile-set.js';

/** uia §1.5: what each stage type takes, and how the clients complete it. */
const STAGE_SUMMARIES: Record<string, string> = {
  'm.login.dummy': 'nothing to do; directly (registration)',
  'm.login.password': 'identifier or legacy user + password; directly (the account endpoints, uia §2.5)',
  'm.login.recaptcha': 'a captcha response, verified by the captcha service; directly or on the fallback page',
  'm.login.terms': 'accepting the policy; directly or on the fallback page',
  'm.login.email.identity': 'threepid_creds of an email validated through its link (out of band)',
  'm.login.registration_token': 'a registration token; directly or on the fallback form',
  'm.login.sso': 'the fallback page, the IdP, its callback (any process); users with an external ID',
};
/** `list switches`: every switch `--set` takes, its values, and its default or per-profile values. */
function listSwitches(format: string): CommandOutput {
  const switches = SETTABLE.map((s) => ({ name: s.name, of: s.of, values: describeValues(s), defaults: s.defaults, ...(s.ref === undefined ? {} : { ref: s.ref }) }));
  if (format === 'json') return { stdout: JSON.stringify({ schemaVersion: SCHEMA_VERSION, switches }) + '\n', exitCode: 0 };
  const rows = switches.map((s) => [s.of, s.name, s.values, s.of === 'config' ? `default ${s.defaults}` : `${s.defaults}${s.ref === undefined ? '' : ` (uia ${s.ref})`}`]);
  return { stdout: alignColumns(rows).join('\n') + '\n', exitCode: 0 };
}

export function runList(options: { json?: boolean; format?: string }, what?: string): CommandOutput {
  const format = formatOf(options);
  if (what === 'switches') return listSwitches(format);
  if (what !== undefined) throw new UsageError(`list takes nothing or \`switches\`, not ${what}`);
  const entries = {
    strategies: STRATEGIES.map((s) => ({ name: s.name, profile: s.profile, summary: s.summary })),
    profiles: PROFILE_NAMES.map((p) => ({ name: p, summary: PROFILES[p].summary })),
    faultProfiles: FAULT_PROFILES.map((f) => ({ name: f.name, summary: f.summary })),
    workloads: WORKLOADS.map((w) => ({ name: w.name, summary: w.summary })),
    stageTypes: STAGES.map((s) => ({ name: s, summary: STAGE_SUMMARIES[s] ?? '' })),
    properties: PROPERTY_NAMES.map((p) => ({ name: p, summary: PROPERTY_SUMMARIES[p] })),
    // explore --scope NAME (docs/explore.md "What a scope is").
    scopes: SCOPES.map((scope) => ({ name: scope.name, summary: scope.summary })),
  };
  if (format === 'json') return { stdout: JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...entries }) + '\n', exitCode: 0 };
  const rows: string[][] = [];
  const section = (title: string, items: readonly { name: string; summary: string }[]): void => {
    for (const item of items) rows.push([title, item.name, item.summary]);
  };
  section('strategy', entries.strategies);
  section('profile', entries.profiles);
  section('faults', entries.faultProfiles);
  section('workload', entries.workloads);
  section('stage', entries.stageTypes);
  section('property', entries.properties);
  section('scope', entries.scopes);
  rows.push(['switch', `(${SETTABLE.length})`, 'profile and homeserver-config switches for --set NAME=VALUE: uiasim list switches']);
  return { stdout: alignColumns(rows).join('\n') + '\n', exitCode: 0 };
}
