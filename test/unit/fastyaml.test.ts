/**
 * The fast reader (server/engine/fastyaml.ts) against plain `yaml`: on generated documents —
 * block and flow collections, anchors and aliases, multi-line and block scalars, comments, tags,
 * broken YAML, and edits anywhere — every document gives the same value, problems, ranges and
 * paths whether it is read fast (or falls back) or parsed by `yaml` alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFile, parseSlice, reparse, sliceDocuments, type ParsedFile } from '../../server/engine/parse.ts';
import { fastValue } from '../../server/engine/fastyaml.ts';
import { joinDocuments, scaleDocuments } from '../../bench/scaleGenerate.ts';

const word = fc.constantFrom('a', 'name', 'app-1', 'x.y/z', 'true', '1', '0x1F', '~', 'null', '1.50', '.inf', '-3', 'v: w', 'a #c', 'a#b', "it's", 'é', '', ' ', 'key:', '-', '- x', '[a]', '{}', '@x', '%x', '*a', '&a x', '!t x', '<<', '__proto__', 'yes', '1e3', '0o17', '+1', 'a\tb');
const scalar = fc.oneof(
  word,
  word.map((w) => JSON.stringify(w)),
  word.map((w) => `'${w.replace(/'/g, "''")}'`),
  fc.constantFrom('"a\\nb"', '"\\x41"', '"a\\"b"', '"\\u00e9"', "'a''b'", '"unterminated', "'open"),
);
const flow = fc.constantFrom('[]', '{}', '[a, b]', '{cpu: 500m, memory: 1Gi}', '[1, [2, 3], {k: v}]', '[a, b,]', '{a}', '[a: 1]', '{"q": \'r\'}', '[-1, -x]', '[a #c]', '{a: 1, a: 2}');

/** A block node at indentation `ind` (its lines, each without the indentation of its parent). */
const block: fc.Memo<string[]> = fc.memo((depth) =>
  fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.array(fc.tuple(fc.oneof(word, scalar), depth > 1 ? fc.oneof(scalar.map((s) => [s]), flow.map((s) => [s]), block(depth - 1), blockScalar) : scalar.map((s) => [s]), comment), { minLength: 1, maxLength: 4 }).map((pairs) =>
      pairs.flatMap(([k, v, c]) => {
        const key = /^[\w./-]+$/.test(k) ? k : JSON.stringify(k);
        if (v.length === 1 && !v[0].startsWith(' ')) return [`${key}: ${v[0]}${c}`];
        if (v[0]?.startsWith('|') || v[0]?.startsWith('>')) return [`${key}: ${v[0]}`, ...v.slice(1)];
        return [`${key}:${c}`, ...v.map((l) => `  ${l}`)];
      }),
    ),
    fc.array(fc.tuple(depth > 1 ? fc.oneof(scalar.map((s) => [s]), block(depth - 1)) : scalar.map((s) => [s]), fc.boolean()), { minLength: 1, maxLength: 3 }).map((items) =>
      items.flatMap(([v, compact]) => (compact || v.length === 1 ? [`- ${v[0]}`, ...v.slice(1).map((l) => `  ${l}`)] : ['-', ...v.map((l) => `  ${l}`)])),
    ),
  ),
);
const comment = fc.constantFrom('', '', ' # c', '  #x', '#no');
const blockScalar = fc.tuple(fc.constantFrom('|', '|-', '>', '>-', '|+', '|2', '| # c'), fc.array(fc.constantFrom('line', '  more', '', '# not a comment', 'x: y', ' '), { minLength: 0, maxLength: 4 })).map(([h, ls]) => [h, ...ls.map((l) => (l === '' ? '' : `  ${l}`))]);

const docText = fc.tuple(block(3), fc.constantFrom('', '---\n', '# lead\n---\n', '--- # c\n', '%YAML 1.2\n---\n', '--- !tag\n'), fc.constantFrom('', '\n', '\n# trailing\n', '\n\n', '\n...\n', '\n  extra\n')).map(([lines, head, tail]) => head + lines.join('\n') + tail);

