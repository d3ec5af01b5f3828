import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFile, reparse, sliceDocuments, MAX_ALIAS_COUNT } from '../../server/engine/parse.ts';

test('documents are cut at --- lines and keep exact ranges', () => {
  const text = '# head\n---\na: 1\nb: [1, 2]\n---\nc: x\n';
  const f = parseFile('f.yaml', text);
  assert.equal(f.docs.length, 2);
  assert.deepEqual(f.docs[0].value, { a: 1, b: [1, 2] });
  assert.deepEqual(f.docs[1].value, { c: 'x' });
  const [s, e] = f.docs[0].offsetsOf(['b', 1])!;
  assert.equal(text.slice(s, e), '2');
  assert.deepEqual(f.range(s, e), { start: { line: 3, character: 7 }, end: { line: 3, character: 8 } });
  const [ks, ke] = f.docs[1].keyOffsetsOf(['c'])!;
  assert.equal(text.slice(ks, ke), 'c');
});

test('one broken document does not hide the others', () => {
  const text = 'a: 1\n---\nbad: [\n---\nc: 3\n';
  const f = parseFile('f.yaml', text);
  assert.equal(f.docs.length, 3);
  assert.deepEqual(f.docs[0].value, { a: 1 });
  assert.equal(f.docs[1].value, undefined);
  assert.ok(f.docs[1].problems.length > 0);
  const p = f.docs[1].problems[0];
  assert.ok(p.start >= f.docs[1].start && p.end <= f.docs[1].end, 'problem lies inside its document');
  assert.deepEqual(f.docs[2].value, { c: 3 });
});

test('alias expansion is bounded (billion laughs)', () => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  let prev = 'a';
  for (let i = 0; i < 9; i++) {
    const n = `l${i}`;
    lines.push(`${n}: &${n} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`);
    prev = n;
  }
  const t0 = Date.now();
  const f = parseFile('bomb.yaml', lines.join('\n') + '\n');
  assert.ok(Date.now() - t0 < 5000);
  assert.equal(f.docs[0].value, undefined);
  assert.match(f.docs[0].problems.map((p) => p.message).join('\n'), new RegExp(`${MAX_ALIAS_COUNT}`));
});

test('reparse reuses unchanged documents and re-parses only the edited one', () => {
  const docs = Array.from({ length: 50 }, (_, i) => `---\nkind: ConfigMap\nmetadata: {name: c${i}}\n`);
  const f1 = parseFile('f.yaml', docs.join(''));
  docs[20] = `---\nkind: ConfigMap\nmetadata: {name: changed}\n`;
  const f2 = reparse(f1, 'f.yaml', docs.join(''));
  let reused = 0;
  for (let i = 0; i < 50; i++) if (f2.docs[i].yaml === f1.docs[i].yaml) reused++;
  assert.equal(reused, 49);
  assert.deepEqual(f2.docs[20].value, { kind: 'ConfigMap', metadata: { name: 'changed' } });
  // Ranges after the edit still point at the right text.
  const [s, e] = f2.docs[49].offsetsOf(['metadata', 'name'])!;
  assert.equal(f2.text.slice(s, e), 'c49');
});

test('kind: List items are objects of their own', async () => {
  const { objectsOf } = await import('../../server/engine/parse.ts');
  const f = parseFile('l.yaml', 'apiVersion: v1\nkind: List\nitems:\n- kind: A\n- kind: B\n');
  const objs = objectsOf(f.docs[0]);
  assert.deepEqual(objs.map((o) => [o.object.kind, o.base]), [['A', ['items', 0]], ['B', ['items', 1]]]);
});

test('slices cover the text exactly, in order, for any input', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('---\n', 'a: 1\n', '# c\n', '\n', '--- x\n', 'b:\n  - 2\n', '...\n', 'k: "---"\n')), (parts) => {
      const text = parts.join('');
      const s = sliceDocuments(text);
      assert.equal(s[0].start, 0);
      assert.equal(s[s.length - 1].end, text.length);
      for (let i = 1; i < s.length; i++) assert.equal(s[i].start, s[i - 1].end);
      parseFile('p.yaml', text); // never throws
    }),
  );
});

/** What a parsed file says, comparable across parses. */
function shape(f: ReturnType<typeof parseFile>) {
  const positions = Array.from({ length: Math.min(f.text.length + 1, 400) }, (_, i) => f.lines.position(i));
  return {
    docs: f.docs.map((d) => ({ index: d.index, start: d.start, end: d.end, text: d.text, value: d.value, problems: d.problems })),
    lineCount: f.lines.lineCount,
    positions,
    last: f.lines.position(f.text.length),
  };
}

