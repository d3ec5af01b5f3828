/**
 * Snippets for new federated resources of each kind, both API eras.
 */
import { federatedApiVersion, type TypeConfig } from '../engine/typeconfigs.ts';
import type { KindInfo } from './schemas.ts';

/** A workload spec with replicas and one container (Deployment, ReplicaSet). */
const SCALABLE_SPEC = [
  'spec:',
  '  replicas: ${9:1}',
  '  selector:',
  '    matchLabels:',
  '      app: $APP',
  '  template:',
  '    metadata:',
  '      labels:',
  '        app: $APP',
  '    spec:',
  '      containers:',
  '      - name: $APP',
  '        image: ${8:nginx}',
];

/** Template body (lines, relative indentation) per target kind; `$APP` is the name placeholder. */
const BODIES: Record<string, string[]> = {
  Deployment: ['metadata:', '  labels:', '    app: $APP', ...SCALABLE_SPEC],
  ReplicaSet: SCALABLE_SPEC,
  Job: [
    'spec:',
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    '      - name: $APP',
    '        image: ${8:busybox}',
    '        command: ["echo", "hello"]',
  ],
  ConfigMap: ['data:', '  ${8:key}: ${9:value}'],
  Secret: ['type: Opaque', 'data:', '  ${8:key}: ${9:dmFsdWU=}'],
  Service: [
    'spec:',
    '  selector:',
    '    app: $APP',
    '  ports:',
    '  - name: http',
    '    port: ${8:80}',
    '    targetPort: ${9:8080}',
  ],
  ServiceAccount: ['automountServiceAccountToken: false'],
  Ingress: [
    'spec:',
    '  rules:',
    '  - host: ${8:example.com}',
    '    http:',
    '      paths:',
    '      - path: /',
    '        pathType: Prefix',
    '        backend:',
    '          service:',
    '            name: $APP',
    '            port:',
    '              number: 80',
  ],
  ClusterRole: ['rules:', '- apiGroups: [""]', '  resources: ["${8:pods}"]', '  verbs: ["get", "list", "watch"]'],
  Namespace: [],
};

function indent(lines: string[], n: number): string[] {
  const pad = ' '.repeat(n);
  return lines.map((l) => (l ? pad + l : l));
}

export interface Snippet {
  label: string;
  detail: string;
  text: string;
}

/** A v1beta1 federated resource of the target kind. */
export function v1beta1Snippet(apiVersion: string, kind: string, target: KindInfo, cluster: string): Snippet {
  const isNs = target.kind === 'Namespace' && target.group === '';
  const body = BODIES[target.kind] ?? ['spec: {}'];
  const lines = [
    `apiVersion: ${apiVersion}`,
    `kind: ${kind}`,
    'metadata:',
    isNs ? '  name: ${1:namespace}' : '  name: ${1:name}',
    ...(isNs ? ['  namespace: ${1:namespace}'] : target.namespaced ? ['  namespace: ${2:namespace}'] : []),
    'spec:',
    ...(body.length ? ['  template:', ...indent(body, 4)] : ['  template: {}']),
    '  placement:',
    '    clusters:',
    `    - name: \${3:${cluster}}`,
  ];
  return {
    label: `${kind} (v1beta1)`,
    detail: `New federated ${target.kind}: template, placement, overrides (${apiVersion})`,
    text: lines.join('\n').replace(/\$APP/g, '${1:name}') + '\n',
  };
}

/** A v1alpha1 federated resource of a type config: template + placement (+ override where the type has one). */
export function v1alpha1Snippet(target: KindInfo, tc: TypeConfig, cluster: string): Snippet {
  const templateApi = `${tc.templateGroup}/${tc.templateVersion}`;
  const api = federatedApiVersion(tc);
  const meta = ['metadata:', '  name: ${1:name}', '  namespace: ${2:namespace}'];
  const body = BODIES[target.kind] ?? [];
  const docs = [
    [`apiVersion: ${templateApi}`, `kind: ${tc.templateKind}`, ...meta, 'spec:', '  template:', ...indent(body, 4)],
    [`apiVersion: ${api}`, `kind: ${tc.placementKind}`, ...meta, 'spec:', '  clusterNames:', `  - \${3:${cluster}}`],
  ];
  const overrideField = tc.overridePath?.[tc.overridePath.length - 1];
  const withOverride = !!(tc.overrideKind && overrideField);
  if (withOverride) {
    const v = overrideField === 'data' ? ['    data:', '      ${8:key}: ${9:value}'] : [`    ${overrideField}: \${9:1}`];
    docs.push([`apiVersion: ${api}`, `kind: ${tc.overrideKind}`, ...meta, 'spec:', '  overrides:', `  - clusterName: \${3:${cluster}}`, ...v]);
  }
  return {
    label: `${tc.templateKind} (v1alpha1)`,
    detail: `New v1alpha1 federated ${target.kind}: template + placement${withOverride ? ' + override' : ''} (${tc.templateGroup})`,
    text: docs.map((d) => d.join('\n').replace(/\$APP/g, '${1:name}')).join('\n---\n') + '\n',
  };
}
