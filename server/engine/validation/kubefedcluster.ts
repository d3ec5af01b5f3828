/**
 * Admission validation of core.kubefed.io/v1beta1 KubeFedCluster (kubefed
 * pkg/apis/core/v1beta1/validation/validation.go), including the URL handling it inherits
 * from Go's net/url.Parse and client-go's rest.DefaultServerURL.
 */
import { isObject, own } from '../json.ts';
import {
  child,
  enumString,
  goQuote,
  goRaw,
  index,
  invalid,
  readString,
  required,
  wrongType,
  type FieldError,
} from './fielderrors.ts';
import { isDNS1123Subdomain, isValidPortNum } from './names.ts';

// ------------------------------------------------------------------------------------------
// Go net/url.Parse (the parts that decide success, scheme, host and path)

export interface GoURL {
  scheme: string;
  opaque: string;
  /** userinfo as written (undefined when there is no '@' in the authority). */
  user?: string;
  host: string;
  /** Unescaped path. */
  path: string;
  rawQuery: string;
  fragment: string;
}

export type GoURLResult = { ok: true; url: GoURL } | { ok: false; error: string };

type Mode = 'host' | 'zone' | 'path' | 'userPassword' | 'fragment';

const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);
const unhex = (c: string) => parseInt(c, 16);

function shouldEscape(c: string, mode: Mode): boolean {
  if (/^[A-Za-z0-9]$/.test(c)) return false;
  if ((mode === 'host' || mode === 'zone') && "!$&'()*+,;=:[]<>\"".includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    switch (mode) {
      case 'path':
        return c === '?';
      case 'userPassword':
        return c === '@' || c === '/' || c === '?' || c === ':';
      case 'fragment':
        return false;
      default:
        break;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

class UrlError extends Error {}

function escapeError(s: string): UrlError {
  return new UrlError('invalid URL escape ' + goQuote(s));
}

/** url.unescape: validates %-escapes (and host characters) and decodes. */
function unescape(s: string, mode: Mode): string {
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]!) || !isHex(s[i + 2]!)) {
        throw escapeError(s.slice(i, i + 3));
      }
      const seq = s.slice(i, i + 3);
      if (mode === 'host' && unhex(s[i + 1]!) < 8 && seq !== '%25') throw escapeError(seq);
      if (mode === 'zone') {
        const v = String.fromCharCode(unhex(s[i + 1]!) * 16 + unhex(s[i + 2]!));
        if (seq !== '%25' && v !== ' ' && shouldEscape(v, 'host')) throw escapeError(seq);
      }
      i += 3;
    } else {
      if ((mode === 'host' || mode === 'zone') && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode)) {
        throw new UrlError(`invalid character ${goQuote(c)} in host name`);
      }
      i++;
    }
  }
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%') {
      bytes.push(unhex(s[i + 1]!) * 16 + unhex(s[i + 2]!));
      i += 3;
    } else {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...enc.encode(ch));
      i += ch.length;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      return unescape(host.slice(0, zone), 'host') + unescape(host.slice(zone, i), 'zone') + unescape(host.slice(i), 'host');
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
    }
  }
  return unescape(host, 'host');
}

function validUserinfo(s: string): boolean {
  return /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);
}

function parseAuthority(authority: string): { user?: string; host: string } {
  const i = authority.lastIndexOf('@');
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return { host };
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(userinfo)) throw new UrlError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) unescape(userinfo, 'userPassword');
  else {
    unescape(userinfo.slice(0, colon), 'userPassword');
    unescape(userinfo.slice(colon + 1), 'userPassword');
  }
  return { user: userinfo, host };
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function parseNoFragment(raw: string): GoURL {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new UrlError('net/url: invalid control character in URL');
  const url: GoURL = { scheme: '', opaque: '', host: '', path: '', rawQuery: '', fragment: '' };
  if (raw === '*') {
    url.path = '*';
    return url;
  }
  let [scheme, rest] = getScheme(raw);
  url.scheme = scheme.toLowerCase();
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      url.opaque = rest;
      return url;
    }
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const after = rest.slice(2);
    const slash = after.indexOf('/');
    const authority = slash < 0 ? after : after.slice(0, slash);
    rest = slash < 0 ? '' : after.slice(slash);
    const { user, host } = parseAuthority(authority);
    if (user !== undefined) url.user = user;
    url.host = host;
  }
  url.path = unescape(rest, 'path');
  return url;
}

