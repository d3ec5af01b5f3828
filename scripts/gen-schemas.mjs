#!/usr/bin/env node
// Turns the OpenAPI v3 documents of a kube-apiserver (server/schemas/k8s/<group>.<version>.json,
// as served on /openapi/v3/...) into one JSON-schema bundle the language server feeds to
// yaml-language-server: server/schemas/k8s.json.
//
//   node scripts/gen-schemas.mjs [--in DIR] [--out FILE]
//
// Input defaults to server/schemas/k8s/ and falls back to the small development sample in
// test/fixtures/openapi/ when that folder has no documents yet.
//
// Conversion (OpenAPI 3.0 -> JSON schema draft-07, "strict" like the usual standalone-strict
// Kubernetes schemas):
// - `#/components/schemas/X` references become `#/definitions/X`;
// - `format: int-or-string` (IntOrString) becomes `type: [integer, string]`, Quantity accepts
//   numbers as well as strings, `nullable` adds `null`;
// - objects with `properties` and no `additionalProperties` get `additionalProperties: false`
//   unless they preserve unknown fields, so misspelled fields are reported;
// - empty defaults (`{}`, `""`, `0`) are dropped: they only produce noisy completions;
// - scalar map values accept null (Go decodes it as the zero value);
// - top-level kinds get `apiVersion`/`kind` enums;
// - only the definitions reachable from the kinds are kept.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

let inDir = opt('--in') ?? join(root, 'server/schemas/k8s');
const outFile = opt('--out') ?? join(root, 'server/schemas/k8s.json');
const jsonFiles = (d) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')).sort() : []);
if (!opt('--in') && jsonFiles(inDir).length === 0) inDir = join(root, 'test/fixtures/openapi');
const files = jsonFiles(inDir);
if (files.length === 0) {
  console.error(`no OpenAPI documents in ${inDir}`);
  process.exit(1);
}
const versionFile = join(inDir, 'VERSION');
const version = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim() : 'unknown';

/** Every component schema of every document, by name (the same name means the same Go type). */
const components = new Map();
/** Kinds: `${apiVersion}|${kind}` -> { group, version, kind, definition, namespaced } */
const kinds = new Map();

for (const f of files) {
  const doc = JSON.parse(readFileSync(join(inDir, f), 'utf8'));
  const schemas = doc.components?.schemas ?? doc.definitions ?? {};
  // <group>.<version>.json: the group is everything before the last dot ("core" = legacy group).
  const base = f.replace(/\.json$/, '');
  const dot = base.lastIndexOf('.');
  const fileGroup = base.slice(0, dot) === 'core' ? '' : base.slice(0, dot);
  const fileVersion = base.slice(dot + 1);
  const scopes = scopesFromPaths(doc.paths ?? {});
  for (const [name, schema] of Object.entries(schemas)) {
    if (!components.has(name)) components.set(name, schema);
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks) || gvks.length !== 1) continue;
    const { group, version: v, kind } = gvks[0];
    if (group !== fileGroup || v !== fileVersion) continue;
    if (/List$/.test(kind) || name.startsWith('io.k8s.apimachinery.')) continue;
    if (!schema.properties?.metadata) continue; // not a persisted object (reviews, Scale, ...)
    const apiVersion = group ? `${group}/${v}` : v;
    kinds.set(`${apiVersion}|${kind}`, {
      apiVersion,
      group,
      version: v,
      kind,
      definition: name,
      namespaced: scopes.get(name) ?? guessNamespaced(kind),
    });
  }
}

/** Scope of each kind from the request paths: the kind is created (POST) under `/namespaces/{namespace}/` or not. */
function scopesFromPaths(paths) {
  const out = new Map();
  for (const [p, item] of Object.entries(paths)) {
    const post = item?.post;
    if (!post || /\{name\}/.test(p)) continue;
    const ref = post.responses?.['201']?.content?.['application/json']?.schema?.$ref ?? post.responses?.['200']?.content?.['application/json']?.schema?.$ref;
    if (!ref) continue;
    out.set(ref.replace('#/components/schemas/', ''), p.includes('/namespaces/{namespace}/'));
  }
  return out;
}

function guessNamespaced(kind) {
  return !['Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PriorityClass',
    'CustomResourceDefinition', 'APIService', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
    'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ComponentStatus', 'CertificateSigningRequest'].includes(kind);
}

