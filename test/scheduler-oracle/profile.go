package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/klog/v2"
	fwk "k8s.io/kube-scheduler/framework"
	"k8s.io/kubernetes/pkg/scheduler"
	"k8s.io/kubernetes/pkg/scheduler/framework"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins/defaultpreemption"
)

// profileOutcome is what one scheduling attempt of the pod computes, step by step as
// Scheduler.schedulePod / findNodesThatFitPod / schedulingAlgorithm do (all nodes are evaluated).
type profileOutcome struct {
	preFilter       *fwk.Status
	preFilterResult *fwk.PreFilterResult
	nodeStatus      map[string]*fwk.Status
	feasible        []string
	scores          map[string]map[string]PluginScore
	totals          map[string]int64
	preScore        *fwk.Status
	selected        []string
	failure         string
	preemption      *Preemption
}

// runProfile runs a full-profile scenario with the real scheduler built by scheduler.New.
func runProfile(ctx context.Context, s *Scenario, res *Result, gates *globalGates) error {
	res.Mode = "profile"
	res.Warnings = append(res.Warnings, gates.apply(s.features())...)
	var args map[string]json.RawMessage
	if s.Plugins != nil {
		args = s.Plugins.Args
	}
	cfg, err := buildConfig(s.Profile, s.Config, args)
	if err != nil {
		return err
	}
	pod, err := decodePod(s.Pod)
	if err != nil {
		return fmt.Errorf("pod: %v", err)
	}
	if pod.Spec.NodeName != "" {
		return fmt.Errorf("pod: spec.nodeName is set (%q); kube-scheduler does not schedule bound pods", pod.Spec.NodeName)
	}
	if pod.Name == "" {
		pod.Name = "incoming"
	}
	if pod.Spec.SchedulerName == "" && len(s.Profile) > 0 && len(cfg.Profiles) == 1 {
		// The scenario's single profile is the one to run, whatever its schedulerName.
		pod.Spec.SchedulerName = cfg.Profiles[0].SchedulerName
	}
	warn := func(w string) { res.Warnings = append(res.Warnings, w) }
	spec := clusterSpec{nodes: s.Nodes, existing: s.ExistingPods, namespaces: s.Namespaces, objects: s.Objects}
	c, err := newCluster(ctx, cfg, spec, []*v1.Pod{pod}, true, warn)
	if err != nil {
		return err
	}
	defer c.close()
	if len(c.pending[0].Spec.SchedulingGates) > 0 {
		warn("the pod has schedulingGates: kube-scheduler would not attempt it until they are removed; the attempt below ignores them")
	}
	out, err := c.attempt(c.pending[0])
	if err != nil {
		return err
	}
	res.PreFilter = encodeStatus(out.preFilter, "")
	if out.preFilterResult.AllNodes() {
		res.PreFilterResult = jsonNull
	} else {
		res.PreFilterResult = nodeNameList(sets.List(out.preFilterResult.NodeNames))
	}
	if out.preScore != nil {
		res.PreScore = encodeStatus(out.preScore, "")
	}
	res.Nodes = map[string]*NodeResult{}
	for _, name := range c.nodeNames {
		nr := &NodeResult{Filter: encodeStatus(out.nodeStatus[name], "")}
		if t, ok := out.totals[name]; ok {
			nr.Scores = out.scores[name]
			if nr.Scores == nil {
				nr.Scores = map[string]PluginScore{}
			}
			nr.Total = &t
		}
		res.Nodes[name] = nr
	}
	selected := out.selected
	if selected == nil {
		selected = []string{}
	}
	res.Selected = &selected
	res.Failure = out.failure
	res.Preemption = out.preemption
	return nil
}

