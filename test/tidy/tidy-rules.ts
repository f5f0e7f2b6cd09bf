// Banned-construct scan behind docs/architecture.md "The engine": determinism is the product, so anything
// that reads wall-clock time, ambient randomness, the environment, the locale, GC timing or
// unordered key iteration must not appear in engine code.
//
// The scan is purely syntactic (TypeScript's parser, no type checker): fast, needs no Program,
// and sees exactly what a reviewer sees. Known limits, accepted to keep it simple:
// - values copied into other variables are not tracked (`const M = Math; M.random()`);
// - shadowing is resolved from lexical declarations only (no `var` hoisting across blocks).
import ts from 'typescript';

export const RULES = [
  'math-random',
  'date',
  'performance-now',
  'timers',
  'queue-microtask',
  'promise-race',
  'crypto-random',
  'process-env',
  'os-module',
  'locale-compare',
  'intl',
  'weak-ref',
  'for-in',
  'hrtime',
] as const;
export type Rule = (typeof RULES)[number];

export interface Finding {
  rule: Rule;
  line: number;
  text: string;
}

// Globals banned outright: any reference (value or type position) is a finding.
const GLOBAL_RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['Date', 'date'],
  ['performance', 'performance-now'],
  ['setTimeout', 'timers'],
  ['setInterval', 'timers'],
  ['setImmediate', 'timers'],
  ['clearTimeout', 'timers'],
  ['clearInterval', 'timers'],
  ['clearImmediate', 'timers'],
  ['queueMicrotask', 'queue-microtask'],
  ['Intl', 'intl'],
  ['WeakRef', 'weak-ref'],
  ['FinalizationRegistry', 'weak-ref'],
]);

const CRYPTO_RANDOM = ['randomBytes', 'randomUUID', 'getRandomValues', 'randomInt', 'randomFill', 'randomFillSync'];

// Members banned on a specific object, keyed `object.member`. The object is a global
// (`Math`, `Promise`, `process`, `crypto`) or a Node module imported under any local name.
const MEMBER_RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['Math.random', 'math-random'],
  ['Promise.race', 'promise-race'],
  ['process.env', 'process-env'],
  ['process.hrtime', 'hrtime'],
  ['perf_hooks.performance', 'performance-now'],
  ...CRYPTO_RANDOM.map((m): [string, Rule] => [`crypto.${m}`, 'crypto-random']),
]);

// Node modules we look inside (specifier without `node:` -> object name used in MEMBER_RULES).
const MODULE_OBJECTS: ReadonlyMap<string, string> = new Map([
  ['crypto', 'crypto'],
  ['process', 'process'],
  ['perf_hooks', 'perf_hooks'],
  ['os', 'os'],
  ['timers', 'timers'],
  ['timers/promises', 'timers'],
]);

// Modules banned outright: importing them at all is the finding.
const MODULE_RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['os', 'os-module'],
  ['timers', 'timers'],
]);

// `globalThis.X` / `global.X` mean the global X.
const GLOBAL_HOLDERS: ReadonlySet<string> = new Set(['globalThis', 'global']);

// Only identifiers with these names can denote a watched object; everything else is ordinary
// code, which also keeps the (cached) shadowing walk off the hot path.
const WATCHED_NAMES: ReadonlySet<string> = new Set([
  ...GLOBAL_HOLDERS,
  ...GLOBAL_RULES.keys(),
  ...[...MEMBER_RULES.keys()].map((k) => k.slice(0, k.indexOf('.'))),
]);

