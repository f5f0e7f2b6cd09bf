import { parseSet, SwitchError, type Switches } from '../../models/synapse/profile-set.js';
import { UsageError } from './usage.js';

/** commander's collector for a repeatable option (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--set NAME=VALUE ...` as checked switches (undefined when none); a bad one is a usage error. */
export function switchesOf(sets: readonly string[] | undefined, base: Switches = {}): Switches | undefined {
  const out: Record<string, boolean | number | string> = { ...base };
  for (const text of sets ?? []) {
    try {
      const [name, value] = parseSet(text);
      out[name] = value;
    } catch (error) {
      if (error instanceof SwitchError) throw new UsageError(error.message);
      throw error;
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** `name=value, ...` for the settings lines. */
export function describeSwitches(switches: Switches | undefined): string | undefined {
  if (switches === undefined) return undefined;
  return Object.keys(switches)
    .sort()
    .map((name) => `${name}=${String(switches[name])}`)
    .join(', ');
}
