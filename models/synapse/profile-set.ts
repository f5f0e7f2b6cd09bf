import { DEFAULT_CONFIG, type SynapseConfig } from './config.js';
import { PROFILES, type Profile } from './profile.js';
import { SWITCHES } from './profile-switches.js';

/**
 * `--set NAME=VALUE` (docs/profiles.md): one switch of the Synapse profile (`unknownSession`,
 * `expiry.kind`, `endpoints.fallback`, ...) or of the homeserver config (`sso.samlEnabled`,
 * `uiAuth.sessionTimeoutMs`, ...), set on top of the profile a run uses. Every scalar leaf of
 * a profile and of the config is a switch (lists are not); its values are checked:
 * - a profile switch takes the values the built-in profiles give it (a version's behaviour,
 *   each citing the reference), so a set combines known behaviours and invents none;
 * - a config switch takes its default's type (true/false, a number >= 0, or text); the options
 *   whose YAML takes other values say so in CONFIG_VALUES.
 * A case carries its switches (case-codec.ts), so a token replays them.
 */
export type SwitchValue = boolean | number | string;
export type Switches = Readonly<Record<string, SwitchValue>>;

export interface SwitchSpec {
  readonly name: string;
  readonly of: 'profile' | 'config';
  /** The values it takes: a list, or any number >= 0, or any text. */
  readonly values: readonly SwitchValue[] | 'number' | 'text';
  /** The default (config) or the value in each profile (profile). */
  readonly defaults: string;
  /** The reference sections a profile switch cites. */
  readonly ref?: string;
}

/** A `--set` the catalogue refuses, in one line. */
export class SwitchError extends Error {}

/** Config options whose YAML takes more than their default's type. */
const CONFIG_VALUES: Readonly<Record<string, readonly SwitchValue[]>> = {
  // password_config.enabled: true, false or "only_for_reauth" (uia §2.5).
  'passwordConfig.enabled': [true, false, 'only_for_reauth'],
};

type Leaf = readonly [string, SwitchValue];

function leaves(value: unknown, prefix: string): Leaf[] {
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return [[prefix, value]];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => leaves(inner, prefix === '' ? key : `${prefix}.${key}`));
}

/** Numeric profile switches that take only some numbers (the rest take any number >= 0). */
const PROFILE_VALUES: Readonly<Record<string, readonly SwitchValue[]>> = {
  // The status Synapse has used for M_UNRECOGNIZED: 400 before MSC3743, 404 after.
  unrecognizedStatus: [400, 404],
};

function profileSwitches(): SwitchSpec[] {
  const names = Object.keys(PROFILES) as (keyof typeof PROFILES)[];
  const byName = new Map<string, SwitchValue[]>();
  for (const name of names) {
    const { name: _name, summary: _summary, ...switches } = PROFILES[name];
    for (const [path, value] of leaves(switches, '')) byName.set(path, [...(byName.get(path) ?? []), value]);
  }
  return [...byName].map(([path, values]) => {
    const distinct = [...new Set(values)];
    const ref = SWITCHES.find((s) => s.key === path.split('.')[0])?.ref;
    return {
      name: path,
      of: 'profile' as const,
      values: PROFILE_VALUES[path] ?? (typeof values[0] === 'boolean' ? [true, false] : typeof values[0] === 'number' ? 'number' : distinct),
      defaults: names.map((n, i) => `${n}: ${String(values[i])}`).join(', '),
      ...(ref === undefined ? {} : { ref }),
    };
  });
}

function configSwitches(): SwitchSpec[] {
  return leaves(DEFAULT_CONFIG, '').map(([path, value]) => ({
    name: path,
    of: 'config' as const,
    values: CONFIG_VALUES[path] ?? (typeof value === 'boolean' ? [true, false] : typeof value === 'number' ? 'number' : 'text'),
    defaults: String(value),
  }));
}

/** Every switch `--set` takes (what `uiasim list switches` prints), profile ones first. */
export const SETTABLE: readonly SwitchSpec[] = (() => {
  const all = [...profileSwitches(), ...configSwitches()];
  const names = all.map((s) => s.name);
  const clash = names.find((name, i) => names.indexOf(name) !== i);
  if (clash !== undefined) throw new Error(`profile-set: ${clash} is both a profile switch and a config option`);
  return all;
})();

export function describeValues(spec: SwitchSpec): string {
  if (spec.values === 'number') return 'a number >= 0';
  if (spec.values === 'text') return 'text';
  return spec.values.map(String).join(' | ');
}

/** A switch's value checked against the catalogue (a token's, or `--set`'s already parsed). */
export function checkSwitch(name: string, value: unknown): SwitchValue {
  const spec = SETTABLE.find((s) => s.name === name);
  if (spec === undefined) throw new SwitchError(`unknown switch ${name} (see \`uiasim list switches\`)`);
  const ok =
    spec.values === 'number' ? typeof value === 'number' && Number.isFinite(value) && value >= 0 : spec.values === 'text' ? typeof value === 'string' : spec.values.includes(value as SwitchValue);
  // String(value) for numbers: JSON.stringify shows Infinity as null.
  if (!ok) throw new SwitchError(`switch ${name} takes ${describeValues(spec)}, not ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
  return value as SwitchValue;
}

/** `NAME=VALUE` as `--set` takes it: true/false and numbers parsed where the switch wants them. */
export function parseSet(text: string): readonly [string, SwitchValue] {
  const at = text.indexOf('=');
  if (at <= 0) throw new SwitchError(`--set takes NAME=VALUE (e.g. sso.samlEnabled=true), not ${JSON.stringify(text)}`);
  const name = text.slice(0, at);
  const raw = text.slice(at + 1);
  const spec = SETTABLE.find((s) => s.name === name);
  if (spec === undefined) throw new SwitchError(`unknown switch ${name} (see \`uiasim list switches\`)`);
  const wantsNumber = spec.values === 'number' || (Array.isArray(spec.values) && spec.values.some((v) => typeof v === 'number'));
  const wantsBoolean = Array.isArray(spec.values) && spec.values.some((v) => typeof v === 'boolean');
  const value: SwitchValue =
    // Plain decimals only: Number() would also take 0x10, 1e3 and Infinity.
    wantsNumber && /^-?[0-9]+(\.[0-9]+)?$/.test(raw) ? Number(raw) : wantsBoolean && (raw === 'true' || raw === 'false') ? raw === 'true' : raw;
  return [name, checkSwitch(name, value)];
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: SwitchValue): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return { ...target, [head]: value };
  return { ...target, [head]: setPath(target[head] as Record<string, unknown>, rest, value) };
}

/** The profile and config with the switches set (copies; the built-in objects stay as they are). */
export function applySwitches(profile: Profile, config: SynapseConfig, switches: Switches | undefined): { readonly profile: Profile; readonly config: SynapseConfig } {
  if (switches === undefined) return { profile, config };
  let p = profile as unknown as Record<string, unknown>;
  let c = config as unknown as Record<string, unknown>;
  for (const name of Object.keys(switches).sort()) {
    const spec = SETTABLE.find((s) => s.name === name);
    if (spec === undefined) throw new SwitchError(`unknown switch ${name}`);
    const value = switches[name] as SwitchValue;
    if (spec.of === 'profile') p = setPath(p, name.split('.'), value);
    else c = setPath(c, name.split('.'), value);
  }
  return { profile: p as unknown as Profile, config: c as unknown as SynapseConfig };
}
