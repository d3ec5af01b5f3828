/**
 * A generated federation at scale for `bench/scale.ts`: `n` federated resources of several kinds
 * (Deployments, ConfigMaps, Services, Secrets, Jobs, v1alpha1 triples, RSPs) in 50 namespaces over
 * `m` clusters, with list and selector placements and overrides; as one stream or split into files.
 */
import { generateClusters } from './generate.ts';

export { generateClusters };

const NAMESPACES = 50;

function namespaces(): string[] {
  const out: string[] = [];
  for (let ns = 0; ns < NAMESPACES; ns++) {
    out.push(`apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: team-${ns}
  namespace: team-${ns}
spec:
  placement:
    clusterSelector: {}
`);
  }
  return out;
}

function deployment(i: number, ns: string, c1: string, c2: string): string {
  return `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata:
  name: app-${i}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: app-${i}
    app.kubernetes.io/part-of: tenant-${i % 97}
spec:
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      replicas: ${(i % 5) + 1}
      selector:
        matchLabels:
          app: app-${i}
      template:
        metadata:
          labels:
            app: app-${i}
        spec:
          containers:
          - name: main
            image: "registry.example.com/team/app-${i}:1.${i % 40}.0"
            args: ["--port=8080", "--log-level=info"]
            ports:
            - containerPort: 8080
              protocol: TCP
            env:
            - name: INDEX
              value: "${i}"
            - name: RATIO
              value: '0.${i % 10}'
            resources:
              limits: {cpu: 500m, memory: 256Mi}
  placement:
    clusters:
    - name: ${c1}
    - name: ${c2}
  overrides:
  - clusterName: ${c2}
    clusterOverrides:
    - path: /spec/replicas
      value: ${(i % 7) + 2}
    - path: /spec/template/spec/containers/0/image
      value: registry.example.com/team/app-${i}:canary
`;
}

function configMap(i: number, ns: string, c1: string): string {
  return `# config of tenant ${i % 97}
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: config-${i}
  namespace: ${ns}
spec:
  template:
    data:
      key: value-${i}
      other: "${i}"
      enabled: "true"
      script: |
        #!/bin/sh
        echo "config ${i}"
        exit 0
  placement:
    clusterSelector:
      matchLabels:
        tier: gold
  overrides:
  - clusterName: ${c1}
    clusterOverrides:
    - path: /data/key
      value: override-${i}
`;
}

function service(i: number, ns: string, c1: string): string {
  return `apiVersion: types.kubefed.io/v1beta1
kind: FederatedService
metadata:
  name: svc-${i}
  namespace: ${ns}
spec:
  template:
    spec:
      type: ClusterIP
      selector:
        app: app-${i - 2}
      ports:
      - name: http
        port: 80
        targetPort: 8080
  placement:
    clusterSelector:
      matchExpressions:
      - key: region
        operator: In
        values: [us-east, eu-west]
  overrides:
  - clusterName: ${c1}
    clusterOverrides:
    - path: /spec/type
      value: NodePort
`;
}

function secret(i: number, ns: string, c1: string): string {
  return `apiVersion: types.kubefed.io/v1beta1
kind: FederatedSecret
metadata:
  name: secret-${i}
  namespace: ${ns}
spec:
  template:
    type: Opaque
    stringData:
      password: 'p@ss-${i}'
  placement:
    clusters:
    - name: ${c1}
`;
}

function job(i: number, ns: string): string {
  return `apiVersion: types.kubefed.io/v1beta1
kind: FederatedJob
metadata:
  name: job-${i}
  namespace: ${ns}
spec:
  template:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: run
            image: busybox:1.36
            command:
            - sh
            - -c
            - >-
              echo job ${i}
              && sleep 1
  placement:
    clusterSelector:
      matchLabels:
        region: eu-west
`;
}

/** The documents of the federation (without its clusters), `n` federated resources after the namespaces. */
export function scaleDocuments(n: number, m: number): string[] {
  const docs = namespaces();
  for (let i = 0; i < n; i++) {
    const ns = `team-${i % NAMESPACES}`;
    const c1 = `cluster${(i % m) + 1}`;
    const c2 = `cluster${((i + 3) % m) + 1}`;
    const k = i % 10;
    if (k < 4) docs.push(deployment(i, ns, c1, c2));
    else if (k < 7) docs.push(configMap(i, ns, c1));
    else if (k < 8) docs.push(service(i, ns, c1));
    else if (k < 9) docs.push(secret(i, ns, c1));
    else docs.push(job(i, ns));
  }
  return docs;
}

/** One stream of the documents. */
export function joinDocuments(docs: readonly string[]): string {
  return docs.join('---\n');
}

/** The documents split into `files` files of consecutive documents (as a map name → text). */
export function splitDocuments(docs: readonly string[], files: number): Map<string, string> {
  const out = new Map<string, string>();
  const per = Math.ceil(docs.length / files);
  for (let f = 0; f < files; f++) {
    const part = docs.slice(f * per, (f + 1) * per);
    if (part.length) out.set(`part-${String(f).padStart(4, '0')}.yaml`, joinDocuments(part));
  }
  return out;
}
