import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { goQuote, goRaw, invalid, notSupported, required, duplicate, forbidden, tooLong } from '../../server/engine/validation/fielderrors.ts';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../server/engine/validation/names.ts';
import { defaultServerURL, parseGoURL, validateAPIEndpoint, validateKubeFedCluster } from '../../server/engine/validation/kubefedcluster.ts';
import { formatGoDuration, parseGoDuration, validateKubeFedConfig } from '../../server/engine/validation/kubefedconfig.ts';
import { validateAPIResource, validateFederatedTypeConfig } from '../../server/engine/validation/ftc.ts';
import { kubeFedConfigDefaults } from '../../server/engine/kubefedconfig-defaults.ts';

const messages = (errs: { message: string }[]) => errs.map((e) => e.message);

// --- Go formatting --------------------------------------------------------------------------

test('goQuote matches strconv.Quote', () => {
  assert.equal(goQuote('plain'), '"plain"');
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote('tab\tnl\n\x07\x7f\x01'), '"tab\\tnl\\n\\a\\x7f\\x01"');
  assert.equal(goQuote('é漢 µ'), '"é漢 µ"');
  assert.equal(goQuote('\u00a0\u200b'), '"\\u00a0\\u200b"');
  assert.equal(goQuote('\u{e0001}'), '"\\U000e0001"');
});

test('field errors render like field.Error', () => {
  assert.equal(required('spec.x').message, 'spec.x: Required value');
  assert.equal(invalid('spec.x', 'v', 'bad').message, 'spec.x: Invalid value: "v": bad');
  assert.equal(invalid('spec.x', 5n, 'bad').message, 'spec.x: Invalid value: 5: bad');
  assert.equal(invalid('spec.x', -3, 'bad').message, 'spec.x: Invalid value: -3: bad');
  assert.equal(invalid('spec.x', null, 'bad').message, 'spec.x: Invalid value: null: bad');
  assert.equal(invalid('spec.x', true, 'bad').message, 'spec.x: Invalid value: true: bad');
  assert.equal(invalid('spec.x', goRaw('1m0s'), 'bad').message, 'spec.x: Invalid value: 1m0s: bad');
  assert.equal(notSupported('a', 'x', ['p', 'q']).message, 'a: Unsupported value: "x": supported values: "p", "q"');
  assert.equal(notSupported('a', 'x', []).message, 'a: Unsupported value: "x"');
  assert.equal(duplicate('a.name', 'n').message, 'a.name: Duplicate value: "n"');
  assert.equal(forbidden('a', 'no').message, 'a: Forbidden: no');
  assert.equal(tooLong('a', 3).message, 'a: Too long: must have at most 3 bytes');
});

// --- names -----------------------------------------------------------------------------------

test('DNS and label checks with upstream messages', () => {
  assert.deepEqual(isDNS1123Subdomain('example.com'), []);
  assert.deepEqual(isDNS1123Subdomain('invalid#group'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(isDNS1035Label('2abc'), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(isDNS1123Label('1abc'), []);
  assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  assert.equal(isDNS1123Subdomain('a'.repeat(254)).length, 1);
  assert.deepEqual(isQualifiedName('example.com/MyName'), []);
  assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
  assert.equal(isQualifiedName('a/b/c').length, 1);
  assert.deepEqual(isValidLabelValue(''), []);
  assert.equal(isValidLabelValue('-x').length, 1);
});

test('DNS-1035 labels are DNS-1123 labels', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z0-9-]{0,70}$/), (s) => {
      if (isDNS1035Label(s).length === 0) assert.deepEqual(isDNS1123Label(s), []);
    }),
  );
});

// --- Go durations ------------------------------------------------------------------------------

