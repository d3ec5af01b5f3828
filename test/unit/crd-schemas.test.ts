import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { crdBundle, crdSchemas } from '../../server/engine/validation/crds.ts';
import { Workspace } from '../../server/engine/workspace.ts';
import { SchemaRegistry } from '../../server/lsp/schemas.ts';
import type { JsonObject } from '../../server/engine/json.ts';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'crds');
const text = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');
const objects = (f: string) => parseAllDocuments(text(f)).map((d) => d.toJSON() as JsonObject);

test('crd schemas: each served version of a CRD is a kind with a strict converted schema and the standard metadata', () => {
  const [crd] = objects('widgets.yaml');
  const s = crdSchemas(crd);
  assert.deepEqual(s.kinds.map((k) => [k.apiVersion, k.kind, k.namespaced, k.definition]), [['example.com/v1', 'Widget', true, 'crd.example.com.v1.Widget']]);
  const d = s.definitions['crd.example.com.v1.Widget'] as { properties: Record<string, Record<string, unknown>> };
  assert.deepEqual(d.properties.metadata, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' });
  assert.deepEqual(d.properties.kind.enum, ['Widget']);
  const spec = d.properties.spec as { additionalProperties: unknown; properties: Record<string, unknown> };
  assert.equal(spec.additionalProperties, false);
  assert.deepEqual(spec.properties.size, { type: 'integer' });
  // preserve-unknown-fields keeps the object open
  assert.equal((d.properties.status as { additionalProperties?: unknown }).additionalProperties, undefined);
});

test('crd schemas: a version that is not served, or a CRD without group or kind, gives no kind', () => {
  const [crd] = objects('widgets.yaml');
  const spec = crd.spec as JsonObject;
  const notServed = { ...crd, spec: { ...spec, versions: [{ ...(spec.versions as JsonObject[])[0], served: false }] } };
  assert.equal(crdSchemas(notServed).kinds.length, 0);
  assert.equal(crdSchemas({ ...crd, spec: { ...spec, group: undefined } as unknown as JsonObject }).kinds.length, 0);
});

test('crd bundle: the same bundle object while the CRD objects are the same, a new one when one changes', () => {
  const objs = objects('widgets.yaml');
  const a = crdBundle(objs);
  assert.equal(crdBundle(objs), a);
  const b = crdBundle(objects('widgets-v1beta1.yaml'));
  assert.notEqual(b, a);
  assert.deepEqual(b.kinds.map((k) => k.apiVersion), ['example.com/v1beta1']);
  assert.notEqual(a.kinds[0].hash, undefined);
});

test('workspace analysis carries the CRD schemas; the registry validates a federated custom kind with them', () => {
  const ws = new Workspace();
  ws.setFile('file:///w/widgets.yaml', text('widgets.yaml'));
  const crds = ws.analysis().crds;
  assert.deepEqual(crds.kinds.map((k) => k.kind), ['Widget']);
  const reg = new SchemaRegistry();
  const without = reg.schemaIdFor('types.kubefed.io/v1beta1', 'FederatedWidget');
  reg.setTypes(ws.analysis().types);
  assert.equal(reg.setCrds(crds), true);
  assert.equal(reg.setCrds(crds), false);
  const id = reg.schemaIdFor('types.kubefed.io/v1beta1', 'FederatedWidget')!;
  assert.notEqual(id, without);
  assert.match(id, /\/crd-/);
  const schema = JSON.parse(reg.content(id)!) as { properties: { spec: { properties: { template: { properties: Record<string, unknown> } } } } };
  const template = schema.properties.spec.properties.template;
  assert.ok(template.properties.spec, 'the template has the CRD spec');
  assert.deepEqual(reg.schemaAt(reg.targetByKind('Widget', 'example.com/v1')!, ['spec', 'color']), { type: 'string', enum: ['red', 'green', 'blue'] });
  // a plain Widget object is a known kind now
  assert.equal(reg.categorize('example.com/v1', 'Widget')?.type, 'k8s');
  // no CRD: the federated kind has no template schema, and the group gets no unknown-kind
  const fresh = new SchemaRegistry();
  fresh.setTypes(ws.analysis().types);
  assert.equal(fresh.categorize('example.com/v1', 'Widget'), undefined);
  const loose = JSON.parse(fresh.content(fresh.schemaIdFor('types.kubefed.io/v1beta1', 'FederatedWidget')!)!) as typeof schema;
  assert.equal(loose.properties.spec.properties.template.properties, undefined);
});
