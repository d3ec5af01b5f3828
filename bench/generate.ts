/** Generated federations for benchmarks: N federated resources over M clusters, both eras mixed. */
export interface Generated {
  clusters: string;
  resources: string;
  count: number;
}

const REGIONS = ['us-east', 'us-west', 'eu-west', 'eu-central', 'ap-south'];

export function generateClusters(m: number): string {
  const docs: string[] = [];
  for (let i = 1; i <= m; i++) {
    docs.push(`apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: cluster${i}
  namespace: kube-federation-system
  labels:
    region: ${REGIONS[i % REGIONS.length]}
    tier: ${i % 3 === 0 ? 'silver' : 'gold'}
spec:
  apiEndpoint: https://127.0.0.1:${6442 + i}
  secretRef:
    name: cluster${i}-secret
`);
  }
  return docs.join('---\n');
}

/** One YAML stream of `n` federated resources in 10 namespaces (with their FederatedNamespaces). */
export function generateResources(n: number, m: number): string {
  const docs: string[] = [];
  for (let ns = 0; ns < 10; ns++) {
    docs.push(`apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: ns${ns}
  namespace: ns${ns}
spec:
  placement:
    clusterSelector: {}
`);
  }
  for (let i = 0; i < n; i++) {
    const ns = `ns${i % 10}`;
    const c1 = `cluster${(i % m) + 1}`;
    const c2 = `cluster${((i + 3) % m) + 1}`;
    if (i % 4 === 3) {
      docs.push(`apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: config-${i}
  namespace: ${ns}
spec:
  template:
    data:
      key: value-${i}
      other: "${i}"
  placement:
    clusterSelector:
      matchLabels:
        tier: gold
  overrides:
  - clusterName: ${c1}
    clusterOverrides:
    - path: /data/key
      value: override-${i}
`);
      continue;
    }
    docs.push(`apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata:
  name: app-${i}
  namespace: ${ns}
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
            image: nginx:1.27
            ports:
            - containerPort: 80
            env:
            - name: INDEX
              value: "${i}"
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
      value: nginx:1.27-alpine
`);
  }
  return docs.join('---\n');
}
