import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffLines, unifiedDiff } from '../../server/cluster/unified.ts';

/** Applies a unified diff to `a` (strict: context and removed lines must match). */
function applyPatch(a: string, patch: string): string {
  const src = a === '' ? [] : a.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let i = 0;
  const lines = patch.replace(/\n$/, '').split('\n').slice(2);
  for (let k = 0; k < lines.length; k++) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(lines[k]!);
    assert.ok(m, `hunk header: ${lines[k]}`);
    const aStart = Number(m[1]);
    const aCount = m[2] === undefined ? 1 : Number(m[2]);
    const from = aCount === 0 ? aStart : aStart - 1;
    while (i < from) out.push(src[i++]!);
    while (k + 1 < lines.length && !lines[k + 1]!.startsWith('@@')) {
      const l = lines[++k]!;
      const t = l[0];
      const body = l.slice(1);
      if (t === ' ' || t === '-') {
        assert.equal(src[i], body, 'context/removed line matches');
        i++;
        if (t === ' ') out.push(body);
      } else {
        assert.equal(t, '+');
        out.push(body);
      }
    }
  }
  while (i < src.length) out.push(src[i++]!);
  return out.length ? out.join('\n') + '\n' : '';
}

const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '  x: 1', ''), { maxLength: 40 }).map((l) => (l.length ? l.join('\n') + '\n' : ''));

test('unified diff: applying it to the first text gives the second', () => {
  fc.assert(
    fc.property(text, text, fc.integer({ min: 0, max: 4 }), (a, b, ctx) => {
      const d = unifiedDiff(a, b, { from: 'a', to: 'b' }, ctx);
      if (a === b) return d === '';
      assert.ok(d.startsWith('--- a\n+++ b\n@@ '));
      assert.equal(applyPatch(a, d), b);
      return true;
    }),
    { numRuns: 2000 },
  );
});

test('diffLines is a shortest edit script (no line both removed and added needlessly)', () => {
  fc.assert(
    fc.property(text, text, (a, b) => {
      const A = a ? a.replace(/\n$/, '').split('\n') : [];
      const B = b ? b.replace(/\n$/, '').split('\n') : [];
      const ops = diffLines(A, B);
      const kept = ops.filter((o) => o.t === ' ').length;
      // An LCS by dynamic programming has the same length as the kept lines.
      const dp = Array.from({ length: A.length + 1 }, () => new Array<number>(B.length + 1).fill(0));
      for (let i = A.length - 1; i >= 0; i--) for (let j = B.length - 1; j >= 0; j--) dp[i]![j] = A[i] === B[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
      assert.equal(kept, dp[0]![0]);
    }),
    { numRuns: 1000 },
  );
});

test('unified diff: one changed line with context, GNU hunk header style', () => {
  const a = 'a\nb\nc\nd\ne\nf\ng\n';
  const b = 'a\nb\nc\nD\ne\nf\ng\n';
  assert.equal(unifiedDiff(a, b, { from: 'desired', to: 'live' }), '--- desired\n+++ live\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n');
  assert.equal(unifiedDiff('x\n', 'y\n', { from: 'a', to: 'b' }, 0), '--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n');
  assert.equal(unifiedDiff('', 'y\n', { from: 'a', to: 'b' }), '--- a\n+++ b\n@@ -0,0 +1 @@\n+y\n');
});
