package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	fwk "k8s.io/kube-scheduler/framework"
	"k8s.io/kubernetes/pkg/scheduler/framework"
	frameworkplugins "k8s.io/kubernetes/pkg/scheduler/framework/plugins"
	plfeature "k8s.io/kubernetes/pkg/scheduler/framework/plugins/feature"
	schedmetrics "k8s.io/kubernetes/pkg/scheduler/metrics"
)

func TestMain(m *testing.M) {
	if os.Getenv("ORACLE_TEST_LOGS") == "" {
		setupLogging(-1)
	}
	installPanicRecorder()
	schedmetrics.Register()
	os.Exit(m.Run())
}

// The oracle's plugin-level registry must hold exactly the in-tree plugins.
func TestRegistryMatchesInTree(t *testing.T) {
	want := sets.New[string]()
	for name := range frameworkplugins.NewInTreeRegistry() {
		want.Insert(name)
	}
	got := sets.New[string]()
	for name := range pluginRegistry(plfeature.Features{}) {
		got.Insert(name)
	}
	if !want.Equal(got) {
		t.Fatalf("pluginRegistry differs from NewInTreeRegistry: missing %v, extra %v", sets.List(want.Difference(got)), sets.List(got.Difference(want)))
	}
}

// --- generated full-profile scenarios -------------------------------------------------------

type obj = map[string]any

func res(cpu string, mem string) obj {
	return obj{"requests": obj{"cpu": cpu, "memory": mem}}
}

func podObj(name, ns string, labels map[string]string, cpu, mem string, extra obj) obj {
	spec := obj{"containers": []any{obj{"name": "c", "image": "registry.k8s.io/pause:3.10", "resources": res(cpu, mem)}}}
	for k, v := range extra {
		spec[k] = v
	}
	meta := obj{"name": name, "namespace": ns}
	if len(labels) > 0 {
		meta["labels"] = labels
	}
	return obj{"metadata": meta, "spec": spec}
}

// genScenario builds a random full-profile scenario. Preemption scenarios make exactly one node
// hold a lower-priority victim so the nominated node is unique.
func genScenario(r *rand.Rand, i int) obj {
	zones := []string{"zone-a", "zone-b", "zone-c"}
	nNodes := 3 + r.Intn(6)
	var nodes []any
	for n := 0; n < nNodes; n++ {
		name := fmt.Sprintf("node-%d", n)
		cpu := []string{"2", "4", "8"}[r.Intn(3)]
		mem := []string{"4Gi", "8Gi", "16Gi"}[r.Intn(3)]
		spec := obj{}
		if r.Intn(6) == 0 {
			spec["taints"] = []any{obj{"key": "dedicated", "value": "infra", "effect": "NoSchedule"}}
		}
		if r.Intn(10) == 0 {
			spec["unschedulable"] = true
		}
		nodes = append(nodes, obj{
			"metadata": obj{"name": name, "labels": obj{"kubernetes.io/hostname": name, "topology.kubernetes.io/zone": zones[n%3], "disk": []string{"ssd", "hdd"}[r.Intn(2)]}},
			"spec":     spec,
			"status":   obj{"capacity": obj{"cpu": cpu, "memory": mem, "pods": "110"}, "allocatable": obj{"cpu": cpu, "memory": mem, "pods": "110"}},
		})
	}
	apps := []string{"web", "db", "cache"}
	var existing []any
	for p := 0; p < r.Intn(3*nNodes+1); p++ {
		extra := obj{"nodeName": fmt.Sprintf("node-%d", r.Intn(nNodes))}
		existing = append(existing, podObj(fmt.Sprintf("existing-%d", p), "default", map[string]string{"app": apps[r.Intn(3)]},
			[]string{"100m", "500m", "1", "1500m"}[r.Intn(4)], []string{"128Mi", "512Mi", "1Gi", "2Gi"}[r.Intn(4)], extra))
	}
	app := apps[r.Intn(3)]
	extra := obj{}
	if r.Intn(3) == 0 {
		extra["nodeSelector"] = obj{"disk": "ssd"}
	}
	if r.Intn(3) == 0 {
		extra["tolerations"] = []any{obj{"key": "dedicated", "operator": "Equal", "value": "infra", "effect": "NoSchedule"}}
	}
	switch r.Intn(4) {
	case 0:
		extra["affinity"] = obj{"podAntiAffinity": obj{"preferredDuringSchedulingIgnoredDuringExecution": []any{obj{"weight": 10,
			"podAffinityTerm": obj{"topologyKey": "kubernetes.io/hostname", "labelSelector": obj{"matchLabels": obj{"app": app}}}}}}}
	case 1:
		extra["topologySpreadConstraints"] = []any{obj{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
			"whenUnsatisfiable": []string{"DoNotSchedule", "ScheduleAnyway"}[r.Intn(2)], "labelSelector": obj{"matchLabels": obj{"app": app}}}}
	case 2:
		extra["affinity"] = obj{"podAffinity": obj{"requiredDuringSchedulingIgnoredDuringExecution": []any{obj{
			"topologyKey": "topology.kubernetes.io/zone", "labelSelector": obj{"matchLabels": obj{"app": app}}}}}}
	}
	cpu := []string{"100m", "1", "2", "3", "6"}[r.Intn(5)]
	pod := podObj("incoming", "default", map[string]string{"app": app}, cpu, []string{"256Mi", "1Gi", "4Gi"}[r.Intn(3)], extra)
	return obj{"id": fmt.Sprintf("generated-%d", i), "pod": pod, "nodes": nodes, "existingPods": existing,
		"expect": obj{"scheduledOn": []any{}}}
}

