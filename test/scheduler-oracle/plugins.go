package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/events"
	resourceslicetracker "k8s.io/dynamic-resource-allocation/resourceslice/tracker"
	"k8s.io/klog/v2"
	fwk "k8s.io/kube-scheduler/framework"
	"k8s.io/kubernetes/pkg/features"
	"k8s.io/kubernetes/pkg/scheduler/apis/config"
	"k8s.io/kubernetes/pkg/scheduler/apis/config/scheme"
	configv1 "k8s.io/kubernetes/pkg/scheduler/apis/config/v1"
	internalcache "k8s.io/kubernetes/pkg/scheduler/backend/cache"
	"k8s.io/kubernetes/pkg/scheduler/framework"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/defaultbinder"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/defaultpreemption"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/deferredpodscheduling"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/dynamicresources"
	plfeature "k8s.io/kubernetes/pkg/scheduler/framework/plugins/feature"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/gangscheduling"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/imagelocality"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/interpodaffinity"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/nodeaffinity"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/nodedeclaredfeatures"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/nodename"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/nodeports"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/noderesources"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/nodeunschedulable"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/nodevolumelimits"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/podgrouppodscount"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/podtopologyspread"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/queuesort"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/schedulinggates"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/tainttoleration"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/topologyaware"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/volumebinding"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/volumerestrictions"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/volumezone"
	frameworkruntime "k8s.io/kubernetes/pkg/scheduler/framework/runtime"
	"k8s.io/kubernetes/pkg/scheduler/util/assumecache"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
)

// pluginRegistry is plugins.NewInTreeRegistry() with the plugin features given explicitly instead
// of read from the process-wide gate (the upstream plugin unit tests' FactoryAdapter(Features{...}, New)).
// registry_test.go checks that it names exactly the in-tree plugins.
func pluginRegistry(fts plfeature.Features) frameworkruntime.Registry {
	return frameworkruntime.Registry{
		dynamicresources.Name:                frameworkruntime.FactoryAdapter(fts, dynamicresources.New),
		imagelocality.Name:                   imagelocality.New,
		tainttoleration.Name:                 frameworkruntime.FactoryAdapter(fts, tainttoleration.New),
		nodename.Name:                        frameworkruntime.FactoryAdapter(fts, nodename.New),
		nodeports.Name:                       frameworkruntime.FactoryAdapter(fts, nodeports.New),
		nodeaffinity.Name:                    frameworkruntime.FactoryAdapter(fts, nodeaffinity.New),
		nodedeclaredfeatures.Name:            frameworkruntime.FactoryAdapter(fts, nodedeclaredfeatures.New),
		podtopologyspread.Name:               frameworkruntime.FactoryAdapter(fts, podtopologyspread.New),
		deferredpodscheduling.Name:           frameworkruntime.FactoryAdapter(fts, deferredpodscheduling.New),
		nodeunschedulable.Name:               frameworkruntime.FactoryAdapter(fts, nodeunschedulable.New),
		noderesources.Name:                   frameworkruntime.FactoryAdapter(fts, noderesources.NewFit),
		noderesources.BalancedAllocationName: frameworkruntime.FactoryAdapter(fts, noderesources.NewBalancedAllocation),
		volumebinding.Name:                   frameworkruntime.FactoryAdapter(fts, volumebinding.New),
		volumerestrictions.Name:              frameworkruntime.FactoryAdapter(fts, volumerestrictions.New),
		volumezone.Name:                      frameworkruntime.FactoryAdapter(fts, volumezone.New),
		nodevolumelimits.CSIName:             frameworkruntime.FactoryAdapter(fts, nodevolumelimits.NewCSI),
		interpodaffinity.Name:                frameworkruntime.FactoryAdapter(fts, interpodaffinity.New),
		queuesort.Name:                       queuesort.New,
		defaultbinder.Name:                   defaultbinder.New,
		defaultpreemption.Name:               frameworkruntime.FactoryAdapter(fts, defaultpreemption.New),
		schedulinggates.Name:                 frameworkruntime.FactoryAdapter(fts, schedulinggates.New),
		gangscheduling.Name:                  frameworkruntime.FactoryAdapter(fts, gangscheduling.New),
		topologyaware.Name:                   frameworkruntime.FactoryAdapter(fts, topologyaware.New),
		podgrouppodscount.Name:               frameworkruntime.FactoryAdapter(fts, podgrouppodscount.New),
	}
}

