/**
 * FederatedTypeConfig naming and defaulting (both eras), `kubefedctl enable` generation of an
 * FTC and federated CRD from a target API resource, and kubefedctl's type lookup in API
 * discovery (kubefed pkg/apis/core/*\/federatedtypeconfig_types.go, pkg/kubefedctl/enable).
 */
import { deepClone, isObject, own, type Json, type JsonObject } from './json.ts';
import { V1BETA1_TYPES, type Era } from './apiGroups.ts';

export const DEFAULT_FEDERATED_GROUP = V1BETA1_TYPES;
export const DEFAULT_FEDERATED_VERSION = 'v1beta1';
/** Name of the FTC for core/v1 Namespace, whose federated type is namespaced. */
export const NAMESPACES_FTC_NAME = 'namespaces';

/**
 * PluralName(kind): lower-case; `s`/`x`/`ch`/`sh`/`z`/`o` endings get `es`; v1beta1 only:
 * a `y` ending becomes `ies` (no vowel check); otherwise `s`.
 */
export function pluralName(kind: string, era: Era = 'v1beta1'): string {
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh|z|o)$/.test(lower)) return `${lower}es`;
  if (era === 'v1beta1' && lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The federated kind `kubefedctl enable` creates for a target kind: `Federated<Kind>`. */
export function federatedKindFor(targetKind: string): string {
  return `Federated${targetKind}`;
}

/** The target kind a federated kind stands for under that naming (`FederatedDeployment` -> `Deployment`). */
export function targetKindOf(federatedKind: string): string | undefined {
  return /^Federated[A-Z]/.test(federatedKind) ? federatedKind.slice('Federated'.length) : undefined;
}

/** typeconfig.GroupQualifiedName: `<plural>` for the core group, else `<plural>.<group>`. */
export function ftcName(plural: string, group?: string | null): string {
  return group ? `${plural}.${group}` : plural;
}

function str(v: Json | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** setStringDefault: only an absent or empty value is replaced, and only by a non-empty one. */
function setDefault(obj: JsonObject, key: string, value: string): void {
  if (str(own(obj, key)) !== '' || value === '') return;
  obj[key] = value;
}

/** The object under `key`, created when absent (Go's zero-value struct). */
function objectAt(parent: JsonObject, key: string): JsonObject | undefined {
  const v = own(parent, key);
  if (isObject(v)) return v;
  if (v === undefined || v === null) {
    const created: JsonObject = {};
    parent[key] = created;
    return created;
  }
  return undefined; // wrong type: left alone
}

/**
 * SetFederatedTypeConfigDefaults of the given era, on a copy. The target's pluralName and
 * group come from splitting metadata.name at the first dot; kind-derived plurals for the
 * federated (v1beta1) or template/placement/override (v1alpha1) types; v1beta1 statusType
 * and v1alpha1 placement/override group+version from the federated/template type.
 */
export function ftcDefaults(ftc: unknown, era: Era): JsonObject {
  const out: JsonObject = isObject(ftc) ? deepClone(ftc) : {};
  const name = str(own(own(out, 'metadata'), 'name'));
  const dot = name.indexOf('.');
  const plural = dot < 0 ? name : name.slice(0, dot);
  const group = dot < 0 ? undefined : name.slice(dot + 1);
  const spec = objectAt(out, 'spec');
  if (!spec) return out;

  const target = objectAt(spec, era === 'v1beta1' ? 'targetType' : 'target');
  if (target) {
    setDefault(target, 'pluralName', plural);
    if (group !== undefined) setDefault(target, 'group', group);
  }

  if (era === 'v1beta1') {
    const fed = objectAt(spec, 'federatedType');
    if (fed) setDefault(fed, 'pluralName', pluralName(str(own(fed, 'kind')), era));
    const status = own(spec, 'statusType');
    if (isObject(status)) {
      setDefault(status, 'pluralName', pluralName(str(own(status, 'kind')), era));
      setDefault(status, 'group', str(own(fed, 'group')));
      setDefault(status, 'version', str(own(fed, 'version')));
    }
    return out;
  }

  const template = objectAt(spec, 'template');
  if (template) setDefault(template, 'pluralName', pluralName(str(own(template, 'kind')), era));
  const placement = objectAt(spec, 'placement');
  if (placement) {
    setDefault(placement, 'pluralName', pluralName(str(own(placement, 'kind')), era));
    setDefault(placement, 'group', str(own(template, 'group')));
    setDefault(placement, 'version', str(own(template, 'version')));
  }
  const override = own(spec, 'override');
  if (isObject(override)) {
    setDefault(override, 'pluralName', pluralName(str(own(override, 'kind')), era));
    setDefault(override, 'group', str(own(template, 'group')));
    setDefault(override, 'version', str(own(template, 'version')));
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// kubefedctl enable

/** A discovery entry (metav1.APIResource) with group and version filled in. */
export interface ApiResource {
  /** Plural resource name, e.g. `deployments`. */
  name: string;
  group?: string;
  version: string;
  kind: string;
  namespaced: boolean;
  singularName?: string;
  shortNames?: string[];
  [extra: string]: Json | undefined;
}

export interface EnableOptions {
  /** --federated-group (default types.kubefed.io). */
  federatedGroup?: string;
  /** --federated-version (default v1beta1). */
  federatedVersion?: string;
}

/** Identity of the generated federated-type CRD. */
export interface FederatedCrd {
  name: string;
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  shortNames: string[];
}

export interface EnableResult {
  federatedTypeConfig: JsonObject;
  crd: FederatedCrd;
}

function scopeOf(namespaced: boolean): 'Namespaced' | 'Cluster' {
  return namespaced ? 'Namespaced' : 'Cluster';
}

/**
 * GenerateTypeConfigForTarget + the CRD identity of `kubefedctl enable`: FTC named
 * `plural[.group]`, federated kind `Federated<Kind>`, federated plural `federated<plural>`,
 * federated scope = target scope except for core `namespaces` (always Namespaced), CRD short
 * names `f<short name>`.
 */
export function enableType(apiResource: ApiResource, opts: EnableOptions = {}): EnableResult {
  const fedGroup = opts.federatedGroup || DEFAULT_FEDERATED_GROUP;
  const fedVersion = opts.federatedVersion || DEFAULT_FEDERATED_VERSION;
  const name = ftcName(apiResource.name, apiResource.group);
  const targetScope = scopeOf(apiResource.namespaced === true);
  const fedScope = name === NAMESPACES_FTC_NAME ? 'Namespaced' : targetScope;
  const fedKind = federatedKindFor(apiResource.kind);
  const fedPlural = `federated${apiResource.name}`;
  const ftc = ftcDefaults(
    {
      apiVersion: 'core.kubefed.io/v1beta1',
      kind: 'FederatedTypeConfig',
      metadata: { name },
      spec: {
        targetType: { version: apiResource.version, kind: apiResource.kind, scope: targetScope },
        propagation: 'Enabled',
        federatedType: { group: fedGroup, version: fedVersion, kind: fedKind, pluralName: fedPlural, scope: fedScope },
      },
    },
    'v1beta1',
  );
  const crd: FederatedCrd = {
    name: ftcName(fedPlural, fedGroup),
    group: fedGroup,
    version: fedVersion,
    kind: fedKind,
    plural: fedPlural,
    scope: fedScope,
    shortNames: (apiResource.shortNames ?? []).map((s) => `f${s}`),
  };
  return { federatedTypeConfig: ftc, crd };
}

// ------------------------------------------------------------------------------------------
// Type lookup in discovery

export interface DiscoveryList {
  groupVersion: string;
  resources: JsonObject[];
}

export type LookupResult = { ok: true; resource: ApiResource } | { ok: false; error: string };

/** schema.ParseGroupVersion. */
export function parseGroupVersion(gv: string): { group: string; version: string } | undefined {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: gv };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return undefined;
}

/** enable.NameMatchesResource: plural, singular, kind, `plural.group` or a short name, case-insensitively on the key. */
export function nameMatchesResource(key: string, resource: unknown, group: string): boolean {
  const lower = key.toLowerCase();
  const plural = str(own(resource, 'name'));
  if (lower === plural || lower === str(own(resource, 'singularName')) || lower === str(own(resource, 'kind')).toLowerCase()) return true;
  if (lower === `${plural}.${group}`) return true;
  const shorts = own(resource, 'shortNames');
  return Array.isArray(shorts) && shorts.some((s) => typeof s === 'string' && s.toLowerCase() === lower);
}

/**
 * LookupAPIResource: scans discovery in server order (restricted to `targetVersion` when
 * given); a core-group match wins at once, otherwise more than one match is ambiguous.
 */
export function lookupType(discovery: readonly DiscoveryList[], key: string, targetVersion?: string): LookupResult {
  let found: ApiResource | undefined;
  const matched: string[] = [];
  for (const list of discovery) {
    const gv = parseGroupVersion(str(own(list, 'groupVersion')));
    if (!gv) return { ok: false, error: `Error parsing GroupVersion: unexpected GroupVersion string: ${list.groupVersion}` };
    if (targetVersion && gv.version !== targetVersion) continue;
    const resources = own(list, 'resources');
    if (!Array.isArray(resources)) continue;
    for (const resource of resources) {
      if (!isObject(resource) || !nameMatchesResource(key, resource, gv.group)) continue;
      if (!found) {
        found = { ...(deepClone(resource) as unknown as ApiResource), group: gv.group, version: gv.version };
        if (gv.group === '') return { ok: true, resource: found };
      }
      matched.push(ftcName(str(own(resource, 'name')), gv.group));
    }
  }
  if (matched.length > 1) {
    return {
      ok: false,
      error: `Multiple resources are matched by "${key}": ${matched.join(', ')}. A group-qualified plural name must be provided.`,
    };
  }
  if (found) return { ok: true, resource: found };
  return { ok: false, error: `Unable to find api resource named "${key}".` };
}