/** Go's url.Parse; errors carry url.Error's text, e.g. `parse "https://x:y": invalid port ":y" after host`. */
export function parseGoURL(raw: string): GoURLResult {
  const hash = raw.indexOf('#');
  const u = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? '' : raw.slice(hash + 1);
  let url: GoURL;
  try {
    url = parseNoFragment(u);
  } catch (e) {
    if (e instanceof UrlError) return { ok: false, error: `parse ${goQuote(u)}: ${e.message}` };
    throw e;
  }
  if (frag !== '') {
    try {
      url.fragment = unescape(frag, 'fragment');
    } catch (e) {
      if (e instanceof UrlError) return { ok: false, error: `parse ${goQuote(raw)}: ${e.message}` };
      throw e;
    }
  }
  return { ok: true, url };
}

/** url.URL.Port(): digits after the last colon of the host, if they form a valid port suffix. */
export function urlPort(url: GoURL): string {
  const colon = url.host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(url.host.slice(colon))) return url.host.slice(colon + 1);
  return '';
}

/**
 * client-go rest.DefaultServerURL(host, "", {}, defaultTLS=true): a host, host:port or URL.
 * Without a usable scheme and host, `https://` is prepended and then only an empty or "/"
 * path is accepted.
 */
export function defaultServerURL(host: string): GoURLResult {
  if (host === '') return { ok: false, error: 'host must be a URL or a host:port pair' };
  const first = parseGoURL(host);
  if (first.ok && first.url.scheme !== '' && first.url.host !== '') return first;
  const second = parseGoURL('https://' + host);
  if (!second.ok) return second;
  if (second.url.path !== '' && second.url.path !== '/') {
    return { ok: false, error: `host must be a URL or a host:port pair: ${goQuote(host)}` };
  }
  return second;
}

// ------------------------------------------------------------------------------------------
// Validators

const TLS_VALIDATIONS = ['*', 'SubjectName', 'ValidityPeriod'] as const;
const CONDITION_TYPES = ['Ready', 'Offline'] as const;
const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
const INT64_MAX = 2n ** 63n - 1n;

/** Spec validation for create/update, or status validation for the status subresource. */
export function validateKubeFedCluster(cluster: unknown, statusSubresource = false): FieldError[] {
  if (statusSubresource) return validateKubeFedClusterStatus(own(cluster, 'status'), 'status');
  return validateKubeFedClusterSpec(own(cluster, 'spec'), 'spec');
}

export function validateKubeFedClusterSpec(spec: unknown, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  const endpoint = readString(own(spec, 'apiEndpoint'), child(path, 'apiEndpoint'), errs);
  if (endpoint !== undefined) errs.push(...validateAPIEndpoint(endpoint, child(path, 'apiEndpoint')));
  errs.push(...validateLocalSecretReference(own(spec, 'secretRef'), child(path, 'secretRef')));
  errs.push(...validateDisabledTLSValidations(own(spec, 'disabledTLSValidations'), child(path, 'disabledTLSValidations')));
  const proxy = readString(own(spec, 'proxyURL'), child(path, 'proxyURL'), errs);
  if (proxy) errs.push(...validateProxyURL(proxy, child(path, 'proxyURL')));
  return errs;
}

export function validateAPIEndpoint(endpoint: string, path: string): FieldError[] {
  if (endpoint === '') return [required(path)];
  const parsed = defaultServerURL(endpoint);
  if (!parsed.ok) return [invalid(path, endpoint, parsed.error)];
  const errs = enumString(path, parsed.url.scheme, ['http', 'https']);
  const port = urlPort(parsed.url);
  if (port !== '') {
    const n = BigInt(port);
    if (n > INT64_MAX) errs.push(invalid(path, port, 'error converting port to integer'));
    else {
      const msgs = isValidPortNum(n);
      if (msgs.length > 0) errs.push(invalid(path, n, msgs.join(',')));
    }
  }
  return errs;
}

