import type { Case } from '../models/world.js';
import { rowMark, type Row } from './compare.js';

/**
 * What `conform` generates for the real deployment: registration only (the account endpoints
 * need accounts and access tokens the real database does not have), and no email (no mail
 * server: the email stage and its requestToken are left out) nor registration tokens (v1.42+).
 * SSO is not offered at registration in these versions.
 */
export function realCovers(c: Case): boolean {
  return c.workload.clients.every((spec) =>
    spec.actions.every((a) => a.kind !== 'email' && !(a.kind === 'direct' && (a.stage === 'm.login.email.identity' || a.stage === 'm.login.registration_token')) && !(a.kind === 'fallback' && (a.stage === 'm.login.sso' || a.stage === 'm.login.registration_token'))),
  );
}

/** Agreement counts per endpoint and per stage a request carried. */
export class Agreement {
  readonly byEndpoint = new Map<string, { agree: number; total: number }>();
  readonly byStage = new Map<string, { agree: number; total: number }>();
  agreeingCases = 0;
  racedCases = 0;
  races = 0;
  /** Differing answers of a client after its answers raced apart (compare.ts `afterRace`). */
  afterRaces = 0;
  cases = 0;

  add(rows: readonly Row[]): void {
    this.cases++;
    if (rows.every((r) => r.agree)) this.agreeingCases++;
    else if (rows.every((r) => rowMark(r) !== 'DIFFER')) this.racedCases++;
    for (const row of rows) {
      const mark = rowMark(row);
      if (mark === 'race' || mark === 'after race') {
        // Not counted for or against: the real order of two requests in flight is its own, and
        // so is what the client does after the race.
        if (mark === 'race') this.races++;
        else this.afterRaces++;
        continue;
      }
      const endpoint = endpointOf(row.what);
      bump(this.byEndpoint, endpoint, row.agree);
      const stage = /\((m\.login\.[\w.]+)\)/.exec(row.what)?.[1] ?? (row.what.includes('fallback') ? '' : 'no stage');
      if (stage !== '') bump(this.byStage, stage, row.agree);
    }
  }

  lines(): string[] {
    const table = (title: string, map: Map<string, { agree: number; total: number }>) => [
      title,
      ...[...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `  ${k.padEnd(34)} ${String(v.agree).padStart(4)} of ${String(v.total).padEnd(4)} agree${v.agree === v.total ? '' : '  <-- DIFFER'}`),
    ];
    return [
      `${this.agreeingCases} of ${this.cases} cases agree on every request; ${this.racedCases} more differ only on requests in flight together (${this.races} raced answers${this.afterRaces === 0 ? '' : ` and ${this.afterRaces} of the same clients after them`}, not counted below).`,
      ...table('per endpoint (requests):', this.byEndpoint), ...table('per stage (requests carrying it):', this.byStage),
    ];
  }
}

function endpointOf(what: string): string {
  const fallback = /^(GET|POST) fallback (m\.login\.[\w.]+)/.exec(what);
  if (fallback !== null) return `${fallback[1]} fallback ${fallback[2]}`;
  return what.replace(/ \(.*\)$/, '');
}

function bump(map: Map<string, { agree: number; total: number }>, key: string, agree: boolean): void {
  const entry = map.get(key) ?? { agree: 0, total: 0 };
  entry.total++;
  if (agree) entry.agree++;
  map.set(key, entry);
}
