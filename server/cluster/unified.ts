/** Line diff (Myers' O(ND) algorithm) printed as a unified diff with context lines. */

type Op = { t: ' ' | '-' | '+'; line: string };

/** The shortest edit script turning `a` into `b`, as kept/removed/added lines. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!)) x = v[max + k + 1]!;
      else x = v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m).
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ t: ' ', line: a[x - 1]! });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ t: '+', line: b[y - 1]! });
    else ops.push({ t: '-', line: a[x - 1]! });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ t: ' ', line: a[x - 1]! });
    x--;
    y--;
  }
  return ops.reverse();
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A unified diff of two texts ('' when they are equal). */
export function unifiedDiff(a: string, b: string, labels: { from: string; to: string }, context = 3): string {
  if (a === b) return '';
  const A = splitLines(a);
  const B = splitLines(b);
  const ops = diffLines(A, B);
  // Group changes with their context into hunks.
  const out: string[] = [`--- ${labels.from}`, `+++ ${labels.to}`];
  let i = 0;
  // Line numbers (1-based) before each op.
  const posA: number[] = [];
  const posB: number[] = [];
  let la = 1;
  let lb = 1;
  for (const op of ops) {
    posA.push(la);
    posB.push(lb);
    if (op.t !== '+') la++;
    if (op.t !== '-') lb++;
  }
  while (i < ops.length) {
    if (ops[i]!.t === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2*context lines.
    for (;;) {
      while (end < ops.length && ops[end]!.t !== ' ') end++;
      let j = end;
      while (j < ops.length && ops[j]!.t === ' ' && j - end < 2 * context) j++;
      if (j < ops.length && ops[j]!.t !== ' ' && j - end <= 2 * context) {
        end = j;
        continue;
      }
      end = Math.min(ops.length, end + context);
      break;
    }
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.t !== '+').length;
    const bCount = hunk.filter((o) => o.t !== '-').length;
    const aStart = aCount ? posA[start]! : posA[start]! - 1;
    const bStart = bCount ? posB[start]! : posB[start]! - 1;
    const range = (st: number, n: number) => (n === 1 ? `${st}` : `${st},${n}`);
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const o of hunk) out.push(`${o.t}${o.line}`);
    i = end;
    start = end;
  }
  return out.join('\n') + '\n';
}
