// node:test reporter for `npm run conformance`: failures with their reason, per-family counts,
// and a closing line `N passed, M failed`. Test names are "<family>: <case>".
const OPTIONAL = new Set(['cluster-health', 'versions', 'propagation-status']);

export default async function* reporter(source) {
  const fams = new Map();
  const failures = [];
  for await (const ev of source) {
    if (ev.type !== 'test:pass' && ev.type !== 'test:fail') continue;
    if (ev.data.nesting !== 0) continue;
    const name = ev.data.name;
    const i = name.indexOf(': ');
    const family = i > 0 ? name.slice(0, i) : '(file)';
    const c = fams.get(family) ?? { passed: 0, failed: 0 };
    fams.set(family, c);
    if (ev.type === 'test:pass') c.passed++;
    else {
      c.failed++;
      const err = ev.data.details?.error;
      const msg = String(err?.cause?.message ?? err?.message ?? err).split('\n').slice(0, 12).join('\n    ');
      failures.push(`✖ ${name}\n    ${msg}`);
    }
  }
  if (failures.length) yield `${failures.join('\n')}\n\n`;
  let passed = 0;
  let failed = 0;
  yield 'KubeFed conformance by family:\n';
  for (const [family, c] of [...fams].sort()) {
    passed += c.passed;
    failed += c.failed;
    const tag = OPTIONAL.has(family) ? ' (optional)' : '';
    yield `  ${family.padEnd(28)} ${String(c.passed).padStart(4)} passed ${String(c.failed).padStart(4)} failed${tag}\n`;
  }
  yield `${passed} passed, ${failed} failed\n`;
}