// pluginArgs turns a v1 args object (camelCase JSON, as in a KubeSchedulerConfiguration's
// pluginConfig) into the internal args the plugin factory takes: strict decoding, v1 defaulting,
// conversion, as kube-scheduler does for pluginConfig. Absent args are the v1 defaults. Plugins
// without an args type get nil.
func pluginArgs(name string, raw json.RawMessage) (runtime.Object, error) {
	gvk := configv1.SchemeGroupVersion.WithKind(name + "Args")
	if !scheme.Scheme.Recognizes(gvk) {
		if len(raw) > 0 && string(raw) != "null" && string(raw) != "{}" {
			return nil, fmt.Errorf("plugin %s takes no args", name)
		}
		return nil, nil
	}
	var versioned runtime.Object
	if len(raw) > 0 && string(raw) != "null" {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil || m == nil {
			return nil, fmt.Errorf("args of %s: not a JSON object", name)
		}
		m["apiVersion"], _ = json.Marshal(gvk.GroupVersion().String())
		m["kind"], _ = json.Marshal(gvk.Kind)
		data, _ := json.Marshal(m)
		obj, _, err := scheme.Codecs.UniversalDeserializer().Decode(data, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("args of %s: %v", name, err)
		}
		versioned = obj
	} else {
		obj, err := scheme.Scheme.New(gvk)
		if err != nil {
			return nil, err
		}
		versioned = obj
	}
	scheme.Scheme.Default(versioned)
	internal, err := scheme.Scheme.New(config.SchemeGroupVersion.WithKind(name + "Args"))
	if err != nil {
		return nil, err
	}
	if err := scheme.Scheme.Convert(versioned, internal, nil); err != nil {
		return nil, fmt.Errorf("args of %s: %v", name, err)
	}
	return internal, nil
}

