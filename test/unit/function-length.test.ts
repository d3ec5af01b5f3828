// Functions in server/ and client/ stay under ~80 lines, or say why in a `// long: <reason>`
// comment right above them (or on the first line of their body).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const MAX_LINES = 80;

interface LongFunction {
  name: string;
  line: number;
  lines: number;
}

function nameOf(n: ts.Node, sf: ts.SourceFile): string {
  const named = (n as { name?: ts.Node }).name;
  if (named) return named.getText(sf);
  const p = n.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) return p.name.getText(sf);
  return '<anonymous>';
}

/** Functions whose body is longer than `max` lines and that give no `long:` reason. */
export function longFunctions(text: string, max = MAX_LINES): LongFunction[] {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true);
  const out: LongFunction[] = [];
  const visit = (n: ts.Node): void => {
    const body = (ts.isFunctionLike(n) && (n as { body?: ts.Node }).body) || undefined;
    if (body) {
      const start = sf.getLineAndCharacterOfPosition(body.getStart(sf)).line;
      const lines = sf.getLineAndCharacterOfPosition(body.getEnd()).line - start + 1;
      let host: ts.Node = n;
      while (host.parent && !ts.isSourceFile(host.parent) && !ts.isBlock(host.parent) && !ts.isClassLike(host.parent) && !ts.isObjectLiteralExpression(host.parent)) host = host.parent;
      const before = text.slice(host.getFullStart(), host.getStart(sf));
      const bodyStart = body.getStart(sf);
      const firstLines = text.slice(bodyStart, text.indexOf('\n', text.indexOf('\n', bodyStart) + 1));
      const reason = /\/\/\s*long:|\*\s*long:/.test(before) || /\/\/\s*long:/.test(firstLines);
      if (lines > max && !reason) out.push({ name: nameOf(n, sf), line: start + 1, lines });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== join('server', 'schemas')) yield* sources(p);
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) yield p;
  }
}

test('the detector finds a long function, and accepts one with a reason', () => {
  const body = Array.from({ length: 85 }, (_, i) => `  x += ${i};`).join('\n');
  const fn = (head: string) => `${head}function f(): number {\n  let x = 0;\n${body}\n  return x;\n}\n`;
  assert.deepEqual(longFunctions(fn('')).map((f) => f.name), ['f']);
  assert.deepEqual(longFunctions(fn('// long: one flat table of cases\n')), []);
  assert.deepEqual(longFunctions(`class C {\n  m() {\n${body}\n  }\n}\nconst g = () => {\n${body}\n};\n`).map((f) => f.name), ['m', 'g']);
  assert.deepEqual(longFunctions(fn(''), 200), []);
});

test(`no function in server/ or client/ is longer than ${MAX_LINES} lines without a reason`, () => {
  const found: string[] = [];
  for (const dir of ['server', 'client']) {
    for (const file of sources(dir)) {
      const rel = relative(ROOT, join(ROOT, file)).split('\\').join('/');
      for (const f of longFunctions(readFileSync(join(ROOT, file), 'utf8'))) found.push(`${rel}:${f.line} ${f.name} (${f.lines} lines)`);
    }
  }
  assert.deepEqual(found, []);
});
