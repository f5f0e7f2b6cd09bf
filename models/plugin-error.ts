/** A user's plug-in (a store definition, a routing map) is not what the contract asks: the
 * message names the field (`\`pools.p\` must be ...`). The CLI prefixes the file and makes it
 * bad input (exit 2); the library's storeProperty prefixes its own name and throws it at once,
 * before any run, so it never reads as a finding. */
export class PluginDefinitionError extends Error {}

export function mustBe(field: string, expected: string): never {
  throw new PluginDefinitionError(`\`${field}\` must be ${expected}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