// genPreemption builds a scenario where nothing fits and preemption has one best candidate.
func genPreemption(i int, withPDB bool) obj {
	var nodes, existing []any
	for n := 0; n < 3; n++ {
		name := fmt.Sprintf("node-%d", n)
		nodes = append(nodes, obj{"metadata": obj{"name": name, "labels": obj{"kubernetes.io/hostname": name}},
			"status": obj{"allocatable": obj{"cpu": "2", "memory": "4Gi", "pods": "110"}, "capacity": obj{"cpu": "2", "memory": "4Gi", "pods": "110"}}})
		class := "high"
		if n == 1 {
			class = "low"
		}
		existing = append(existing,
			podObj(fmt.Sprintf("victim-%d-a", n), "default", map[string]string{"app": "batch"}, "1500m", "1Gi", obj{"nodeName": name, "priorityClassName": class}),
			podObj(fmt.Sprintf("victim-%d-b", n), "default", map[string]string{"app": "batch"}, "100m", "1Gi", obj{"nodeName": name, "priorityClassName": class}))
	}
	objects := []any{
		obj{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": obj{"name": "low"}, "value": 10},
		obj{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": obj{"name": "high"}, "value": 1000},
		obj{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": obj{"name": "urgent"}, "value": 100000},
	}
	if withPDB {
		objects = append(objects, obj{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": obj{"name": "batch", "namespace": "default"},
			"spec": obj{"maxUnavailable": 0, "selector": obj{"matchLabels": obj{"app": "batch"}}}})
	}
	pod := podObj("incoming", "default", nil, "1", "1Gi", obj{"priorityClassName": "urgent"})
	return obj{"id": fmt.Sprintf("preemption-%d", i), "pod": pod, "nodes": nodes, "existingPods": existing, "objects": objects,
		"expect": obj{"scheduledOn": []any{}}}
}

// realScheduleOne schedules the scenario's pod with the real Scheduler.ScheduleOne (its own
// queue, schedulePod, PostFilter, binding cycle) on the same kind of fake cluster, and reports the
// bound node, or the FailedScheduling message, and the pods deleted by preemption.
func realScheduleOne(t *testing.T, raw json.RawMessage) (node, failure string, victims []string) {
	t.Helper()
	var s Scenario
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	gates := &globalGates{}
	defer gates.reset()
	gates.apply(s.features())
	cfg, err := buildConfig(s.Profile, s.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	pod, err := decodePod(s.Pod)
	if err != nil {
		t.Fatal(err)
	}
	c, err := newCluster(context.Background(), cfg, clusterSpec{nodes: s.Nodes, existing: s.ExistingPods, namespaces: s.Namespaces, objects: s.Objects},
		[]*v1.Pod{pod}, true, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	var mu sync.Mutex
	done := make(chan struct{}, 2)
	c.onBind = func(key, n string) {
		mu.Lock()
		node = n
		mu.Unlock()
		done <- struct{}{}
	}
	orig := c.sched.FailureHandler
	c.sched.FailureHandler = func(ctx context.Context, f framework.Framework, pi *framework.QueuedPodInfo, st *fwk.Status, ni *fwk.NominatingInfo, start time.Time) {
		mu.Lock()
		failure = st.Message()
		mu.Unlock()
		orig(ctx, f, pi, st, ni, start)
		done <- struct{}{}
	}
	c.sched.ScheduleOne(c.ctx)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("ScheduleOne neither bound nor failed the pod within 30s")
	}
	if failure != "" {
		// Let an asynchronous preemption finish before reading its deletions.
		if _, err := c.waitForPreemption(c.sched.Profiles[c.pending[0].Spec.SchedulerName], c.pending[0]); err != nil {
			t.Fatal(err)
		}
		victims = c.deletedPods()
	}
	mu.Lock()
	defer mu.Unlock()
	return node, failure, victims
}

func TestOracleMatchesScheduleOne(t *testing.T) {
	r := rand.New(rand.NewSource(20260101))
	var scenarios []obj
	for i := 0; i < 40; i++ {
		scenarios = append(scenarios, genScenario(r, i))
	}
	scenarios = append(scenarios, genPreemption(0, false), genPreemption(1, true))
	// A profile with only some score plugins, and a config with a custom weight and strategy.
	p := genScenario(r, 100)
	p["profile"] = obj{"schedulerName": "default-scheduler", "plugins": obj{"score": obj{"disabled": []any{obj{"name": "NodeResourcesBalancedAllocation"}}}}}
	scenarios = append(scenarios, p)
	q := genScenario(r, 101)
	q["config"] = obj{"apiVersion": "kubescheduler.config.k8s.io/v1", "kind": "KubeSchedulerConfiguration",
		"profiles": []any{obj{"schedulerName": "default-scheduler",
			"plugins":      obj{"score": obj{"enabled": []any{obj{"name": "NodeResourcesFit", "weight": 5}}}},
			"pluginConfig": []any{obj{"name": "NodeResourcesFit", "args": obj{"scoringStrategy": obj{"type": "MostAllocated"}}}}}}}
	scenarios = append(scenarios, q)

	// A PreFilterResult (matchFields on metadata.name), a nominated node, and a bound PVC whose PV
	// is pinned to one node.
	pf := genScenario(r, 102)
	pf["pod"].(obj)["spec"].(obj)["affinity"] = obj{"nodeAffinity": obj{"requiredDuringSchedulingIgnoredDuringExecution": obj{
		"nodeSelectorTerms": []any{obj{"matchFields": []any{obj{"key": "metadata.name", "operator": "In", "values": []any{"node-1"}}}}}}}}
	scenarios = append(scenarios, pf)
	nn := genPreemption(103, false)
	nn["pod"] = podObj("incoming", "default", nil, "100m", "100Mi", nil)
	nn["pod"].(obj)["status"] = obj{"nominatedNodeName": "node-2"}
	scenarios = append(scenarios, nn)
	vol := genScenario(r, 104)
	vol["pod"].(obj)["spec"].(obj)["volumes"] = []any{obj{"name": "data", "persistentVolumeClaim": obj{"claimName": "data"}}}
	vol["objects"] = []any{
		obj{"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": obj{"name": "local"}, "provisioner": "kubernetes.io/no-provisioner", "volumeBindingMode": "WaitForFirstConsumer"},
		obj{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": obj{"name": "pv-1"}, "spec": obj{
			"capacity": obj{"storage": "10Gi"}, "accessModes": []any{"ReadWriteOnce"}, "storageClassName": "local",
			"local": obj{"path": "/mnt/disk"}, "claimRef": obj{"namespace": "default", "name": "data"},
			"nodeAffinity": obj{"required": obj{"nodeSelectorTerms": []any{obj{"matchExpressions": []any{obj{"key": "kubernetes.io/hostname", "operator": "In", "values": []any{"node-1"}}}}}}}},
			"status": obj{"phase": "Bound"}},
		obj{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": obj{"name": "data", "namespace": "default",
			"annotations": obj{"pv.kubernetes.io/bind-completed": "yes"}}, "spec": obj{
			"accessModes": []any{"ReadWriteOnce"}, "storageClassName": "local", "volumeName": "pv-1", "resources": obj{"requests": obj{"storage": "10Gi"}}},
			"status": obj{"phase": "Bound"}},
	}
	scenarios = append(scenarios, vol)
	if dir := os.Getenv("ORACLE_DUMP_SCENARIOS"); dir != "" {
		b, _ := json.MarshalIndent(scenarios, "", " ")
		_ = os.WriteFile(dir+"/generated.json", b, 0o644)
	}

	var bound, failed, preempted int
	for _, sc := range scenarios {
		raw, _ := json.Marshal(sc)
		id := sc["id"].(string)
		t.Run(id, func(t *testing.T) {
			out := runScenario(context.Background(), raw, &globalGates{})
			if out.Error != "" {
				t.Fatalf("oracle error: %s", out.Error)
			}
			node, failure, victims := realScheduleOne(t, raw)
			t.Logf("ScheduleOne: node %q failure %q; oracle selected %v", node, failure, describe(out.Selected))
			if id == "preemption-103" && (node != "node-2" || describe(out.Selected) != `["node-2"]`) {
				t.Errorf("the nominated node that fits must be chosen")
			}
			switch {
			case node != "":
				bound++
				if out.Selected == nil || !sets.New(*out.Selected...).Has(node) {
					t.Errorf("ScheduleOne bound the pod to %s; oracle selected %v (nodes %s)", node, out.Selected, describe(out.Nodes))
				}
			default:
				failed++
				if failure != out.Failure {
					t.Errorf("FailedScheduling message differs\n  ScheduleOne: %s\n  oracle:      %s", failure, out.Failure)
				}
				if out.Selected == nil || len(*out.Selected) != 0 {
					t.Errorf("ScheduleOne failed but the oracle selected %v", out.Selected)
				}
				if out.Preemption != nil && out.Preemption.NominatedNode != "" {
					preempted++
					sort.Strings(victims)
					if describe(victims) != describe(out.Preemption.Victims) {
						t.Errorf("victims differ: ScheduleOne deleted %v, oracle %v", victims, out.Preemption.Victims)
					}
				}
			}
		})
	}
	t.Logf("%d scenarios: %d bound, %d unschedulable (%d with preemption)", len(scenarios), bound, failed, preempted)
	if preempted < 1 {
		t.Errorf("no scenario exercised preemption")
	}
}

// PodDisruptionBudgets from `objects` reach DefaultPreemption: of two otherwise equal candidates,
// the one whose victim no PDB protects is nominated.
func TestPreemptionSeesPDB(t *testing.T) {
	sc := genPreemption(200, false)
	existing := sc["existingPods"].([]any)
	for _, e := range existing {
		p := e.(obj)
		spec := p["spec"].(obj)
		if spec["nodeName"] == "node-2" {
			spec["priorityClassName"] = "low"
		}
		if spec["nodeName"] == "node-1" {
			p["metadata"].(obj)["labels"] = map[string]string{"app": "protected"}
		}
	}
	sc["objects"] = append(sc["objects"].([]any), obj{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
		"metadata": obj{"name": "protected", "namespace": "default"},
		"spec":     obj{"maxUnavailable": 0, "selector": obj{"matchLabels": obj{"app": "protected"}}}})
	raw, _ := json.Marshal(sc)
	out := runScenario(context.Background(), raw, &globalGates{})
	if out.Error != "" {
		t.Fatal(out.Error)
	}
	if out.Preemption == nil || out.Preemption.NominatedNode != "node-2" || describe(out.Preemption.Victims) != `["default/victim-2-a"]` {
		t.Fatalf("preemption = %s, want node-2 with victim default/victim-2-a", describe(out.Preemption))
	}
}

// Every scenario of the shared corpus runs without an oracle error; disagreements with the corpus
// (upstream commits other than v1.37.2) are logged, not failures.
func TestConformanceCorpus(t *testing.T) {
	const dir = "/work/shared/conformance"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no corpus at " + dir)
	}
	results, err := checkCorpus([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	agree := 0
	for _, r := range results {
		if r.Agrees {
			agree++
			continue
		}
		for _, f := range r.Failures {
			if len(f) > 13 && f[:13] == "oracle error:" {
				t.Errorf("%s: %s", r.ID, f)
			}
		}
		t.Logf("disagrees: %s: %v", r.ID, r.Failures)
	}
	t.Logf("v1.37.2 agrees with %d of %d scenarios", agree, len(results))
}

// A small sequence: every pod gets an outcome, and no node is overcommitted.
func TestSequence(t *testing.T) {
	var nodes, pods []json.RawMessage
	for n := 0; n < 10; n++ {
		b, _ := json.Marshal(obj{"metadata": obj{"name": fmt.Sprintf("n%d", n), "labels": obj{"topology.kubernetes.io/zone": fmt.Sprintf("z%d", n%2)}},
			"status": obj{"allocatable": obj{"cpu": "4", "memory": "8Gi", "pods": "110"}}})
		nodes = append(nodes, b)
	}
	for p := 0; p < 60; p++ {
		b, _ := json.Marshal(podObj(fmt.Sprintf("p%d", p), "default", nil, "1", "1Gi", nil))
		pods = append(pods, b)
	}
	out, err := runSequence(context.Background(), &sequenceInput{Nodes: nodes, Pods: pods}, sequenceOptions{updateOnBind: true})
	if err != nil {
		t.Fatal(err)
	}
	perNode := map[string]int{}
	for _, o := range out.outcomes {
		if o.Node != "" {
			perNode[o.Node]++
		} else if o.Failure == "" {
			t.Errorf("%s: neither node nor failure", o.Pod)
		}
	}
	for n, k := range perNode {
		if k > 4 {
			t.Errorf("node %s got %d pods of 1 cpu on 4 cpus", n, k)
		}
	}
	if out.summary.Scheduled != 40 || out.summary.Pods != 60 {
		t.Errorf("summary %+v, want 40 of 60 scheduled", out.summary)
	}
	if out.outcomes[59].Failure != "0/10 nodes are available: 10 Insufficient cpu. preemption: 0/10 nodes are available: 10 No preemption victims found for incoming pod." {
		t.Errorf("failure of the last pod: %q", out.outcomes[59].Failure)
	}
}

// Pods are admitted as kube-apiserver admits them: DefaultTolerationSeconds lets a pod tolerate
// the not-ready NoExecute taint; RuntimeClass adds its overhead and node selector.
func TestAdmission(t *testing.T) {
	node := func(name string, taint bool) obj {
		n := obj{"metadata": obj{"name": name, "labels": obj{"sandbox": name}},
			"status": obj{"allocatable": obj{"cpu": "2", "memory": "4Gi", "pods": "110"}}}
		if taint {
			n["spec"] = obj{"taints": []any{obj{"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}}}
		}
		return n
	}
	sc := obj{"id": "admission", "nodes": []any{node("node-0", true), node("node-1", false)},
		"pod": podObj("p", "default", nil, "100m", "100Mi", nil), "expect": obj{"scheduledOn": []any{}}}
	raw, _ := json.Marshal(sc)
	out := runScenario(context.Background(), raw, &globalGates{})
	if out.Error != "" || out.Nodes["node-0"].Filter != "Success" {
		t.Fatalf("DefaultTolerationSeconds: %s", describe(out))
	}
	sc["objects"] = []any{obj{"apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass", "metadata": obj{"name": "gvisor"}, "handler": "runsc",
		"overhead":   obj{"podFixed": obj{"cpu": "1900m"}},
		"scheduling": obj{"nodeSelector": obj{"sandbox": "node-1"}}}}
	sc["pod"] = podObj("p", "default", nil, "100m", "100Mi", obj{"runtimeClassName": "gvisor"})
	raw, _ = json.Marshal(sc)
	out = runScenario(context.Background(), raw, &globalGates{})
	if out.Error != "" || describe(out.Selected) != `["node-1"]` {
		t.Fatalf("RuntimeClass node selector: %s", describe(out))
	}
	sc["pod"] = podObj("p", "default", nil, "200m", "100Mi", obj{"runtimeClassName": "gvisor"})
	raw, _ = json.Marshal(sc)
	out = runScenario(context.Background(), raw, &globalGates{})
	if out.Error != "" || out.Failure == "" || describe(out.Nodes["node-1"].Filter) != `{"code":"UnschedulableAndUnresolvable","plugin":"NodeResourcesFit","reasons":["Insufficient cpu"]}` {
		t.Fatalf("RuntimeClass overhead: %s", describe(out))
	}
}
