/**
 * Propagated-version bookkeeping of the sync controller.
 * v1beta1: kubefed pkg/controller/sync/resource.go (GetTemplateHash, GetOverrideHash),
 * pkg/controller/sync/version/manager.go and pkg/apis/core/common/util.go at HEAD.
 * v1alpha1: pkg/controller/sync/controller.go (updatePropagatedVersion) at 0d38cc775.
 */
import { createHash } from 'node:crypto';
import type { Era } from './apiGroups.ts';
import { isObject, own, setOwn, type Json } from './json.ts';
import { controllerErrors, decodeOverrides, type OverrideItem } from './overrideCodec.ts';

export { objectVersion, needsUpdate, seedObjectVersion } from './sync.ts';

// ---------------------------------------------------------------------------------------------
// Go encoding/json (json.Encoder.Encode) of decoded JSON values

const HEX = '0123456789abcdef';

function goString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += '\\u' + [12, 8, 4, 0].map((sh) => HEX[(c >> sh) & 15]).join('');
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'; // lone surrogate: invalid UTF-8 upstream
    else out += ch;
  }
  return out + '"';
}

function goNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`);
  // Go uses %f below 1e21 and %e (with a 2-digit-minimum exponent trimmed) beyond, like JS.
  return JSON.stringify(n);
}

const utf8 = new TextEncoder();
function byteCompare(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** Compact Go JSON of a value: map keys sorted by bytes, HTML characters escaped. */
export function goJson(v: Json | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'string') return goString(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const keys = Object.keys(v).sort(byteCompare);
  return `{${keys.map((k) => `${goString(k)}:${goJson(v[k])}`).join(',')}}`;
}

/** json.Encoder output (with the trailing newline) hashed with MD5, as lowercase hex. */
export function md5GoJson(v: Json | undefined): string {
  return createHash('md5').update(goJson(v) + '\n', 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Template and override versions (v1beta1)

/** GetTemplateHash: MD5 of spec.template, '' when there is none. Throws on a non-map template. */
export function templateVersion(federatedObject: unknown): string {
  const spec = own(federatedObject, 'spec');
  if (spec === undefined || spec === null) return '';
  if (!isObject(spec)) throw new Error('.spec accessor error: expected map');
  if (!Object.prototype.hasOwnProperty.call(spec, 'template')) return '';
  const template = spec.template;
  if (!isObject(template)) throw new Error('.spec.template accessor error: expected map');
  return md5GoJson(template);
}

/** GenericOverrideItem as re-encoded from its Go struct. */
function encodeItem(item: OverrideItem): string {
  const parts = [`"clusterName":${goString(item.clusterName)}`];
  if (item.clusterOverrides && item.clusterOverrides.length > 0) {
    const list = item.clusterOverrides.map((o) => {
      const f: string[] = [];
      if (o.op !== '') f.push(`"op":${goString(o.op)}`);
      f.push(`"path":${goString(o.path)}`);
      if (o.value !== undefined) f.push(`"value":${goJson(o.value)}`);
      return `{${f.join(',')}}`;
    });
    parts.push(`"clusterOverrides":[${list.join(',')}]`);
  }
  return `{${parts.join(',')}}`;
}

/** GetOverrideHash: MD5 of {"overrides": spec.overrides} after a typed decode; '' without spec. */
export function overrideVersion(federatedObject: unknown): string {
  const spec = own(federatedObject, 'spec');
  if (spec === undefined || spec === null) return '';
  if (!isObject(spec)) throw new Error('spec must be an object');
  const raw = own(spec, 'overrides');
  const typeError = controllerErrors(raw).find((e) => e.kind === 'invalid-type');
  if (typeError) throw new Error(typeError.message);
  const { items } = decodeOverrides(raw);
  const list = raw === undefined || raw === null ? 'null' : `[${items.map(encodeItem).join(',')}]`;
  return createHash('md5').update(`{"overrides":${list}}\n`, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// PropagatedVersion status

export interface ClusterObjectVersion {
  clusterName: string;
  version: string;
}

export interface PropagatedVersionStatus {
  templateVersion: string;
  overridesVersion: string;
  clusterVersions: ClusterObjectVersion[];
}

function toVersionList(map: Map<string, string>, dropEmpty: boolean): ClusterObjectVersion[] {
  const out: ClusterObjectVersion[] = [];
  for (const [clusterName, version] of map) {
    if (dropEmpty && version === '') continue;
    out.push({ clusterName, version });
  }
  return out.sort((a, b) => byteCompare(a.clusterName, b.clusterName));
}

function storedVersions(stored: unknown): ClusterObjectVersion[] {
  const list = own(stored, 'clusterVersions');
  if (!Array.isArray(list)) return [];
  return list.map((v) => ({ clusterName: String(own(v, 'clusterName') ?? ''), version: String(own(v, 'version') ?? '') }));
}

export interface MergeVersionsInput {
  era?: Era;
  /** Stored PropagatedVersion status, or null when none exists yet. */
  stored: unknown;
  templateVersion: string;
  overrideVersion: string;
  selectedClusters: readonly string[];
  /** Cluster -> version written during this pass ('' = deleted). */
  newVersions: Readonly<Record<string, string>>;
}

/**
 * The PropagatedVersion status written after a sync pass: stored versions survive only if the
 * template and override versions still match and only for selected clusters not written this pass;
 * empty versions drop the entry; entries are sorted by cluster name.
 */
export function mergeVersions(input: MergeVersionsInput): PropagatedVersionStatus {
  const fresh = new Map(Object.entries(input.newVersions));
  const status = (clusterVersions: ClusterObjectVersion[]): PropagatedVersionStatus => ({
    templateVersion: input.templateVersion,
    overridesVersion: input.overrideVersion,
    clusterVersions,
  });
  if (input.stored === null || input.stored === undefined) {
    // v1alpha1 newVersion() kept empty versions of a first write.
    return status(toVersionList(fresh, input.era !== 'v1alpha1'));
  }
  const valid =
    own(input.stored, 'templateVersion') === input.templateVersion && own(input.stored, 'overridesVersion') === input.overrideVersion;
  const selected = new Set(input.selectedClusters);
  for (const old of valid ? storedVersions(input.stored) : []) {
    if (selected.has(old.clusterName) && !fresh.has(old.clusterName)) fresh.set(old.clusterName, old.version);
  }
  return status(toVersionList(fresh, true));
}

/** The recorded versions usable for this pass (VersionManager.Get): empty unless both hashes match. */
export function recordedVersions(stored: unknown, templateVersion: string, overrideVersion: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (own(stored, 'templateVersion') !== templateVersion || own(stored, 'overridesVersion') !== overrideVersion) return out;
  for (const v of storedVersions(stored)) setOwn(out, v.clusterName, v.version);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Version object naming

export interface VersionObjectRef {
  apiVersion: string;
  kind: 'PropagatedVersion' | 'ClusterPropagatedVersion';
  name: string;
  namespace?: string;
}

/** common.PropagatedVersionName: "<lower-case target kind>-<name>". */
export function propagatedVersionName(targetKind: string, name: string): string {
  return `${targetKind.toLowerCase()}-${name}`;
}

/** The version object that records what was written for a federated object (or v1alpha1 template). */
export function versionObjectRef(era: Era, federatedObject: unknown, targetKind: string): VersionObjectRef {
  const md = own(federatedObject, 'metadata');
  const name = typeof own(md, 'name') === 'string' ? (own(md, 'name') as string) : '';
  const ns = typeof own(md, 'namespace') === 'string' ? (own(md, 'namespace') as string) : '';
  const vname = propagatedVersionName(targetKind, name);
  if (era === 'v1alpha1') {
    return {
      apiVersion: 'core.federation.k8s.io/v1alpha1',
      kind: 'PropagatedVersion',
      name: vname,
      namespace: targetKind === 'Namespace' ? name : ns,
    };
  }
  if (ns === '') return { apiVersion: 'core.kubefed.io/v1alpha1', kind: 'ClusterPropagatedVersion', name: vname };
  return { apiVersion: 'core.kubefed.io/v1alpha1', kind: 'PropagatedVersion', name: vname, namespace: ns };
}


// ---------------------------------------------------------------------------------------------
// The version record a controller keeps per federated object (VersionManager Get / Update)

/** Template and override versions of a federated object; null when either cannot be computed (KubeFed then skips versions). */
export function versionHashes(federatedObject: unknown): { templateVersion: string; overrideVersion: string } | null {
  try {
    return { templateVersion: templateVersion(federatedObject), overrideVersion: overrideVersion(federatedObject) };
  } catch {
    return null;
  }
}

export interface VersionRecordInput {
  /** The federated object (v1beta1). */
  federatedObject: unknown;
  /** Its target kind (the version object's name is `<target kind, lower case>-<name>`). */
  targetKind: string;
  /** The PropagatedVersion / ClusterPropagatedVersion object recorded so far, or null. */
  stored: unknown;
  /** Every cluster the placement selects (ready or not): their unchanged versions are kept. */
  selectedClusters: readonly string[];
  /** Cluster -> version of the object written in it this pass (creates and updates only). */
  newVersions: Readonly<Record<string, string>>;
}

export interface VersionRecord {
  ref: VersionObjectRef;
  status: PropagatedVersionStatus;
  /** The status differs from the stored one (PropagatedVersionStatusEquivalent): write it. */
  changed: boolean;
  /** The object to create when none is stored: owned by the federated object, with the status. */
  object: Record<string, Json>;
}

function sameVersions(a: ClusterObjectVersion[], b: ClusterObjectVersion[]): boolean {
  return a.length === b.length && a.every((v, i) => v.clusterName === b[i]!.clusterName && v.version === b[i]!.version);
}

/** VersionManager.Update: what the version object of a federated object becomes after a pass, and whether it must be written. */
export function versionRecord(input: VersionRecordInput): VersionRecord | null {
  const hashes = versionHashes(input.federatedObject);
  if (!hashes) return null;
  const ref = versionObjectRef('v1beta1', input.federatedObject, input.targetKind);
  const stored = own(input.stored, 'status');
  const hasStored = input.stored !== null && input.stored !== undefined;
  const status = mergeVersions({ stored: hasStored ? (stored ?? {}) : null, ...hashes, selectedClusters: input.selectedClusters, newVersions: input.newVersions });
  const changed =
    !hasStored ||
    own(stored, 'templateVersion') !== status.templateVersion ||
    own(stored, 'overridesVersion') !== status.overridesVersion ||
    !sameVersions(storedVersions(stored), status.clusterVersions);
  const md = own(input.federatedObject, 'metadata');
  const owner: Record<string, Json> = {
    apiVersion: String(own(input.federatedObject, 'apiVersion') ?? ''),
    kind: String(own(input.federatedObject, 'kind') ?? ''),
    name: String(own(md, 'name') ?? ''),
    uid: String(own(md, 'uid') ?? ''),
  };
  const metadata: Record<string, Json> = { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}), ownerReferences: [owner] };
  const object: Record<string, Json> = { apiVersion: ref.apiVersion, kind: ref.kind, metadata, status: status as unknown as Json };
  return { ref, status, changed, object };
}

/** The versions recorded for the clusters of a federated object, usable this pass (empty when its template or overrides changed). */
export function recordedFor(federatedObject: unknown, stored: unknown): Record<string, string> {
  const hashes = versionHashes(federatedObject);
  if (!hashes || stored === null || stored === undefined) return {};
  return recordedVersions(own(stored, 'status'), hashes.templateVersion, hashes.overrideVersion);
}
