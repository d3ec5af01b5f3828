/**
 * One workspace loader: the same skip rules, size limit and file kinds for the language server,
 * `kfed` and the extension (standard input: test/unit/cli.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { EXCLUDE_GLOB, inSkippedFolder, isSkippedFolderName, isYamlName, MAX_FILE_BYTES, SKIPPED_FOLDERS, tooLarge } from '../../server/engine/loadRules.ts';
import { findYamlFiles, findYamlFilesSync, readYamlFile, readYamlFileSync } from '../../server/files/yamlFiles.ts';
import { readInputs } from '../../server/cli/files.ts';

const root = resolve(import.meta.dirname, '..', '..');
const cli = join(root, 'server', 'cli', 'main.ts');

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-loader-'));
  const put = (p: string, text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n') => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  };
  put('app/a.yaml');
  put('app/b.YML');
  put('app/readme.md', '# not yaml');
  for (const skipped of [...SKIPPED_FOLDERS, '.hidden']) put(`${skipped}/x.yaml`);
  put('app/vendor/deep/y.yaml');
  return dir;
}

test('rules: file kinds, skipped folders, the exclude glob, the size limit', () => {
  assert.ok(isYamlName('a.yaml') && isYamlName('A.YML') && isYamlName('file:///x/a.yaml?v=1') && !isYamlName('a.json'));
  for (const f of SKIPPED_FOLDERS) assert.ok(isSkippedFolderName(f));
  assert.ok(isSkippedFolderName('.terraform') && !isSkippedFolderName('apps'));
  assert.ok(inSkippedFolder('apps/node_modules/x/a.yaml') && inSkippedFolder('.github/a.yaml') && !inSkippedFolder('apps/.a.yaml') && !inSkippedFolder('apps/a.yaml'));
  assert.match(EXCLUDE_GLOB, /\*\*\/node_modules\/\*\*/);
  assert.match(EXCLUDE_GLOB, /\*\*\/\.\*\/\*\*/);
  assert.equal(tooLarge('a.yaml', MAX_FILE_BYTES), undefined);
  assert.match(tooLarge('a.yaml', MAX_FILE_BYTES + 1)!, /^a\.yaml: file is 64\.0 MB; the limit is 64 MB/);
});

test('the language server walk, the kfed walk and kfed inputs find the same files', async () => {
  const dir = tree();
  try {
    const expected = ['app/a.yaml', 'app/b.YML'];
    const rel = (l: string[]) => l.map((p) => relative(dir, p)).sort();
    assert.deepEqual(rel(await findYamlFiles(dir)), expected);
    assert.deepEqual(rel(findYamlFilesSync(dir)), expected);
    assert.deepEqual(readInputs([dir], dir).map((f) => f.path).sort(), expected);
    // A file named explicitly is read whatever its folder.
    assert.equal(readInputs([join(dir, 'vendor', 'x.yaml')], dir)[0]!.path, 'vendor/x.yaml');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file over the limit is not read, with the same message everywhere', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-loader-'));
  try {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, MAX_FILE_BYTES + 1); // sparse: no 64 MB written
    const a = await readYamlFile(big);
    const b = readYamlFileSync(big);
    assert.ok('error' in a && 'error' in b);
    assert.equal(a.error, b.error);
    assert.match(a.error, /the limit is 64 MB/);
    assert.throws(() => readInputs([big], dir), /big\.yaml: file is 64\.0 MB; the limit is 64 MB/);
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'validate', big], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /the limit is 64 MB/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
