package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	v1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/events"
	"k8s.io/klog/v2"
	schedulingapiv1 "k8s.io/kubernetes/pkg/apis/scheduling/v1"
	"k8s.io/kubernetes/pkg/scheduler"
	"k8s.io/kubernetes/pkg/scheduler/apis/config"
	"k8s.io/kubernetes/pkg/scheduler/apis/config/scheme"
	"k8s.io/kubernetes/pkg/scheduler/apis/config/validation"
	internalcache "k8s.io/kubernetes/pkg/scheduler/backend/cache"
	"k8s.io/kubernetes/pkg/scheduler/profile"
	"k8s.io/utils/ptr"
)

// clusterSpec is the decoded input of a full-profile scenario or a sequence run.
type clusterSpec struct {
	nodes      []json.RawMessage
	existing   []json.RawMessage
	namespaces []json.RawMessage
	objects    []json.RawMessage
}

// cluster is a fake API (clientset + informers) with a real kube-scheduler built on it by
// scheduler.New, as kube-scheduler's own tests do.
type cluster struct {
	ctx      context.Context
	cancel   context.CancelFunc
	cs       *fake.Clientset
	factory  informers.SharedInformerFactory
	sched    *scheduler.Scheduler
	snapshot *internalcache.Snapshot
	cfg      *config.KubeSchedulerConfiguration
	admit    *admitter

	nodeNames []string
	// pods are the admitted existing pods (in the clientset).
	pods []*v1.Pod
	// pending are the admitted pods to schedule (in the clientset unless newCluster was told not to).
	pending []*v1.Pod

	mu       sync.Mutex
	bindings map[string]string // ns/name -> node, from the binding subresource
	onBind   func(key, node string)
	// updateOnBind makes a binding set spec.nodeName in the fake API (the informer then confirms the
	// scheduler's assumed pod, as with a real apiserver).
	updateOnBind bool
}

// buildConfig builds the KubeSchedulerConfiguration exactly as kube-scheduler loads a config file:
// the v1 object is decoded strictly, defaulted and converted by the scheduler's config scheme,
// then validated. `profile` becomes the only profile; plugin args become pluginConfig entries of
// every profile (runner.ts appends them to the profile's pluginConfig). The oracle then asks for
// percentageOfNodesToScore 100 (all nodes).
func buildConfig(profileRaw, configRaw json.RawMessage, args map[string]json.RawMessage) (*config.KubeSchedulerConfiguration, error) {
	m := map[string]any{}
	if len(configRaw) > 0 && string(configRaw) != "null" {
		if err := json.Unmarshal(configRaw, &m); err != nil || m == nil {
			return nil, fmt.Errorf("config: not a JSON object")
		}
	}
	if _, ok := m["apiVersion"]; !ok {
		m["apiVersion"] = "kubescheduler.config.k8s.io/v1"
	}
	if _, ok := m["kind"]; !ok {
		m["kind"] = "KubeSchedulerConfiguration"
	}
	if len(profileRaw) > 0 && string(profileRaw) != "null" {
		if _, ok := m["profiles"]; ok {
			return nil, fmt.Errorf("give either profile or config.profiles, not both")
		}
		var p any
		if err := json.Unmarshal(profileRaw, &p); err != nil {
			return nil, fmt.Errorf("profile: %v", err)
		}
		m["profiles"] = []any{p}
	}
	if len(args) > 0 {
		profiles, _ := m["profiles"].([]any)
		if len(profiles) == 0 {
			profiles = []any{map[string]any{}}
		}
		for i, p := range profiles {
			pm, ok := p.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("profiles[%d]: not an object", i)
			}
			pcs, _ := pm["pluginConfig"].([]any)
			for _, name := range sortedKeys(args) {
				var a any
				if err := json.Unmarshal(args[name], &a); err != nil {
					return nil, fmt.Errorf("plugins.args.%s: %v", name, err)
				}
				pcs = append(pcs, map[string]any{"name": name, "args": a})
			}
			pm["pluginConfig"] = pcs
		}
		m["profiles"] = profiles
	}
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	obj, gvk, err := scheme.Codecs.UniversalDecoder().Decode(data, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("config: %v", err)
	}
	cfg, ok := obj.(*config.KubeSchedulerConfiguration)
	if !ok {
		return nil, fmt.Errorf("config: couldn't decode as KubeSchedulerConfiguration, got %s", gvk)
	}
	cfg.TypeMeta.APIVersion = gvk.GroupVersion().String()
	if err := validation.ValidateKubeSchedulerConfiguration(cfg); err != nil {
		return nil, fmt.Errorf("config rejected by validation: %v", err)
	}
	if len(cfg.Extenders) > 0 {
		return nil, fmt.Errorf("config: extenders are not supported by the oracle")
	}
	cfg.PercentageOfNodesToScore = ptr.To[int32](100)
	for i := range cfg.Profiles {
		cfg.Profiles[i].PercentageOfNodesToScore = nil
	}
	return cfg, nil
}