// runPlugins runs a plugin-level scenario as upstream's plugin unit tests and runner.ts's
// runPluginLevel do: plugins are built directly from their factories with plfeature.Features
// holding only the scenario's gates, over a snapshot made with cache.NewSnapshot.
func runPlugins(ctx context.Context, s *Scenario, res *Result) error {
	res.Mode = "plugins"
	if s.Plugins == nil || s.Plugins.Filter == nil || s.Plugins.Score == nil {
		return fmt.Errorf("plugins.filter and plugins.score: Required value")
	}
	fts, warnings := pluginFeatures(s.Plugins.Features)
	res.Warnings = append(res.Warnings, warnings...)

	pod, err := decodePod(s.Pod)
	if err != nil {
		return fmt.Errorf("pod: %v", err)
	}
	var nodes []*v1.Node
	nodeByName := map[string]bool{}
	for i, raw := range s.Nodes {
		n, err := decodeNode(raw)
		if err != nil {
			return fmt.Errorf("nodes[%d]: %v", i, err)
		}
		if n.Name == "" {
			return fmt.Errorf("nodes[%d]: metadata.name: Required value", i)
		}
		if nodeByName[n.Name] {
			return fmt.Errorf("nodes[%d]: duplicate node name %q", i, n.Name)
		}
		nodeByName[n.Name] = true
		nodes = append(nodes, n)
	}
	var existing []*v1.Pod
	for i, raw := range s.ExistingPods {
		p, err := decodePod(raw)
		if err != nil {
			return fmt.Errorf("existingPods[%d]: %v", i, err)
		}
		existing = append(existing, p)
	}
	// As upstream's SetupPluginWithInformers: an empty-named namespace, then the scenario's objects.
	objs := []runtime.Object{&v1.Namespace{}}
	for i, raw := range s.Namespaces {
		ns, err := decodeNamespace(raw)
		if err != nil {
			return fmt.Errorf("namespaces[%d]: %v", i, err)
		}
		objs = append(objs, ns)
	}
	for i, raw := range s.Objects {
		o, err := decodeObject(raw, "")
		if err != nil {
			return fmt.Errorf("objects[%d]: %v", i, err)
		}
		objs = append(objs, o)
	}
	for _, n := range nodes {
		objs = append(objs, n)
	}
	// Pods go to the clientset under unique names (upstream pods are often nameless or identical);
	// the snapshot keeps them exactly as given.
	for _, p := range uniquelyNamed(existing, "existing") {
		objs = append(objs, p)
	}
	cs := fake.NewClientset()
	for _, o := range objs {
		if err := cs.Tracker().Add(o); err != nil {
			return fmt.Errorf("adding %T to the fake clientset: %v", o, err)
		}
	}

	snapshot := internalcache.NewSnapshot(existing, nodes)
	factory := informers.NewSharedInformerFactory(cs, 0)
	opts := []frameworkruntime.Option{
		frameworkruntime.WithSnapshotSharedLister(snapshot),
		frameworkruntime.WithMutableSnapshotLister(snapshot),
		frameworkruntime.WithInformerFactory(factory),
		frameworkruntime.WithClientSet(cs),
		frameworkruntime.WithEventRecorder(&events.FakeRecorder{}),
		frameworkruntime.WithSharedCSIManager(nodevolumelimits.NewCSIManager(factory.Storage().V1().CSINodes().Lister())),
		frameworkruntime.WithWaitingPods(frameworkruntime.NewWaitingPodsMap()),
		frameworkruntime.WithPodsInPreBind(frameworkruntime.NewPodsInPreBindMap()),
	}
	names := append([]string{}, s.Plugins.Filter...)
	for _, sp := range s.Plugins.Score {
		names = append(names, sp.Name)
	}
	if sets.New(names...).Has(dynamicresources.Name) {
		dra, err := newDRAManager(ctx, cs, factory)
		if err != nil {
			return err
		}
		opts = append(opts, frameworkruntime.WithSharedDRAManager(dra))
	}
	fh, err := frameworkruntime.NewFramework(ctx, nil, nil, opts...)
	if err != nil {
		return fmt.Errorf("creating the framework handle: %v", err)
	}
	registry := pluginRegistry(fts)
	plugins := map[string]fwk.Plugin{}
	for _, name := range names {
		if _, ok := plugins[name]; ok {
			continue
		}
		factoryFn, ok := registry[name]
		if !ok {
			return fmt.Errorf("plugin %s is not an in-tree plugin of k8s.io/kubernetes v1.37.2", name)
		}
		args, err := pluginArgs(name, s.Plugins.Args[name])
		if err != nil {
			return err
		}
		p, err := factoryFn(ctx, args, fh)
		if err != nil {
			return fmt.Errorf("initializing plugin %q: %v", name, err)
		}
		plugins[name] = p
	}
	for name := range s.Plugins.Args {
		if _, ok := plugins[name]; !ok {
			res.Warnings = append(res.Warnings, fmt.Sprintf("args for %s ignored: the plugin is not listed", name))
		}
	}
	factory.Start(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())

	state := framework.NewCycleState()
	allNodes, err := snapshot.NodeInfos().List()
	if err != nil {
		return err
	}

	if len(s.Plugins.Filter) > 0 {
		skip := sets.New[string]()
		var preStatus *fwk.Status
		prePlugin := ""
		anyPreFilter, allSkipped := false, true
		var merged *fwk.PreFilterResult
		for _, name := range s.Plugins.Filter {
			pl, ok := plugins[name].(fwk.PreFilterPlugin)
			if !ok {
				continue
			}
			anyPreFilter = true
			r, st := pl.PreFilter(ctx, state, pod, allNodes)
			if st.IsSkip() {
				skip.Insert(name)
				continue
			}
			allSkipped = false
			if !st.IsSuccess() {
				if preStatus == nil {
					preStatus, prePlugin = st, name
				}
				continue
			}
			merged = merged.Merge(r)
		}
		state.SetSkipFilterPlugins(skip)
		switch {
		case anyPreFilter && allSkipped:
			res.PreFilter = "Skip"
		default:
			res.PreFilter = encodeStatus(preStatus, prePlugin)
		}
		if merged.AllNodes() {
			res.PreFilterResult = jsonNull
		} else {
			res.PreFilterResult = nodeNameList(sets.List(merged.NodeNames))
		}
		res.Filter = map[string]any{}
		for _, n := range nodes {
			ni, err := snapshot.NodeInfos().Get(n.Name)
			if err != nil {
				return err
			}
			var st *fwk.Status
			failed := ""
			for _, name := range s.Plugins.Filter {
				pl, ok := plugins[name].(fwk.FilterPlugin)
				if !ok || skip.Has(name) {
					continue
				}
				if r := pl.Filter(ctx, state, pod, ni); !r.IsSuccess() {
					st, failed = r, name
					break
				}
			}
			res.Filter[n.Name] = encodeStatus(st, failed)
		}
	}

	if len(s.Plugins.Score) > 0 {
		candidates := make([]fwk.NodeInfo, 0, len(nodes))
		if s.FeasibleNodes != nil {
			for _, name := range *s.FeasibleNodes {
				if !nodeByName[name] {
					return fmt.Errorf("feasibleNodes: %s is not among the scenario's nodes", name)
				}
				ni, _ := snapshot.NodeInfos().Get(name)
				candidates = append(candidates, ni)
			}
		} else {
			for _, n := range nodes {
				ni, _ := snapshot.NodeInfos().Get(n.Name)
				candidates = append(candidates, ni)
			}
		}
		skip := sets.New[string]()
		var preStatus *fwk.Status
		prePlugin := ""
		anyPreScore, allSkipped := false, true
		for _, sp := range s.Plugins.Score {
			pl, ok := plugins[sp.Name].(fwk.PreScorePlugin)
			if !ok {
				allSkipped = false
				continue
			}
			anyPreScore = true
			st := pl.PreScore(ctx, state, pod, candidates)
			if st.IsSkip() {
				skip.Insert(sp.Name)
				continue
			}
			allSkipped = false
			if !st.IsSuccess() && preStatus == nil {
				preStatus, prePlugin = st, sp.Name
			}
		}
		state.SetSkipScorePlugins(skip)
		if anyPreScore && allSkipped {
			res.PreScore = "Skip"
		} else {
			res.PreScore = encodeStatus(preStatus, prePlugin)
		}
		if preStatus == nil {
			res.Scores = map[string]map[string]PluginScore{}
			res.Totals = map[string]int64{}
			for _, ni := range candidates {
				res.Scores[ni.Node().Name] = map[string]PluginScore{}
				res.Totals[ni.Node().Name] = 0
			}
			done := sets.New[string]()
			for _, sp := range s.Plugins.Score {
				if skip.Has(sp.Name) || done.Has(sp.Name) {
					continue
				}
				done.Insert(sp.Name)
				pl, ok := plugins[sp.Name].(fwk.ScorePlugin)
				if !ok {
					return fmt.Errorf("plugin %s is not a Score plugin", sp.Name)
				}
				list := make(fwk.NodeScoreList, 0, len(candidates))
				var failed *fwk.Status
				for _, ni := range candidates {
					score, st := pl.Score(ctx, state, pod, ni)
					if !st.IsSuccess() {
						failed = st
						break
					}
					list = append(list, fwk.NodeScore{Name: ni.Node().Name, Score: score})
				}
				if failed == nil {
					raw := map[string]int64{}
					for _, ns := range list {
						raw[ns.Name] = ns.Score
					}
					if ext := pl.ScoreExtensions(); ext != nil {
						if st := ext.NormalizeScore(ctx, state, pod, list); !st.IsSuccess() {
							failed = st
						}
					}
					if failed == nil {
						for _, ns := range list {
							res.Scores[ns.Name][sp.Name] = PluginScore{Raw: raw[ns.Name], Normalized: ns.Score, Weighted: ns.Score * sp.Weight}
							res.Totals[ns.Name] += ns.Score * sp.Weight
						}
					}
				}
				if failed != nil {
					if res.ScoreErrors == nil {
						res.ScoreErrors = map[string]any{}
					}
					res.ScoreErrors[sp.Name] = encodeStatus(failed, sp.Name)
				}
			}
		}
	}
	return nil
}

