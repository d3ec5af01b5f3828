/**
 * Files that are not valid UTF-8: the loader finds the first bad byte, and the engine reports
 * `not-utf8` there (kubectl and KubeFed cannot read such a file) instead of analysing the
 * decoded replacement characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeUtf8 } from '../../server/engine/text.ts';
import { Workspace } from '../../server/engine/workspace.ts';
import { readYamlFile, readYamlFileSync } from '../../server/files/yamlFiles.ts';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

test('decodeUtf8: valid text as it is; otherwise the text offset of the first bad byte', () => {
  assert.deepEqual(decodeUtf8(bytes('kind: ConfigMap\ndata: {a: "ü😀"}\n')), { text: 'kind: ConfigMap\ndata: {a: "ü😀"}\n' });
  // a Latin-1 byte after "😀" (two UTF-16 units) on the second line
  const r = decodeUtf8(bytes('a: 1\nb: 😀', [0xe9], 'x\n', [0xff]));
  assert.equal(r.notUtf8At, 'a: 1\nb: 😀'.length);
  assert.equal(r.byteOffset, Buffer.byteLength('a: 1\nb: 😀'));
  // truncated sequences, overlong forms and surrogates are bad too
  for (const bad of [[0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
    assert.equal(decodeUtf8(bytes('ok ', bad)).notUtf8At, 3, JSON.stringify(bad));
  }
});

test('a file that is not UTF-8: one not-utf8 error at its first bad byte, its content not analysed', () => {
  const w = new Workspace();
  const { text, notUtf8At } = decodeUtf8(bytes('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: caf', [0xe9], '\n  b: [\n'));
  w.setFile('latin1.yaml', text, { notUtf8At });
  const d = w.diagnostics('latin1.yaml');
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.range.start, x.range.end]), [['not-utf8', 'error', { line: 5, character: 8 }, { line: 5, character: 9 }]]);
  assert.match(d[0].message, /not valid UTF-8.*line 6, column 9/);
  assert.deepEqual(w.syntaxDiagnostics('latin1.yaml').map((x) => x.code), ['not-utf8']);
  assert.deepEqual(w.objectsIn('latin1.yaml'), []);
  // saved as UTF-8: analysed again
  w.setFile('latin1.yaml', text.replace('\uFFFD', 'é').replace('[\n', '[]\n'));
  assert.deepEqual(w.diagnostics('latin1.yaml'), []);
  assert.equal(w.objectsIn('latin1.yaml').length, 1);
});

test('the loader reports where a file stops being UTF-8, synchronously and not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubefed-encoding-'));
  try {
    const p = join(dir, 'blob.yaml');
    writeFileSync(p, bytes('a: 1\n', [0x89, 0x50, 0x4e, 0x47]));
    for (const r of [await readYamlFile(p), readYamlFileSync(p)]) {
      assert.ok('text' in r);
      assert.equal(r.notUtf8At, 5);
    }
    writeFileSync(p, 'a: ü\n');
    const ok = await readYamlFile(p);
    assert.deepEqual(ok, { text: 'a: ü\n' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