export function findBannedConstructs(fileName: string, sourceText: string): Finding[] {
  // Fixtures are stored as `.ts.txt`, so pick the script kind explicitly rather than by extension.
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, kind);
  const findings: Finding[] = [];
  // Local names bound to a watched module by an import (`import * as c from 'node:crypto'`).
  const aliases = new Map<string, string>();
  const declaredCache = new Map<ts.Node, ReadonlySet<string>>();

  // The text is the whole source line: `const t = Date.now();` says more than `Date`.
  const lines = sourceText.split('\n');
  const report = (rule: Rule, node: ts.Node): void => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    findings.push({ rule, line: line + 1, text: clip(lines[line] ?? '') });
  };

  const declaredIn = (scope: ts.Node): ReadonlySet<string> => {
    let names = declaredCache.get(scope);
    if (names === undefined) {
      names = collectDeclaredNames(scope);
      declaredCache.set(scope, names);
    }
    return names;
  };

  // A global name is shadowed when an enclosing scope declares (or imports) the same name.
  const isShadowed = (id: ts.Identifier): boolean => {
    for (let scope: ts.Node | undefined = id.parent; scope !== undefined; scope = scope.parent) {
      if (declaredIn(scope).has(id.text)) return true;
    }
    return false;
  };

  // The watched global or module an expression denotes, e.g. `globalThis.Math` -> 'Math',
  // `nodeCrypto` (imported namespace) -> 'crypto', `await import('node:os')` -> 'os'.
  const objectOf = (expr: ts.Expression): string | undefined => {
    const e = skipOuter(expr);
    if (ts.isIdentifier(e)) {
      const alias = aliases.get(e.text);
      if (alias !== undefined) return alias;
      return WATCHED_NAMES.has(e.text) && !isShadowed(e) ? e.text : undefined;
    }
    if (ts.isCallExpression(e)) {
      const spec = moduleOfCall(e);
      return spec === undefined ? undefined : MODULE_OBJECTS.get(spec);
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const member = memberName(e);
      const owner = objectOf(e.expression);
      if (member === undefined || owner === undefined) return undefined;
      if (GLOBAL_HOLDERS.has(owner)) return member;
      if (owner === 'crypto' && member === 'webcrypto') return 'crypto';
    }
    return undefined;
  };

  // Handles import declarations first so aliases are known before any use is visited.
  const visitImport = (node: ts.ImportDeclaration | ts.ImportEqualsDeclaration): void => {
    const specifier = ts.isImportDeclaration(node)
      ? node.moduleSpecifier
      : ts.isExternalModuleReference(node.moduleReference)
        ? node.moduleReference.expression
        : undefined;
    const object = specifier === undefined ? undefined : MODULE_OBJECTS.get(moduleName(specifier) ?? '');
    if (object === undefined) return;
    const moduleRule = MODULE_RULES.get(object);
    if (moduleRule !== undefined) report(moduleRule, node);
    if (ts.isImportEqualsDeclaration(node)) {
      aliases.set(node.name.text, object);
      return;
    }
    const clause = node.importClause;
    if (clause?.name !== undefined) aliases.set(clause.name.text, object);
    const bindings = clause?.namedBindings;
    if (bindings === undefined) return;
    if (ts.isNamespaceImport(bindings)) {
      aliases.set(bindings.name.text, object);
      return;
    }
    for (const el of bindings.elements) {
      const imported = (el.propertyName ?? el.name).text;
      if (object === 'crypto' && imported === 'webcrypto') aliases.set(el.name.text, 'crypto');
      const rule = memberRule(object, imported);
      if (rule !== undefined) report(rule, el);
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) return; // done up front
    if (ts.isForInStatement(node)) {
      report('for-in', node);
    } else if (ts.isIdentifier(node)) {
      const rule = GLOBAL_RULES.get(node.text);
      if (rule !== undefined && isReference(node) && !isShadowed(node)) {
        report(rule, node);
      }
    } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const member = memberName(node);
      // Any receiver: locale-dependent ordering is wrong whatever the string came from.
      if (member === 'localeCompare') report('locale-compare', node);
      const rule = memberRule(objectOf(node.expression), member);
      if (rule !== undefined) report(rule, node);
    } else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      // `const { random } = Math`, `const { env } = process`
      const owner = objectOf(node.initializer);
      for (const el of node.name.elements) {
        const key = el.propertyName ?? el.name;
        const rule = ts.isIdentifier(key) || ts.isStringLiteral(key) ? memberRule(owner, key.text) : undefined;
        if (rule !== undefined) report(rule, el);
      }
    } else if (ts.isCallExpression(node)) {
      // `import('node:os')`, `require('os')`
      const spec = moduleOfCall(node);
      const rule = MODULE_RULES.get(MODULE_OBJECTS.get(spec ?? '') ?? '');
      if (rule !== undefined) report(rule, node);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      // Re-exports (`export { randomUUID } from 'node:crypto'`) leak the construct just the same.
      const object = MODULE_OBJECTS.get(moduleName(node.moduleSpecifier) ?? '');
      const moduleRule = MODULE_RULES.get(object ?? '');
      if (moduleRule !== undefined) report(moduleRule, node);
      else if (node.exportClause !== undefined && ts.isNamedExports(node.exportClause)) {
        for (const el of node.exportClause.elements) {
          const rule = memberRule(object, (el.propertyName ?? el.name).text);
          if (rule !== undefined) report(rule, el);
        }
      }
    }
    ts.forEachChild(node, visit);
  };

  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) visitImport(statement);
  }
  visit(sf);
  // Imports were visited first; report in file order (sort is stable within a line).
  return findings.sort((a, b) => a.line - b.line);
}