test('property: a file handed over in growing prefixes parses exactly as the whole text', () => {
  const line = fc.constantFrom('---\n', '--- \n', '---x\n', '--- # c\n', 'a: 1\n', '# c\n', '\n', 'b:\n  - 2\n', '...\n', 'k: "---"\n', 'bad: [\n', '  x: y\n');
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom('', '---', '--', 'tail: 1'), (lines, cutsRaw, end) => {
      const text = lines.join('') + end;
      // increasing cuts, at line ends (as the language server hands over large files) and anywhere
      const ends: number[] = [];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) ends.push(i + 1);
      const at = (n: number) => (n % 2 === 0 ? ends[(n >> 1) % Math.max(1, ends.length)] : (n >> 1) % (text.length + 1));
      const cuts = [...new Set(cutsRaw.map(at).filter((n): n is number => n !== undefined))].sort((a, b) => a - b);
      let f = undefined as ReturnType<typeof parseFile> | undefined;
      const steps: ReturnType<typeof parseFile>[] = [];
      for (const c of [...cuts, text.length]) {
        f = reparse(f, 'p.yaml', text.slice(0, c));
        steps.push(f);
      }
      assert.deepEqual(shape(f!), shape(parseFile('p.yaml', text)));
      // every intermediate file is still right about its own text (shared line arrays)
      for (const s of steps) assert.deepEqual(shape(s), shape(parseFile('p.yaml', s.text)));
    }),
    { numRuns: 300 },
  );
});

test('appending to a file of several documents re-parses only from its last document', () => {
  const docs = Array.from({ length: 20 }, (_, i) => `---\nkind: ConfigMap\nmetadata: {name: c${i}}\n`);
  const f1 = parseFile('f.yaml', docs.slice(0, 10).join(''));
  const f2 = reparse(f1, 'f.yaml', docs.join(''));
  for (let i = 0; i < 10; i++) assert.equal(f2.docs[i], f1.docs[i], `document ${i} is the same object`);
  assert.deepEqual(f2.docs[19].value, { kind: 'ConfigMap', metadata: { name: 'c19' } });
  assert.deepEqual(f2.range(f2.docs[19].start, f2.docs[19].start + 3).start, { line: 57, character: 0 });
  // the earlier file keeps its own line index
  assert.equal(f1.lines.lineCount, 31);
  assert.deepEqual(f1.lines.position(f1.text.length), { line: 30, character: 0 });
});

test('an edit inside a file of several documents slices and parses only around the change', () => {
  const docs = Array.from({ length: 30 }, (_, i) => `---\nkind: ConfigMap\nmetadata: {name: c${i}}\n`);
  const f1 = parseFile('f.yaml', docs.join(''));
  docs[12] = `---\nkind: ConfigMap\nmetadata: {name: longer-name}\n`; // the documents after it move
  const f2 = reparse(f1, 'f.yaml', docs.join(''));
  for (let i = 0; i < 12; i++) assert.equal(f2.docs[i], f1.docs[i], `document ${i} is the same object`);
  for (let i = 13; i < 30; i++) assert.equal(f2.docs[i].yaml, f1.docs[i].yaml, `document ${i} is not parsed again`);
  assert.deepEqual(f2.docs[12].value, { kind: 'ConfigMap', metadata: { name: 'longer-name' } });
  const [s, e] = f2.docs[29].offsetsOf(['metadata', 'name'])!;
  assert.equal(f2.text.slice(s, e), 'c29');
  assert.deepEqual(f2.range(s, e).start, { line: 29 * 3 + 2, character: 17 });
  // the previous file keeps its own line index
  assert.deepEqual(f1.range(f1.docs[29].start, f1.docs[29].start).start, { line: 87, character: 0 });
});

test('property: any sequence of edits parses exactly as the edited text parsed afresh', () => {
  const piece = fc.constantFrom('---\n', '--- \n', '---x\n', '--- # c\n', 'a: 1\n', '# c\n', '\n', 'b:\n  - 2\n', 'k: "---"\n', 'bad: [\n', '  x: y\n', '-', '--', '\r\n', 'z', ' ');
  const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 12 }), ins: fc.array(piece, { maxLength: 3 }) });
  // separators weighted up: most texts have several documents, so most edits take the edit path
  const text0 = fc.array(fc.oneof({ arbitrary: fc.constant('---\n'), weight: 2 }, { arbitrary: piece, weight: 5 }), { minLength: 1, maxLength: 40 });
  fc.assert(
    fc.property(text0, fc.array(edit, { minLength: 1, maxLength: 6 }), (pieces, edits) => {
      let text = pieces.join('');
      let f = parseFile('p.yaml', text);
      for (const ed of edits) {
        const at = ed.at % (text.length + 1);
        text = text.slice(0, at) + ed.ins.join('') + text.slice(at + ed.del);
        const prev = f;
        const prevShape = shape(prev);
        f = reparse(prev, 'p.yaml', text);
        assert.deepEqual(shape(f), shape(parseFile('p.yaml', text)));
        assert.deepEqual(shape(prev), prevShape, 'the previous file is unchanged');
      }
    }),
    { numRuns: 400 },
  );
});