// newDRAManager builds the shared DRA manager as scheduler.New does.
func newDRAManager(ctx context.Context, cs *fake.Clientset, factory informers.SharedInformerFactory) (fwk.SharedDRAManager, error) {
	logger := klog.FromContext(ctx)
	claimCache := assumecache.NewAssumeCache(logger, factory.Resource().V1().ResourceClaims().Informer(), "ResourceClaim", "", nil)
	opts := resourceslicetracker.Options{
		EnableDeviceTaintRules:   utilfeature.DefaultFeatureGate.Enabled(features.DRADeviceTaintRules),
		EnableConsumableCapacity: utilfeature.DefaultFeatureGate.Enabled(features.DRAConsumableCapacity),
		SliceInformer:            factory.Resource().V1().ResourceSlices(),
		KubeClient:               cs,
	}
	if opts.EnableDeviceTaintRules {
		opts.TaintInformer = factory.Resource().V1().DeviceTaintRules()
	}
	tracker, err := resourceslicetracker.StartTracker(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("starting the resource slice tracker: %v", err)
	}
	return dynamicresources.NewDRAManager(ctx, claimCache, tracker, factory), nil
}

// uniquelyNamed returns copies of pods with names unique per namespace: a nameless pod is named
// <prefix>-<index>, a repeated name gets a -<index> suffix.
func uniquelyNamed(pods []*v1.Pod, prefix string) []*v1.Pod {
	seen := map[string]bool{}
	out := make([]*v1.Pod, 0, len(pods))
	for i, p := range pods {
		c := p.DeepCopy()
		if c.Name == "" {
			c.Name = fmt.Sprintf("%s-%d", prefix, i)
		}
		for seen[c.Namespace+"/"+c.Name] {
			c.Name = fmt.Sprintf("%s-%d", c.Name, i)
		}
		seen[c.Namespace+"/"+c.Name] = true
		out = append(out, c)
	}
	return out
}

var _ = bytes.NewReader