test('Go duration parsing and formatting', () => {
  const cases: [string, bigint, string][] = [
    ['20s', 20_000_000_000n, '20s'],
    ['60s', 60_000_000_000n, '1m0s'],
    ['1m0s', 60_000_000_000n, '1m0s'],
    ['12ns', 12n, '12ns'],
    ['1h2m3.5s', 3_723_500_000_000n, '1h2m3.5s'],
    ['-1.5h', -5_400_000_000_000n, '-1h30m0s'],
    ['1.5us', 1500n, '1.5µs'],
    ['2.25ms', 2_250_000n, '2.25ms'],
    ['0', 0n, '0s'],
    ['+.5s', 500_000_000n, '500ms'],
  ];
  for (const [text, nanos, canonical] of cases) {
    const p = parseGoDuration(text);
    assert.ok(p.ok, text);
    assert.equal(p.nanos, nanos, text);
    assert.equal(formatGoDuration(nanos), canonical, text);
  }
  assert.deepEqual(parseGoDuration(''), { ok: false, error: 'time: invalid duration ""' });
  assert.deepEqual(parseGoDuration('5'), { ok: false, error: 'time: missing unit in duration "5"' });
  assert.deepEqual(parseGoDuration('5x'), { ok: false, error: 'time: unknown unit "x" in duration "5x"' });
  assert.deepEqual(parseGoDuration('.s'), { ok: false, error: 'time: invalid duration ".s"' });
  assert.equal(parseGoDuration('9223372036854775807ns').ok, true);
  assert.equal(parseGoDuration('9223372036854775808ns').ok, false);
  assert.equal(parseGoDuration('-9223372036854775808ns').ok, true);
});

test('formatting then parsing a duration gives it back', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }), (n) => {
      const p = parseGoDuration(formatGoDuration(n));
      assert.ok(p.ok);
      assert.equal(p.nanos, n);
    }),
  );
});

// --- URLs ------------------------------------------------------------------------------------

test('Go url.Parse and DefaultServerURL', () => {
  const u = parseGoURL('HTTP://user:pw@host.io:8080/p%2Fq?x=1#frag');
  assert.ok(u.ok);
  assert.deepEqual(u.url, { scheme: 'http', opaque: '', user: 'user:pw', host: 'host.io:8080', path: '/p/q', rawQuery: 'x=1', fragment: 'frag' });
  assert.deepEqual(parseGoURL('example.com:8080'), { ok: true, url: { scheme: 'example.com', opaque: '8080', host: '', path: '', rawQuery: '', fragment: '' } });
  assert.deepEqual(parseGoURL('1.2.3.4:80'), { ok: false, error: 'parse "1.2.3.4:80": first path segment in URL cannot contain colon' });
  assert.deepEqual(parseGoURL(':x'), { ok: false, error: 'parse ":x": missing protocol scheme' });
  assert.deepEqual(parseGoURL('http://[::1'), { ok: false, error: `parse "http://[::1": missing ']' in host` });
  assert.deepEqual(parseGoURL('http://a%zz'), { ok: false, error: 'parse "http://a%zz": invalid URL escape "%zz"' });
  const d = defaultServerURL('[2001:db8::1]:443');
  assert.ok(d.ok);
  assert.equal(d.url.host, '[2001:db8::1]:443');
  assert.deepEqual(defaultServerURL('example.com/api'), { ok: false, error: 'host must be a URL or a host:port pair: "example.com/api"' });
});

test('host:port endpoints are valid exactly for ports 1..65535', () => {
  fc.assert(
    fc.property(fc.constantFrom('example.com', '192.0.2.1', '[2001:db8::1]'), fc.integer({ min: 0, max: 200000 }), fc.boolean(), (host, port, scheme) => {
      const endpoint = `${scheme ? 'https://' : ''}${host}:${port}`;
      const errs = messages(validateAPIEndpoint(endpoint, 'apiEndpoint'));
      if (port >= 1 && port <= 65535) assert.deepEqual(errs, []);
      else assert.deepEqual(errs, [`apiEndpoint: Invalid value: ${port}: must be between 1 and 65535, inclusive`]);
    }),
  );
});

// --- validators --------------------------------------------------------------------------------