function memberRule(owner: string | undefined, member: string | undefined): Rule | undefined {
  if (owner === undefined || member === undefined) return undefined;
  if (GLOBAL_HOLDERS.has(owner)) return GLOBAL_RULES.get(member);
  return MEMBER_RULES.get(`${owner}.${member}`);
}

function memberName(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  const arg = node.argumentExpression;
  return ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg) ? arg.text : undefined;
}

function skipOuter(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e) || ts.isAsExpression(e)) {
    e = e.expression;
  }
  return e;
}

// Module specifier with the `node:` scheme dropped, or undefined if not a string literal.
function moduleName(spec: ts.Expression): string | undefined {
  if (!ts.isStringLiteral(spec) && !ts.isNoSubstitutionTemplateLiteral(spec)) return undefined;
  return spec.text.startsWith('node:') ? spec.text.slice('node:'.length) : spec.text;
}

// The module named by `import('x')` or `require('x')`.
function moduleOfCall(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  const isLoader =
    callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
  const first = call.arguments[0];
  return isLoader && first !== undefined ? moduleName(first) : undefined;
}

// True when the identifier is a use of a name, not a property name after a dot, an
// object-literal key, a declared name, an import/export alias, or a label.
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p)) return p.expression === id;
  if (ts.isQualifiedName(p)) return p.left === id;
  if (ts.isShorthandPropertyAssignment(p)) return true; // `{ Date }` reads Date
  const named = p as { name?: unknown; propertyName?: unknown; label?: unknown };
  return named.name !== id && named.propertyName !== id && named.label !== id;
}

function collectDeclaredNames(scope: ts.Node): ReadonlySet<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  const addStatement = (st: ts.Statement): void => {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) addBinding(d.name);
    else if (
      ts.isFunctionDeclaration(st) ||
      ts.isClassDeclaration(st) ||
      ts.isEnumDeclaration(st) ||
      ts.isInterfaceDeclaration(st) ||
      ts.isTypeAliasDeclaration(st) ||
      ts.isModuleDeclaration(st)
    ) {
      if (st.name !== undefined && ts.isIdentifier(st.name)) names.add(st.name.text);
    } else if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (clause?.name !== undefined) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      else if (bindings !== undefined) for (const el of bindings.elements) names.add(el.name.text);
    } else if (ts.isImportEqualsDeclaration(st)) names.add(st.name.text);
  };

  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseOrDefaultClause(scope)) {
    for (const st of scope.statements) addStatement(st);
  }
  if (ts.isFunctionLike(scope)) {
    for (const p of scope.parameters) addBinding(p.name);
    if (ts.isFunctionExpression(scope) && scope.name !== undefined) names.add(scope.name.text);
  }
  if (ts.isClassExpression(scope) && scope.name !== undefined) names.add(scope.name.text);
  if (
    (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) &&
    scope.initializer !== undefined &&
    ts.isVariableDeclarationList(scope.initializer)
  ) {
    for (const d of scope.initializer.declarations) addBinding(d.name);
  }
  if (ts.isCatchClause(scope) && scope.variableDeclaration !== undefined) addBinding(scope.variableDeclaration.name);
  return names;
}

// Findings are printed one per line: trim the source line (and a CR) and cap its length.
function clip(text: string): string {
  const flat = text.trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