// newCluster admits the spec's objects into a fake clientset (namespaces, objects, nodes, existing
// pods, then `pending` pods), builds the real scheduler with scheduler.New on a shared informer
// factory, starts the informers and waits until the scheduler's cache and queue hold everything.
func newCluster(parent context.Context, cfg *config.KubeSchedulerConfiguration, spec clusterSpec, pending []*v1.Pod, addPending bool, warn func(string)) (_ *cluster, err error) {
	ctx, cancel := context.WithCancel(parent)
	c := &cluster{ctx: ctx, cancel: cancel, cfg: cfg, bindings: map[string]string{}}
	defer func() {
		if err != nil {
			c.close()
		}
	}()
	// The plain object tracker: NewClientset's field-managed tracker rebuilds a REST mapper on every
	// write, which dominated the sequence benchmark. Server-side apply is not needed here.
	c.cs = fake.NewSimpleClientset() //nolint:staticcheck // see above
	tracker := c.cs.Tracker()

	// Objects first: PriorityClasses must exist before pods are admitted.
	var objs []runtime.Object
	for i, raw := range spec.objects {
		o, err := decodeObject(raw, "")
		if err != nil {
			return nil, fmt.Errorf("objects[%d]: %v", i, err)
		}
		switch o.(type) {
		case *v1.Pod, *v1.Node:
			return nil, fmt.Errorf("objects[%d]: pods and nodes belong in existingPods and nodes", i)
		}
		objs = append(objs, o)
	}
	var namespaces []*v1.Namespace
	for i, raw := range spec.namespaces {
		ns, err := decodeNamespace(raw)
		if err != nil {
			return nil, fmt.Errorf("namespaces[%d]: %v", i, err)
		}
		namespaces = append(namespaces, ns)
	}
	var nodes []*v1.Node
	for i, raw := range spec.nodes {
		n, err := decodeNode(raw)
		if err != nil {
			return nil, fmt.Errorf("nodes[%d]: %v", i, err)
		}
		nodes = append(nodes, n)
	}
	var existing []*v1.Pod
	for i, raw := range spec.existing {
		p, err := decodePod(raw)
		if err != nil {
			return nil, fmt.Errorf("existingPods[%d]: %v", i, err)
		}
		existing = append(existing, p)
	}
	existing = uniquelyNamed(existing, "existing")

	c.admit = &admitter{}
	// The pod admission plugins read PriorityClasses and RuntimeClasses through informers, as in
	// kube-apiserver; they are set up once those objects are in the fake API.
	haveNS := sets.New[string]()
	for _, o := range objs {
		if ns, ok := o.(*v1.Namespace); ok {
			haveNS.Insert(ns.Name)
		}
	}
	for _, ns := range namespaces {
		haveNS.Insert(ns.Name)
	}
	// Every real cluster has the default namespace and the system PriorityClasses; pods' namespaces
	// must exist.
	needNS := sets.New(metav1.NamespaceDefault)
	for _, p := range append(append([]*v1.Pod{}, existing...), pending...) {
		if p.Namespace == "" {
			needNS.Insert(metav1.NamespaceDefault)
		} else {
			needNS.Insert(p.Namespace)
		}
	}
	for _, name := range sets.List(needNS.Difference(haveNS)) {
		namespaces = append(namespaces, &v1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}})
	}
	havePC := sets.New[string]()
	for _, o := range objs {
		if pc, ok := o.(*schedulingv1.PriorityClass); ok {
			havePC.Insert(pc.Name)
		}
	}
	for _, pc := range schedulingapiv1.SystemPriorityClasses() {
		if !havePC.Has(pc.Name) {
			objs = append(objs, pc.DeepCopy())
		}
	}
	add := func(o runtime.Object) error {
		admitted, err := c.admit.admit(ctx, o)
		if err != nil {
			return err
		}
		if err := tracker.Add(admitted); err != nil {
			return fmt.Errorf("adding to the fake API: %v", err)
		}
		return nil
	}
	for _, ns := range namespaces {
		if err := add(ns); err != nil {
			return nil, err
		}
	}
	for _, o := range objs {
		if err := add(o); err != nil {
			return nil, err
		}
	}
	pf := informers.NewSharedInformerFactory(c.cs, 0)
	if c.admit, err = newPodAdmission(c.cs, pf); err != nil {
		return nil, err
	}
	pf.Start(ctx.Done())
	pf.WaitForCacheSync(ctx.Done())

	nodeSeen := sets.New[string]()
	for i, n := range nodes {
		if n.Name == "" {
			return nil, fmt.Errorf("nodes[%d]: metadata.name: Required value", i)
		}
		if nodeSeen.Has(n.Name) {
			return nil, fmt.Errorf("nodes[%d]: duplicate node name %q", i, n.Name)
		}
		nodeSeen.Insert(n.Name)
		if err := add(n); err != nil {
			return nil, err
		}
		c.nodeNames = append(c.nodeNames, n.Name)
	}
	wantAssigned := 0
	for _, p := range existing {
		if p.Status.Phase == v1.PodSucceeded || p.Status.Phase == v1.PodFailed {
			// kube-scheduler's pod informer excludes terminal pods (a field selector the fake API ignores).
			warn(fmt.Sprintf("existing pod %s/%s ignored: phase %s (kube-scheduler does not watch terminal pods)", p.Namespace, p.Name, p.Status.Phase))
			continue
		}
		admitted, err := c.admit.admit(ctx, p)
		if err != nil {
			return nil, err
		}
		if err := tracker.Add(admitted); err != nil {
			return nil, fmt.Errorf("adding pod to the fake API: %v", err)
		}
		c.pods = append(c.pods, admitted.(*v1.Pod))
		if admitted.(*v1.Pod).Spec.NodeName != "" {
			wantAssigned++
		}
	}
	for _, p := range pending {
		admitted, err := c.admit.admit(ctx, p)
		if err != nil {
			return nil, err
		}
		ap := admitted.(*v1.Pod)
		c.pending = append(c.pending, ap)
		if addPending {
			if err := tracker.Add(ap); err != nil {
				return nil, fmt.Errorf("adding pod %s/%s to the fake API: %v", ap.Namespace, ap.Name, err)
			}
		}
	}

	c.cs.PrependReactor("create", "pods", func(action clienttesting.Action) (bool, runtime.Object, error) {
		if action.GetSubresource() != "binding" {
			return false, nil, nil
		}
		b := action.(clienttesting.CreateAction).GetObject().(*v1.Binding)
		ns := action.GetNamespace()
		key := ns + "/" + b.Name
		if c.updateOnBind {
			obj, err := tracker.Get(v1.SchemeGroupVersion.WithResource("pods"), ns, b.Name)
			if err != nil {
				return true, nil, err
			}
			pod := obj.(*v1.Pod).DeepCopy()
			if pod.Spec.NodeName != "" {
				return true, nil, apierrors.NewConflict(v1.Resource("pods/binding"), b.Name, fmt.Errorf("pod %v is already assigned to node %q", b.Name, pod.Spec.NodeName))
			}
			pod.Spec.NodeName = b.Target.Name
			if err := tracker.Update(v1.SchemeGroupVersion.WithResource("pods"), pod, ns); err != nil {
				return true, nil, err
			}
		}
		c.mu.Lock()
		c.bindings[key] = b.Target.Name
		onBind := c.onBind
		c.mu.Unlock()
		if onBind != nil {
			onBind(key, b.Target.Name)
		}
		return true, b, nil
	})

	c.factory = scheduler.NewInformerFactory(c.cs, 0, nil)
	c.snapshot = internalcache.NewEmptySnapshot()
	recorder := func(string) events.EventRecorderLogger { return &events.FakeRecorder{} }
	c.sched, err = scheduler.New(ctx, c.cs, c.factory, nil, profile.RecorderFactory(recorder),
		scheduler.WithComponentConfigVersion(cfg.TypeMeta.APIVersion),
		scheduler.WithProfiles(cfg.Profiles...),
		scheduler.WithParallelism(cfg.Parallelism),
		scheduler.WithPercentageOfNodesToScore(cfg.PercentageOfNodesToScore),
		scheduler.WithPodInitialBackoffSeconds(cfg.PodInitialBackoffSeconds),
		scheduler.WithPodMaxBackoffSeconds(cfg.PodMaxBackoffSeconds),
		scheduler.WithNodeInfoSnapshot(c.snapshot),
	)
	if err != nil {
		return nil, fmt.Errorf("scheduler.New: %v", err)
	}
	c.factory.Start(ctx.Done())
	c.factory.WaitForCacheSync(ctx.Done())

	// Wait until the event handlers have put every node and assigned pod into the scheduler cache
	// and every pending pod this scheduler is responsible for into its queue.
	wantPending := 0
	queuedPods := c.pods
	if addPending {
		queuedPods = append(append([]*v1.Pod{}, c.pods...), c.pending...)
	}
	for _, p := range queuedPods {
		if p.Spec.NodeName == "" && c.sched.Profiles.HandlesSchedulerName(p.Spec.SchedulerName) {
			wantPending++
		}
	}
	var got string
	nodesIn := 0
	err = wait.PollUntilContextTimeout(ctx, time.Millisecond, 60*time.Second, true, func(context.Context) (bool, error) {
		for nodesIn < len(c.nodeNames) {
			ni, err := c.sched.Cache.GetNode(c.nodeNames[nodesIn])
			if err != nil || ni.Node() == nil {
				break
			}
			nodesIn++
		}
		pods, _ := c.sched.Cache.PodCount()
		queued, _ := c.sched.SchedulingQueue.PendingPods()
		got = fmt.Sprintf("%d/%d nodes, %d/%d assigned pods, %d/%d pending pods", nodesIn, len(c.nodeNames), pods, wantAssigned, len(queued), wantPending)
		return nodesIn == len(c.nodeNames) && pods >= wantAssigned && len(queued) >= wantPending, nil
	})
	if err != nil {
		return nil, fmt.Errorf("the scheduler's cache and queue did not fill (%s): %v", got, err)
	}
	return c, nil
}

func (c *cluster) close() {
	if c.sched != nil {
		c.sched.SchedulingQueue.Close()
		_ = c.sched.Profiles.Close()
	}
	c.cancel()
	if c.factory != nil {
		c.factory.Shutdown()
	}
}

// deletedPods lists the pods deleted through the fake API, as "ns/name", sorted.
func (c *cluster) deletedPods() []string {
	var out []string
	for _, a := range c.cs.Actions() {
		if a.GetVerb() == "delete" && a.GetResource().Resource == "pods" && a.GetSubresource() == "" {
			out = append(out, a.GetNamespace()+"/"+a.(clienttesting.DeleteAction).GetName())
		}
		if a.GetVerb() == "create" && a.GetResource().Resource == "pods" && a.GetSubresource() == "eviction" {
			out = append(out, a.GetNamespace()+"/"+a.(clienttesting.CreateAction).GetObject().(metav1.Object).GetName())
		}
	}
	sort.Strings(out)
	return out
}

var errTimeout = errors.New("timed out")

var _ = klog.Background