test('KubeFedCluster spec errors come in upstream order', () => {
  const errs = messages(
    validateKubeFedCluster({ spec: { apiEndpoint: 'tcp://x:0', secretRef: { name: 'Bad_Name' }, disabledTLSValidations: ['SubjectName', '*'], proxyURL: 'ftp://p' } }),
  );
  assert.equal(errs.length, 5);
  assert.equal(errs[0], 'spec.apiEndpoint: Unsupported value: "tcp": supported values: "http", "https"');
  assert.equal(errs[1], 'spec.apiEndpoint: Invalid value: 0: must be between 1 and 65535, inclusive');
  assert.match(errs[2]!, /^spec\.secretRef\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  assert.equal(errs[3], 'spec.disabledTLSValidations: Invalid value: []v1beta1.TLSValidation{"SubjectName", "*"}: when * is specified, it is expected to be the only option in list');
  assert.equal(errs[4], 'spec.proxyURL: Invalid value: "ftp://p": proxy URL scheme must be one of: [http, https, socks5]');
});

test('KubeFedCluster status conditions', () => {
  const errs = messages(validateKubeFedCluster({ status: { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: '2021-01-01T00:00:00Z' }, { type: 'X', status: '' }] } }, true));
  assert.deepEqual(errs, [
    'status.conditions[1].type: Unsupported value: "X": supported values: "Ready", "Offline"',
    'status.conditions[1].status: Required value',
    'status.conditions[1].lastProbeTime: Required value',
  ]);
});

test('FTC validation: name, then spec in field order', () => {
  const ftc = {
    metadata: { name: 'widgets' },
    spec: {
      targetType: { group: 'acme.io', version: 'V1', kind: 'Widget', pluralName: 'widgets', scope: 'Cluster' },
      propagation: 'Sometimes',
      federatedType: { group: 'local', version: 'v1beta1', kind: 'FederatedWidget', pluralName: 'federatedwidgets', scope: 'Cluster' },
    },
  };
  const errs = validateFederatedTypeConfig(ftc);
  assert.deepEqual(
    errs.map((e) => `${e.field}|${e.type}`),
    ['name|Invalid', 'spec.targetType.version|Invalid', 'spec.propagation|NotSupported', 'spec.federatedType.group|Invalid'],
  );
  assert.equal(errs[0]!.message, `name: Invalid value: "widgets": name must be 'TARGET_PLURAL_NAME(.TARGET_GROUP_NAME)'`);
  assert.deepEqual(messages(validateAPIResource({ version: 'v1', kind: 'K', pluralName: 'ks', scope: 'Cluster', group: 7 })), ['group: Invalid value: 7: must be of type string']);
});

test('defaulted KubeFedConfigs validate cleanly and defaulting is idempotent', () => {
  const duration = fc.constantFrom('1s', '90s', '2m', '1h', '500ms');
  fc.assert(
    fc.property(
      fc.constantFrom('Cluster', 'Namespaced'),
      fc.option(fc.record({ period: duration }, { requiredKeys: [] }), { nil: undefined }),
      fc.option(fc.subarray(['PushReconciler', 'SchedulerPreferences', 'RawResourceStatusCollection']), { nil: undefined }),
      (scope, health, gates) => {
        const spec: Record<string, unknown> = { scope };
        if (health) spec.clusterHealthCheck = health;
        if (gates) spec.featureGates = gates.map((name) => ({ name, configuration: 'Disabled' }));
        const once = kubeFedConfigDefaults({ spec });
        assert.deepEqual(kubeFedConfigDefaults(once), once);
        assert.deepEqual(messages(validateKubeFedConfig(once, once)), []);
        assert.equal((once.spec as { featureGates: unknown[] }).featureGates.length, 3);
      },
    ),
  );
});

test('KubeFedConfig: scope is immutable, durations are compared as Go durations', () => {
  const base = kubeFedConfigDefaults({ spec: { scope: 'Cluster' } });
  const changed = kubeFedConfigDefaults({ spec: { scope: 'Namespaced' } });
  assert.deepEqual(messages(validateKubeFedConfig(changed, base)), ['spec.scope: Invalid value: "Namespaced": field is immutable']);
  assert.deepEqual(messages(validateKubeFedConfig(changed)), []);
  const tight = kubeFedConfigDefaults({ spec: { scope: 'Cluster', leaderElect: { leaseDuration: '10s', renewDeadline: '6s', retryPeriod: '5s' } } });
  assert.deepEqual(messages(validateKubeFedConfig(tight)), ['spec.leaderElect.renewDeadline: Invalid value: 6s: renewDeadline must be greater than retryPeriod*JitterFactor(1.2)']);
  const junk = kubeFedConfigDefaults({ spec: { scope: 'Cluster', clusterHealthCheck: { period: 'soon' } } });
  assert.deepEqual(messages(validateKubeFedConfig(junk)), ['spec.clusterHealthCheck.period: Invalid value: "soon": time: invalid duration "soon"']);
});
