import { WORKLOAD_NAMES } from '../../models/clients/workload.js';
import { STRATEGIES } from '../../models/strategies.js';
import { PROFILES, PROFILE_NAMES } from '../../models/synapse/profile.js';
import { FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { PROPERTY_NAMES } from '../../properties/violation.js';
import { PROPERTY_SUMMARIES } from '../../properties/checkers/index.js';
import { alignColumns } from '../report/table.js';
import { SCHEMA_VERSION, type CommandOutput } from './check.js';
import { formatOf } from './usage.js';

const WORKLOAD_SUMMARIES: Record<string, string> = {
  registration: 'POST /register with recaptcha and terms on the fallback page, or dummy; 1 to 4 clients',
};
export function runList(options: { json?: boolean; format?: string }): CommandOutput {
  const format = formatOf(options);
  const entries = {
    strategies: STRATEGIES.map((s) => ({ name: s.name, profile: s.profile, summary: s.summary })),
    profiles: PROFILE_NAMES.map((p) => ({ name: p, summary: PROFILES[p].summary })),
    faultProfiles: FAULT_PROFILES.map((f) => ({ name: f.name, summary: f.summary })),
    workloads: WORKLOAD_NAMES.map((w) => ({ name: w, summary: WORKLOAD_SUMMARIES[w] ?? '' })),
    properties: PROPERTY_NAMES.map((p) => ({ name: p, summary: PROPERTY_SUMMARIES[p] })),
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
  section('property', entries.properties);
  return { stdout: alignColumns(rows).join('\n') + '\n', exitCode: 0 };
}
