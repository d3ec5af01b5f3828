/**
 * Admission validation of core.kubefed.io/v1beta1 FederatedTypeConfig, in the order and with
 * the messages of kubefed pkg/apis/core/v1beta1/validation/validation.go.
 */
import { getPath, isObject, own } from '../json.ts';
import {
  child,
  enumString,
  invalid,
  readInt64,
  readOptionalString,
  readString,
  required,
  type FieldError,
} from './fielderrors.ts';
import { isDNS1035Label, isDNS1123Subdomain } from './names.ts';

export const FTC_NAME_ERROR_MSG = "name must be 'TARGET_PLURAL_NAME(.TARGET_GROUP_NAME)'";
export const DOMAIN_WITH_AT_LEAST_ONE_DOT = 'should be a domain with at least one dot';

const SCOPES = ['Cluster', 'Namespaced'] as const;
const PROPAGATION = ['Enabled', 'Disabled'] as const;
const STATUS_COLLECTION = ['Enabled', 'Disabled'] as const;
const CONTROLLER_STATUS = ['Running', 'NotRunning'] as const;

/** Spec validation for create/update, or status validation for the status subresource. */
export function validateFederatedTypeConfig(ftc: unknown, statusSubresource = false): FieldError[] {
  if (statusSubresource) return validateFederatedTypeConfigStatus(own(ftc, 'status'), 'status');
  return [...validateFederatedTypeConfigName(ftc), ...validateFederatedTypeConfigSpec(own(ftc, 'spec'), 'spec')];
}

/** The FTC must be named `<targetType.pluralName>[.<targetType.group>]`. */
export function validateFederatedTypeConfigName(ftc: unknown): FieldError[] {
  const scratch: FieldError[] = [];
  const name = readString(getPath(ftc, ['metadata', 'name']), 'metadata.name', scratch) ?? '';
  const plural = readString(getPath(ftc, ['spec', 'targetType', 'pluralName']), 'x', scratch) ?? '';
  const group = readString(getPath(ftc, ['spec', 'targetType', 'group']), 'x', scratch) ?? '';
  const expected = group.length === 0 ? plural : `${plural}.${group}`;
  return expected === name ? [] : [invalid('name', name, FTC_NAME_ERROR_MSG)];
}

export function validateFederatedTypeConfigSpec(spec: unknown, path = 'spec'): FieldError[] {
  const errs = validateAPIResource(own(spec, 'targetType'), child(path, 'targetType'));
  const propagation = readString(own(spec, 'propagation'), child(path, 'propagation'), errs);
  if (propagation !== undefined) errs.push(...enumString(child(path, 'propagation'), propagation, PROPAGATION));
  errs.push(...validateFederatedAPIResource(own(spec, 'federatedType'), child(path, 'federatedType')));
  const statusType = own(spec, 'statusType');
  if (statusType !== undefined && statusType !== null) {
    errs.push(...validateFederatedAPIResource(statusType, child(path, 'statusType')));
  }
  const collection = readOptionalString(own(spec, 'statusCollection'), child(path, 'statusCollection'), errs);
  if (typeof collection === 'string') {
    errs.push(...enumString(child(path, 'statusCollection'), collection, STATUS_COLLECTION));
  }
  return errs;
}

/** An APIResource used for a federated or status type: group required, with at least one dot. */
export function validateFederatedAPIResource(res: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const group = readString(own(res, 'group'), child(path, 'group'), errs);
  if (group === '') errs.push(required(child(path, 'group')));
  else if (group !== undefined && !group.includes('.')) errs.push(invalid(child(path, 'group'), group, DOMAIN_WITH_AT_LEAST_ONE_DOT));
  // A wrongly typed group was reported above; the generic checks below would report it again.
  const rest = validateAPIResource(res, path);
  return [...errs, ...(group === undefined ? rest.filter((e) => e.field !== child(path, 'group')) : rest)];
}

/** A lone APIResource (group optional). `path` prefixes the field names ('' = bare names). */
export function validateAPIResource(res: unknown, path = ''): FieldError[] {
  const errs: FieldError[] = [];
  if (res !== undefined && res !== null && !isObject(res)) {
    // Upstream could not even decode this; report it once.
    return [invalid(path === '' ? '<root>' : path, JSON.stringify(res), 'must be an object')];
  }
  const group = readString(own(res, 'group'), child(path, 'group'), errs);
  if (group) {
    const msgs = isDNS1123Subdomain(group);
    if (msgs.length > 0) errs.push(invalid(child(path, 'group'), group, msgs.join(',')));
  }
  for (const [key, lower] of [['version', false], ['kind', true], ['pluralName', false]] as const) {
    const fp = child(path, key);
    const value = readString(own(res, key), fp, errs);
    if (value === undefined) continue;
    if (value.length === 0) {
      errs.push(required(fp));
      continue;
    }
    const msgs = isDNS1035Label(lower ? value.toLowerCase() : value);
    if (msgs.length > 0) errs.push(invalid(fp, value, msgs.join(',')));
  }
  const scope = readString(own(res, 'scope'), child(path, 'scope'), errs);
  if (scope !== undefined) errs.push(...enumString(child(path, 'scope'), scope, SCOPES));
  return errs;
}

export function validateFederatedTypeConfigStatus(status: unknown, path = 'status'): FieldError[] {
  const errs: FieldError[] = [];
  const gen = readInt64(own(status, 'observedGeneration'), child(path, 'observedGeneration'), errs);
  if (typeof gen === 'bigint' && gen < 0n) {
    errs.push(invalid(child(path, 'observedGeneration'), gen, 'must be greater than or equal to 0'));
  }
  const propagation = readString(own(status, 'propagationController'), child(path, 'propagationController'), errs);
  if (propagation !== undefined) {
    errs.push(...enumString(child(path, 'propagationController'), propagation, CONTROLLER_STATUS));
  }
  const statusController = readOptionalString(own(status, 'statusController'), child(path, 'statusController'), errs);
  if (typeof statusController === 'string') {
    errs.push(...enumString(child(path, 'statusController'), statusController, CONTROLLER_STATUS));
  }
  return errs;
}
