/**
 * nginx's configuration syntax, as nginx itself reads it (ngx_conf_read_token): directives are
 * words ended by `;` or by a `{ ... }` block; `#` starts a comment where a word could start;
 * words may be quoted with `"` or `'`; a backslash escapes `"`, `'` and `\` and writes
 * `\t`, `\r`, `\n` as those characters, and is kept before anything else (so `\.` in a regex
 * stays `\.`).
 *
 * Why not a parser from npm: the maintained ones (nginx-conf, @webantic/nginx-config-parser)
 * keep a directive's words as one string and drop line numbers, and a refusal here must name
 * the line.
 */

export interface NginxDirective {
  readonly name: string;
  readonly args: readonly string[];
  /** 1-based line of the directive's name. */
  readonly line: number;
  /** The block's directives, for `name args { ... }`. */
  readonly block?: readonly NginxDirective[];
  /** The text of a `#` comment that follows the directive on its own line (without the `#`). */
  readonly trailingComment?: string;
}

/** A syntax error or a directive the reader refuses, with the line it is on. */
export class NginxConfigError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly line: number }
  | { readonly kind: ';' | '{' | '}'; readonly line: number }
  | { readonly kind: 'comment'; readonly text: string; readonly line: number };

function tokens(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      out.push({ kind: 'comment', text: source.slice(i + 1, stop).trim(), line });
      i = stop;
    } else if (c === ';' || c === '{' || c === '}') {
      out.push({ kind: c, line });
      i++;
    } else {
      const start = line;
      const quote = c === '"' || c === "'" ? c : undefined;
      if (quote !== undefined) i++;
      let text = '';
      for (;;) {
        if (i >= source.length) {
          if (quote !== undefined) throw new NginxConfigError(start, `unterminated ${quote} string`);
          break;
        }
        const d = source[i] as string;
        if (quote === undefined && (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === ';' || d === '{' || d === '}')) break;
        if (quote !== undefined && d === quote) {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < source.length) {
          const e = source[i + 1] as string;
          const escaped = ESCAPES[e];
          // Any other escaped character is part of the word, the backslash kept.
          text += escaped ?? `\\${e}`;
          if (e === '\n') line++;
          i += 2;
          continue;
        }
        if (d === '\n') line++;
        text += d;
        i++;
      }
      out.push({ kind: 'word', text, line: start });
    }
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '\\': '\\', t: '\t', r: '\r', n: '\n' };

/** The directives of a configuration file, as a tree. */
export function parseNginxSyntax(source: string): NginxDirective[] {
  const list = tokens(source);
  let at = 0;
  const readBlock = (openedOn: number | undefined): NginxDirective[] => {
    const directives: NginxDirective[] = [];
    for (;;) {
      const token = list[at];
      if (token === undefined) {
        if (openedOn !== undefined) throw new NginxConfigError(openedOn, 'a `{` block is never closed');
        return directives;
      }
      at++;
      switch (token.kind) {
        case 'comment':
          continue;
        case '}':
          if (openedOn === undefined) throw new NginxConfigError(token.line, 'unexpected `}`');
          return directives;
        case ';':
        case '{':
          throw new NginxConfigError(token.line, `unexpected \`${token.kind}\` where a directive name should be`);
        case 'word': {
          const args: string[] = [];
          for (;;) {
            const next = list[at];
            if (next === undefined) throw new NginxConfigError(token.line, `directive \`${token.text}\` has no ending \`;\``);
            at++;
            if (next.kind === 'word') {
              args.push(next.text);
            } else if (next.kind === 'comment') {
              continue;
            } else if (next.kind === ';') {
              directives.push({ name: token.text, args, line: token.line, ...trailing(next.line) });
              break;
            } else if (next.kind === '{') {
              directives.push({ name: token.text, args, line: token.line, block: readBlock(next.line) });
              break;
            } else {
              throw new NginxConfigError(next.line, `directive \`${token.text}\` has no ending \`;\``);
            }
          }
          continue;
        }
        default: {
          const unreachable: never = token;
          throw new Error(`nginx syntax: unknown token ${JSON.stringify(unreachable)}`);
        }
      }
    }
  };
  /** A comment right after a `;`, on the same line. */
  const trailing = (line: number): { trailingComment?: string } => {
    const next = list[at];
    return next !== undefined && next.kind === 'comment' && next.line === line ? { trailingComment: next.text } : {};
  };
  return readBlock(undefined);
}

/** A word as nginx reads it back: quoted when it holds a space or a character nginx reads as
 * syntax, with a backslash doubled where nginx would otherwise read it as an escape. */
export function nginxWord(text: string): string {
  let escaped = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') escaped += ESCAPES[text[i + 1] ?? ''] !== undefined || i + 1 === text.length ? '\\\\' : '\\';
    else if (c === '"') escaped += '\\"';
    else if (c === '\t') escaped += '\\t';
    else if (c === '\r') escaped += '\\r';
    else if (c === '\n') escaped += '\\n';
    else escaped += c;
  }
  return text === '' || /[\s;{}"'#]/.test(text) ? `"${escaped}"` : escaped;
}
