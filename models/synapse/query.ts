/**
 * A query parameter, URL-decoded; undefined when absent: `new URLSearchParams(query).get(name)`
 * without building the parameter list. A query without `%` or `+` needs no decoding, so the
 * common case (the model's own links: session IDs, sids, tokens) splits the string in place;
 * anything else goes through URLSearchParams, whose decoding it then is exactly.
 */
export function queryParam(query: string, name: string): string | undefined {
  if (query.includes('%') || query.includes('+')) return new URLSearchParams(query).get(name) ?? undefined;
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    const eq = query.indexOf('=', start);
    if (end === start) {
      // An empty pair is skipped.
    } else if (eq === -1 || eq >= end) {
      // A pair without `=` is the name with an empty value.
      if (end - start === name.length && query.startsWith(name, start)) return '';
    } else if (eq - start === name.length && query.startsWith(name, start)) {
      return query.slice(eq + 1, end);
    }
    start = end + 1;
  }
  return undefined;
}