/** Edits anywhere: insert or delete a few characters at any offset. */
const edit = fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('', ' ', '\n', ':', '- ', '#', '"', "'", '&a ', '*a', '{', ']', 'x', '\t', '\r\n', '---\n'));

function applyEdit(text: string, [at, del, ins]: [number, number, string]): string {
  const p = at % (text.length + 1);
  return text.slice(0, p) + ins + text.slice(p + del);
}

/** Every observable of every document of `f` equals the plain `yaml` parse of the same slices. */
function assertSameAsYaml(f: ParsedFile): void {
  const slices = sliceDocuments(f.text);
  assert.equal(f.docs.length, slices.length);
  f.docs.forEach((d, i) => {
    const y = parseSlice(f.text, slices[i], i, 'yaml');
    assert.deepEqual([d.start, d.end], [y.start, y.end]);
    assert.deepEqual(d.value, y.value, `value of document ${i}`);
    assert.deepEqual(d.problems, y.problems, `problems of document ${i}`);
    for (let off = d.start; off <= d.end; off++) {
      const a = d.pathAt(off);
      assert.deepEqual(a, y.pathAt(off), `path at ${off}`);
      for (let n = 0; n <= a.path.length; n++) {
        const p = a.path.slice(0, n);
        assert.deepEqual(d.offsetsOf(p), y.offsetsOf(p), `offsets of ${JSON.stringify(p)}`);
        assert.deepEqual(d.keyOffsetsOf(p), y.keyOffsetsOf(p), `key offsets of ${JSON.stringify(p)}`);
      }
    }
    assert.deepEqual(d.offsetsOf(['no-such-key']), y.offsetsOf(['no-such-key']));
  });
}

test('generated documents: the fast reader (or its fallback) equals plain yaml', () => {
  let fast = 0;
  let total = 0;
  fc.assert(
    fc.property(fc.array(docText, { minLength: 1, maxLength: 3 }), (docs) => {
      const f = parseFile('a.yaml', docs.join('\n---\n'));
      for (const d of f.docs) {
        total++;
        if (d.fast) fast++;
      }
      assertSameAsYaml(f);
    }),
    { seed: 16, numRuns: 400 },
  );
  // both paths are exercised: a share of the documents is read fast, a share falls back
  assert.ok(fast > total * 0.04 && fast < total * 0.9, `fast ${fast} of ${total}`);
});

test('edits anywhere: incremental re-parse with the fast reader equals plain yaml', () => {
  fc.assert(
    fc.property(fc.array(docText, { minLength: 2, maxLength: 4 }), fc.array(edit, { minLength: 1, maxLength: 4 }), (docs, edits) => {
      let f = parseFile('a.yaml', docs.join('\n---\n'));
      for (const e of edits) {
        f = reparse(f, 'a.yaml', applyEdit(f.text, e));
        assertSameAsYaml(f);
      }
    }),
    { seed: 1616, numRuns: 80 },
  );
});

test('the fast reader reads a plain manifest itself and gives up on what it does not read exactly', () => {
  assert.deepEqual(fastValue('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "1"\n  b: |\n    x\n')?.value, { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1', b: 'x\n' } });
  for (const hard of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: b\n  c\n', 'a: 1\na: 2\n', 'a:\tb\n', '? a\n: b\n', 'a: [1,\n  2]\n', 'a: "x\n  y"\n', 'a: |+\n  x\n\n']) {
    assert.equal(fastValue(hard), undefined, hard);
  }
});

test('the benchmark federation is read fast, document for document as yaml reads it', () => {
  const f = parseFile('a.yaml', joinDocuments(scaleDocuments(60, 5)));
  assert.ok(f.docs.every((d) => d.fast));
  assertSameAsYaml(f);
});
