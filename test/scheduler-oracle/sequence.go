package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sync"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/klog/v2"
	fwk "k8s.io/kube-scheduler/framework"
	"k8s.io/kubernetes/pkg/scheduler/framework"
)

// sequenceInput is the `sequence` command's stdin.
type sequenceInput struct {
	Nodes        []json.RawMessage          `json:"nodes"`
	ExistingPods []json.RawMessage          `json:"existingPods"`
	Namespaces   []json.RawMessage          `json:"namespaces"`
	Objects      []json.RawMessage          `json:"objects"`
	Profile      json.RawMessage            `json:"profile"`
	Config       json.RawMessage            `json:"config"`
	Args         map[string]json.RawMessage `json:"args"`
	Features     map[string]bool            `json:"features"`
	Pods         []json.RawMessage          `json:"pods"`
	Parallelism  *int32                     `json:"parallelism"`
	// PercentageOfNodesToScore overrides the oracle's 100 (all nodes); for benchmark comparisons with
	// kube-scheduler's default adaptive percentage (0).
	PercentageOfNodesToScore *int32 `json:"percentageOfNodesToScore"`
}

type sequenceOptions struct {
	noDetail     bool
	updateOnBind bool
	// stepTimeout bounds one pod's scheduling attempt (and the final wait for bindings).
	stepTimeout time.Duration
}

// PodOutcome is one line of the sequence output.
type PodOutcome struct {
	Pod     string `json:"pod"`
	Node    string `json:"node"`
	Failure string `json:"failure,omitempty"`
}

// SequenceSummary is the final line of the sequence output.
type SequenceSummary struct {
	Pods          int     `json:"pods"`
	Scheduled     int     `json:"scheduled"`
	Seconds       float64 `json:"seconds"`
	PodsPerSecond float64 `json:"podsPerSecond"`
}

type sequenceResult struct {
	outcomes []PodOutcome
	summary  SequenceSummary
	warnings []string
}

