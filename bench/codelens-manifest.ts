/**
 * The manifest both CodeLens benchmarks open: `specs` pod templates, alternating a Pod and a
 * 3-replica Deployment with a zone spread constraint, in namespaces `<nsPrefix><i % nsCount>`.
 * `editCpu(i)` is template i's CPU request, so that an edit changes exactly the templates it names.
 */
export function manifest(specs: number, editCpu: (i: number) => string, nsPrefix = 'ns-', nsCount = 20): string {
  const docs: string[] = [];
  for (let i = 0; i < specs; i++) {
    const cpu = editCpu(i);
    const ns = `${nsPrefix}${i % nsCount}`;
    if (i % 2 === 0) {
      docs.push(`apiVersion: v1
kind: Pod
metadata:
  name: pod-${i}
  namespace: ${ns}
  labels: { app: web-${i} }
spec:
  containers:
    - name: c
      image: img-${i % 30}
      resources:
        requests: { cpu: "${cpu}", memory: 1Gi }
`);
    } else {
      docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: deploy-${i}
  namespace: ${ns}
spec:
  replicas: 3
  selector: { matchLabels: { app: d-${i} } }
  template:
    metadata:
      labels: { app: d-${i} }
    spec:
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: d-${i} } } }
      containers:
        - name: c
          image: img-${i % 30}
          resources:
            requests: { cpu: "${cpu}", memory: 2Gi }
`);
    }
  }
  return docs.join('---\n');
}