export function validateProxyURL(proxyURL: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const parsed = parseGoURL(proxyURL);
  // Upstream would go on to read the scheme of a nil URL; both problems are reported here.
  if (!parsed.ok) errs.push(invalid(path, proxyURL, 'error parsing the proxy URL'));
  const scheme = parsed.ok ? parsed.url.scheme : '';
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'socks5') {
    errs.push(invalid(path, proxyURL, 'proxy URL scheme must be one of: [http, https, socks5]'));
  }
  return errs;
}

export function validateLocalSecretReference(ref: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = readString(own(ref, 'name'), child(path, 'name'), errs);
  if (name === '') errs.push(required(child(path, 'name')));
  else if (name !== undefined) {
    const msgs = isDNS1123Subdomain(name);
    if (msgs.length > 0) errs.push(invalid(child(path, 'name'), name, msgs.join(',')));
  }
  return errs;
}

export function validateDisabledTLSValidations(list: unknown, path: string): FieldError[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return [wrongType(path, list, '[]TLSValidation')];
  const errs: FieldError[] = [];
  let disableAll = false;
  const values: string[] = [];
  for (const item of list) {
    const value = readString(item, path, errs);
    if (value === undefined) continue;
    values.push(value);
    if (value === '*') disableAll = true;
    errs.push(...enumString(path, value, TLS_VALIDATIONS));
  }
  if (disableAll && list.length > 1) {
    const shown = goRaw(`[]v1beta1.TLSValidation{${values.map(goQuote).join(', ')}}`);
    errs.push(invalid(path, shown, 'when * is specified, it is expected to be the only option in list'));
  }
  return errs;
}

export function validateKubeFedClusterStatus(status: unknown, path = 'status'): FieldError[] {
  const conditions = own(status, 'conditions');
  if (conditions === undefined || conditions === null) return [];
  const cpath = child(path, 'conditions');
  if (!Array.isArray(conditions)) return [wrongType(cpath, conditions, '[]ClusterCondition')];
  return conditions.flatMap((c, i) => validateClusterCondition(c, index(cpath, i)));
}

export function validateClusterCondition(condition: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (condition !== null && condition !== undefined && !isObject(condition)) return [wrongType(path, condition, 'ClusterCondition')];
  const type = readString(own(condition, 'type'), child(path, 'type'), errs);
  if (type !== undefined) errs.push(...enumString(child(path, 'type'), type, CONDITION_TYPES));
  const status = readString(own(condition, 'status'), child(path, 'status'), errs);
  if (status !== undefined) errs.push(...enumString(child(path, 'status'), status, CONDITION_STATUSES));
  const probe = own(condition, 'lastProbeTime');
  if (isZeroTime(probe)) errs.push(required(child(path, 'lastProbeTime')));
  else if (typeof probe !== 'string' || Number.isNaN(parseRFC3339(probe))) {
    errs.push(invalid(child(path, 'lastProbeTime'), typeof probe === 'string' ? probe : JSON.stringify(probe), 'must be an RFC 3339 time'));
  }
  return errs;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function utcMillis(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const dt = new Date(Date.UTC(2000, 0, 1));
  dt.setUTCFullYear(y, mo - 1, d);
  dt.setUTCHours(h, mi, s, ms);
  return dt.getTime();
}

/** Milliseconds since the epoch of an RFC 3339 time, NaN when it does not parse. */
function parseRFC3339(s: string): number {
  const m = RFC3339.exec(s);
  if (!m) return NaN;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const frac = m[7];
  const zone = m[8]!;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return NaN;
  if (new Date(utcMillis(y, mo, d)).getUTCDate() !== d) return NaN; // day out of range
  let t = utcMillis(y, mo, d, h, mi, sec, frac ? Math.trunc(Number(frac) * 1000) : 0);
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60000;
  }
  return t;
}

/** metav1.Time.IsZero: absent, null, "" or the instant 0001-01-01T00:00:00Z. */
function isZeroTime(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  return typeof v === 'string' && parseRFC3339(v) === utcMillis(1, 1, 1);
}