func sequenceCommand(stdin io.Reader, stdout io.Writer, opts sequenceOptions) error {
	data, err := io.ReadAll(stdin)
	if err != nil {
		return err
	}
	var in sequenceInput
	if err := strictUnmarshal(data, &in); err != nil {
		return fmt.Errorf("sequence input: %v", err)
	}
	if os.Getenv("GOGC") == "" {
		// Scheduling every node of a large cluster allocates heavily; a larger GC target is ~40%
		// faster on 2 cores and changes no result. GOGC in the environment overrides it.
		debug.SetGCPercent(400)
	}
	res, err := runSequence(context.Background(), &in, opts)
	if err != nil {
		return err
	}
	for _, w := range res.warnings {
		fmt.Fprintln(os.Stderr, "scheduler-oracle: warning:", w)
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if !opts.noDetail {
		for _, o := range res.outcomes {
			if err := enc.Encode(o); err != nil {
				return err
			}
		}
	}
	return enc.Encode(map[string]any{"summary": res.summary})
}

// runSequence schedules in.Pods one after another with the real scheduler: each pod is created in
// the fake API, popped from the real scheduling queue and run through Scheduler.ScheduleOne; its
// binding cycle runs asynchronously as in kube-scheduler, and the scheduler's cache holds it as
// assumed for the next pod. Each pod gets exactly one attempt: a failed pod that the queue would
// retry later is dropped when it comes up again.
func runSequence(ctx context.Context, in *sequenceInput, opts sequenceOptions) (*sequenceResult, error) {
	if opts.stepTimeout == 0 {
		opts.stepTimeout = 2 * time.Minute
	}
	gates := &globalGates{}
	defer gates.reset()
	res := &sequenceResult{}
	res.warnings = append(res.warnings, gates.apply(in.Features)...)
	cfg, err := buildConfig(in.Profile, in.Config, in.Args)
	if err != nil {
		return nil, err
	}
	if in.Parallelism != nil {
		cfg.Parallelism = *in.Parallelism
	}
	if in.PercentageOfNodesToScore != nil {
		cfg.PercentageOfNodesToScore = in.PercentageOfNodesToScore
	}
	// Failed pods must not come back to the active queue during the run.
	cfg.PodInitialBackoffSeconds, cfg.PodMaxBackoffSeconds = 1<<30, 1<<30
	var pods []*v1.Pod
	for i, raw := range in.Pods {
		p, err := decodePod(raw)
		if err != nil {
			return nil, fmt.Errorf("pods[%d]: %v", i, err)
		}
		if p.Spec.NodeName != "" {
			return nil, fmt.Errorf("pods[%d]: spec.nodeName is set; kube-scheduler does not schedule bound pods", i)
		}
		pods = append(pods, p)
	}
	pods = uniquelyNamed(pods, "pod")
	warn := func(w string) { res.warnings = append(res.warnings, w) }
	spec := clusterSpec{nodes: in.Nodes, existing: in.ExistingPods, namespaces: in.Namespaces, objects: in.Objects}
	c, err := newCluster(ctx, cfg, spec, pods, false, warn)
	if err != nil {
		return nil, err
	}
	defer c.close()
	c.updateOnBind = opts.updateOnBind

	type outcome struct {
		node, failure string
		done          bool
	}
	var mu sync.Mutex
	outcomes := map[string]*outcome{}
	remaining := len(c.pending)
	allDone := make(chan struct{})
	finish := func(key string, node, failure string) {
		mu.Lock()
		defer mu.Unlock()
		o := outcomes[key]
		if o == nil {
			return
		}
		o.node, o.failure = node, failure
		if !o.done {
			o.done = true
			remaining--
			if remaining == 0 {
				close(allDone)
			}
		}
	}
	for _, p := range c.pending {
		outcomes[p.Namespace+"/"+p.Name] = &outcome{}
	}
	c.mu.Lock()
	c.onBind = func(key, node string) { finish(key, node, "") }
	c.mu.Unlock()
	origFailure := c.sched.FailureHandler
	c.sched.FailureHandler = func(ctx context.Context, f framework.Framework, podInfo *framework.QueuedPodInfo, status *fwk.Status, ni *fwk.NominatingInfo, start time.Time) {
		origFailure(ctx, f, podInfo, status, ni, start)
		finish(podInfo.Pod.Namespace+"/"+podInfo.Pod.Name, "", status.Message())
	}
	var expect types.UID
	pop := c.sched.NextEntity
	var popWait time.Duration
	c.sched.NextEntity = func(logger klog.Logger) (framework.QueuedEntityInfo, error) {
		for {
			t0 := time.Now()
			e, err := pop(logger)
			popWait += time.Since(t0)
			if err != nil || e == nil {
				return e, err
			}
			if pi, ok := e.(*framework.QueuedPodInfo); ok {
				if pi.Pod.UID == expect {
					return e, nil
				}
				// A retry of an earlier pod: it had its attempt.
				c.sched.SchedulingQueue.Done(pi.Pod.UID)
			}
		}
	}

	tracker := c.cs.Tracker()
	start := time.Now()
	for _, p := range c.pending {
		key := p.Namespace + "/" + p.Name
		if len(p.Spec.SchedulingGates) > 0 {
			finish(key, "", "pod has scheduling gates; it is not scheduled")
			continue
		}
		if !c.sched.Profiles.HandlesSchedulerName(p.Spec.SchedulerName) {
			finish(key, "", fmt.Sprintf("no profile for schedulerName %q", p.Spec.SchedulerName))
			continue
		}
		expect = p.UID
		if err := tracker.Add(p); err != nil {
			return nil, fmt.Errorf("creating pod %s: %v", key, err)
		}
		stepDone := make(chan struct{})
		go func() {
			select {
			case <-stepDone:
			case <-time.After(opts.stepTimeout):
				fmt.Fprintf(os.Stderr, "scheduler-oracle: sequence: pod %s was not scheduled within %v (never reached the scheduling queue?)\n", key, opts.stepTimeout)
				os.Exit(2)
			}
		}()
		c.sched.ScheduleOne(c.ctx)
		close(stepDone)
	}
	if len(c.pending) > 0 {
		select {
		case <-allDone:
		case <-time.After(opts.stepTimeout):
			mu.Lock()
			n := remaining
			mu.Unlock()
			return nil, fmt.Errorf("sequence: %d pods had no binding or failure after %v", n, opts.stepTimeout)
		}
	}
	elapsed := time.Since(start)
	if os.Getenv("ORACLE_DEBUG_TIMING") != "" {
		fmt.Fprintf(os.Stderr, "sequence: %v total, %v waiting in Pop\n", elapsed, popWait)
	}

	scheduled := 0
	for _, p := range c.pending {
		key := p.Namespace + "/" + p.Name
		o := outcomes[key]
		if o.node != "" {
			scheduled++
		}
		res.outcomes = append(res.outcomes, PodOutcome{Pod: key, Node: o.node, Failure: o.failure})
	}
	res.summary = SequenceSummary{Pods: len(c.pending), Scheduled: scheduled, Seconds: elapsed.Seconds()}
	if elapsed > 0 {
		res.summary.PodsPerSecond = float64(len(c.pending)) / elapsed.Seconds()
	}
	return res, nil
}

var _ = wait.PollUntilContextTimeout