// attempt runs one scheduling cycle for pod (the informer's copy is used, as the queue would hand
// it over) without binding. It mirrors Scheduler.schedulingAlgorithm with every node evaluated.
func (c *cluster) attempt(pod *v1.Pod) (*profileOutcome, error) {
	ctx := c.ctx
	logger := klog.FromContext(ctx)
	if p, err := c.factory.Core().V1().Pods().Lister().Pods(pod.Namespace).Get(pod.Name); err == nil {
		pod = p
	}
	schedFwk, ok := c.sched.Profiles[pod.Spec.SchedulerName]
	if !ok {
		return nil, fmt.Errorf("no profile for schedulerName %q", pod.Spec.SchedulerName)
	}
	if err := c.sched.Cache.UpdateSnapshot(logger, c.snapshot); err != nil {
		return nil, fmt.Errorf("UpdateSnapshot: %v", err)
	}
	out := &profileOutcome{nodeStatus: map[string]*fwk.Status{}}
	state := framework.NewCycleState()
	state.Write(framework.PodsToActivateKey, framework.NewPodsToActivate())

	numAll := c.snapshot.NumNodesInPlacement()
	allNodes, err := c.snapshot.ListNodesInPlacement()
	if err != nil {
		return nil, err
	}
	if numAll == 0 {
		out.failure = scheduler.ErrNoNodesAvailable.Error()
		return out, nil
	}
	diagnosis := framework.Diagnosis{NodeToStatus: framework.NewDefaultNodeToStatus()}
	preRes, st, unschedulablePlugins := schedFwk.RunPreFilterPlugins(ctx, state, pod)
	out.preFilter, out.preFilterResult = st, preRes
	diagnosis.UnschedulablePlugins = unschedulablePlugins
	var feasible []fwk.NodeInfo
	if !st.IsSuccess() {
		if !st.IsRejected() {
			// schedulingAlgorithm: an error, not a FitError.
			for _, ni := range allNodes {
				out.nodeStatus[ni.Node().Name] = st
			}
			out.failure = st.AsError().Error()
			return out, nil
		}
		diagnosis.NodeToStatus.SetAbsentNodesStatus(st)
		diagnosis.PreFilterMsg = st.Message()
		diagnosis.AddPluginStatus(st)
		for _, ni := range allNodes {
			out.nodeStatus[ni.Node().Name] = st
		}
	} else {
		nominatedFits := false
		var nominatedStatus *fwk.Status
		if nnn := pod.Status.NominatedNodeName; nnn != "" {
			// evaluateNominatedNode: the nominated node is tried first; if it fits it is the result.
			if ni, err := c.snapshot.GetNodeInPlacement(nnn); err == nil {
				s := schedFwk.RunFilterPluginsWithNominatedPods(ctx, state, pod, ni)
				if s.IsSuccess() {
					nominatedFits = true
					feasible = []fwk.NodeInfo{ni}
				} else if s.Code() != fwk.Error {
					diagnosis.NodeToStatus.Set(nnn, s)
					diagnosis.AddPluginStatus(s)
					nominatedStatus = s
				}
			}
		}
		nodes := allNodes
		if !preRes.AllNodes() {
			nodes = nil
			for _, ni := range allNodes {
				if preRes.NodeNames.Has(ni.Node().Name) {
					nodes = append(nodes, ni)
				} else {
					out.nodeStatus[ni.Node().Name] = nil
				}
			}
			absent := fwk.NewStatus(fwk.UnschedulableAndUnresolvable, fmt.Sprintf("node(s) didn't satisfy plugin(s) %v", sets.List(unschedulablePlugins)))
			diagnosis.NodeToStatus.SetAbsentNodesStatus(absent)
			for name, s := range out.nodeStatus {
				if s == nil {
					out.nodeStatus[name] = absent
				}
			}
			// A failed nominated node outside the PreFilterResult keeps the status of its own
			// evaluation: that is what NodeToStatus (and so the FitError) holds for it.
			if nominatedStatus != nil && !preRes.NodeNames.Has(pod.Status.NominatedNodeName) {
				out.nodeStatus[pod.Status.NominatedNodeName] = nominatedStatus
			}
		}
		var filterErr *fwk.Status
		var all []fwk.NodeInfo
		for _, ni := range nodes {
			s := schedFwk.RunFilterPluginsWithNominatedPods(ctx, state, pod, ni)
			out.nodeStatus[ni.Node().Name] = s
			if s.Code() == fwk.Error {
				if filterErr == nil {
					filterErr = s
				}
				continue
			}
			if s.IsSuccess() {
				all = append(all, ni)
			} else if !nominatedFits {
				diagnosis.NodeToStatus.Set(ni.Node().Name, s)
				diagnosis.AddPluginStatus(s)
			}
		}
		if !nominatedFits {
			if filterErr != nil {
				out.failure = filterErr.AsError().Error()
				return out, nil
			}
			feasible = all
		}
	}
	for _, ni := range feasible {
		out.feasible = append(out.feasible, ni.Node().Name)
	}

	switch {
	case len(feasible) == 0:
		fitErr := &framework.FitError{Pod: pod, NumAllNodes: numAll, Diagnosis: diagnosis}
		if schedFwk.HasPostFilterPlugins() {
			result, pst := schedFwk.RunPostFilterPlugins(ctx, state, pod, fitErr.Diagnosis.NodeToStatus)
			fitErr.Diagnosis.PostFilterMsg = pst.Message()
			out.preemption = &Preemption{Message: pst.Message()}
			if result != nil && result.NominatingInfo != nil && result.NominatedNodeName != "" {
				victims, err := c.waitForPreemption(schedFwk, pod)
				if err != nil {
					return nil, err
				}
				out.preemption = &Preemption{NominatedNode: result.NominatedNodeName, Victims: victims}
			}
		}
		out.failure = fitErr.Error()
	case len(feasible) == 1:
		out.selected = []string{feasible[0].Node().Name}
	default:
		out.scores = map[string]map[string]PluginScore{}
		out.totals = map[string]int64{}
		if !schedFwk.HasScorePlugins() {
			// prioritizeNodes without score plugins: every node scores 1.
			for _, ni := range feasible {
				out.totals[ni.Node().Name] = 1
			}
		} else {
			out.preScore = schedFwk.RunPreScorePlugins(ctx, state, pod, feasible)
			if !out.preScore.IsSuccess() {
				out.failure = out.preScore.AsError().Error()
				out.scores, out.totals = nil, nil
				return out, nil
			}
			nodeScores, sst := schedFwk.RunScorePlugins(ctx, state, pod, feasible)
			if !sst.IsSuccess() {
				out.failure = sst.AsError().Error()
				out.scores, out.totals = nil, nil
				return out, nil
			}
			weights := map[string]int64{}
			for _, p := range schedFwk.ListPlugins().Score.Enabled {
				weights[p.Name] = int64(p.Weight)
			}
			for _, ns := range nodeScores {
				m := map[string]PluginScore{}
				raw := map[string]int64{}
				for _, r := range ns.RawScores {
					raw[r.Name] = r.Score
				}
				for _, w := range ns.Scores {
					ps := PluginScore{Raw: raw[w.Name], Weighted: w.Score}
					if weights[w.Name] != 0 {
						ps.Normalized = w.Score / weights[w.Name]
					}
					m[w.Name] = ps
				}
				out.scores[ns.Name] = m
				out.totals[ns.Name] = ns.TotalScore
			}
		}
		best := int64(math.MinInt64)
		for _, t := range out.totals {
			best = max(best, t)
		}
		for name, t := range out.totals {
			if t == best {
				out.selected = append(out.selected, name)
			}
		}
		sort.Strings(out.selected)
	}
	return out, nil
}

// waitForPreemption waits until DefaultPreemption's (possibly asynchronous, SchedulerAsyncPreemption)
// victim deletion for pod has finished, then returns the pods it deleted.
func (c *cluster) waitForPreemption(schedFwk framework.Framework, pod *v1.Pod) ([]string, error) {
	var dp *defaultpreemption.DefaultPreemption
	for _, p := range schedFwk.PreEnqueuePlugins() {
		if d, ok := p.(*defaultpreemption.DefaultPreemption); ok {
			dp = d
		}
	}
	if dp != nil {
		err := wait.PollUntilContextTimeout(c.ctx, time.Millisecond, 30*time.Second, true, func(context.Context) (bool, error) {
			return !dp.Executor.IsPodRunningPreemption(pod.UID), nil
		})
		if err != nil {
			return nil, fmt.Errorf("preemption for %s/%s did not finish within 30s: %v", pod.Namespace, pod.Name, err)
		}
	}
	return c.deletedPods(), nil
}