const isEmptyDefault = (d) =>
  d === '' || d === 0 || d === false || (typeof d === 'object' && d !== null && Object.keys(d).length === 0);

const KEEP_EXTENSIONS = new Set(['x-kubernetes-list-map-keys', 'x-kubernetes-group-version-kind']);

/** Converts one OpenAPI schema node; `used` collects referenced definition names. */
function convert(node, used, name) {
  if (Array.isArray(node)) return node.map((n) => convert(n, used));
  if (node === null || typeof node !== 'object') return node;
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') {
    return { description: node.description, type: ['string', 'number'] };
  }
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref') {
      const target = String(v).replace(/^#\/(components\/schemas|definitions)\//, '');
      used.add(target);
      out.$ref = `#/definitions/${target}`;
    } else if (k === 'default') {
      if (!isEmptyDefault(v)) out.default = v;
    } else if (k === 'nullable' || k === 'example' || k === 'externalDocs' || k === 'readOnly' || k === 'writeOnly') {
      // OpenAPI-only keywords; nullable handled below
    } else if (k.startsWith('x-')) {
      if (KEEP_EXTENSIONS.has(k)) out[k] = v;
    } else if (k === 'properties' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, convert(s, used)]));
    } else if (k === 'additionalProperties') {
      out[k] = typeof v === 'boolean' ? v : nullableScalar(convert(v, used));
    } else if (k === 'items' || k === 'not') {
      out[k] = typeof v === 'boolean' ? v : convert(v, used);
    } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      out[k] = v.map((s) => convert(s, used));
    } else {
      out[k] = v;
    }
  }
  if (node.format === 'int-or-string' || node['x-kubernetes-int-or-string']) {
    out.type = ['integer', 'string'];
    delete out.format;
    delete out.anyOf;
  }
  if (node.nullable && out.type) out.type = [...new Set([...(Array.isArray(out.type) ? out.type : [out.type]), 'null'])];
  // `{allOf: [{$ref}], description}` (how OpenAPI v3 attaches a field description to a reference)
  // becomes `{$ref, description}`: yaml-language-server then shows the field's own description.
  if (Array.isArray(out.allOf) && out.allOf.length === 1 && out.allOf[0].$ref && Object.keys(out).every((k) => ['allOf', 'description', 'default'].includes(k))) {
    const ref = out.allOf[0].$ref;
    delete out.allOf;
    return { $ref: ref, ...out };
  }
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  return out;
}

/**
 * Map values of scalar type also accept null: Go decodes `key: null` into a map[string]string or
 * map[string][]byte as the zero value, and upstream KubeFed examples use it (Secret data overrides).
 */
function nullableScalar(s) {
  if (typeof s.type === 'string' && ['string', 'integer', 'number', 'boolean'].includes(s.type)) return { ...s, type: [s.type, 'null'] };
  return s;
}

const definitions = {};
const pending = [...new Set([...kinds.values()].map((k) => k.definition))];
const done = new Set();
while (pending.length) {
  const name = pending.pop();
  if (done.has(name)) continue;
  done.add(name);
  const src = components.get(name);
  if (!src) {
    console.warn(`warning: ${name} is referenced but not defined; accepting anything there`);
    definitions[name] = {};
    continue;
  }
  const used = new Set();
  definitions[name] = convert(src, used, name);
  for (const u of used) if (!done.has(u)) pending.push(u);
}

for (const k of kinds.values()) {
  const d = definitions[k.definition];
  d.properties = {
    ...d.properties,
    apiVersion: { ...(d.properties?.apiVersion ?? {}), type: 'string', enum: [k.apiVersion] },
    kind: { ...(d.properties?.kind ?? {}), type: 'string', enum: [k.kind] },
  };
}

const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
const bundle = {
  $comment: `Generated by scripts/gen-schemas.mjs from the OpenAPI v3 documents in ${relative(root, inDir)} (${version}). Do not edit.`,
  version,
  kinds: [...kinds.values()].sort((a, b) => (a.apiVersion + a.kind).localeCompare(b.apiVersion + b.kind)),
  definitions: sorted(definitions),
};
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(bundle) + '\n');
console.log(
  `${relative(root, outFile)}: ${bundle.kinds.length} kinds, ${Object.keys(definitions).length} definitions, ` +
    `${(JSON.stringify(bundle).length / 1024).toFixed(0)} KiB (from ${files.length} documents, ${version})`,
);
