// Command scheduler-oracle answers the Kube Forecast scheduler model's questions with the real
// kube-scheduler framework of k8s.io/kubernetes v1.37.2 (linked as a Go module).
//
//	scheduler-oracle [--v=N] [file ...]           scenarios (JSON arrays, stdin if no file) -> one JSON line per scenario
//	scheduler-oracle check [--text] path...       run scenarios (files or directories) and compare with their `expect`
//	scheduler-oracle sequence [--no-detail] [--no-bind-update] < input.json
//
// Scenarios: /work/shared/conformance/FORMAT.md plus `objects`, `profile`, `config`.
//   - plugin mode (no profile/config/expect.scheduledOn): as upstream's plugin unit tests: plugins
//     from their factories with plfeature.Features holding only the scenario's gates, args decoded
//     strictly as v1 and defaulted, cache.NewSnapshot(existingPods, nodes); objects are only decoded.
//   - profile mode: the configuration is decoded, defaulted and validated as kube-scheduler loads
//     its config file; the release's gates plus the scenario's (a gate the release rejects is a
//     warning); every object goes through kube-apiserver's create path (v1 defaulting, the Priority,
//     DefaultTolerationSeconds and RuntimeClass admission plugins for pods, registry strategy
//     PrepareForCreate + validation) into a fake clientset; scheduler.New builds the scheduler; the
//     pod's cycle is run on the real framework with every node filtered and every feasible node scored.
//
// sequence input: {nodes, existingPods, namespaces?, objects?, profile?, config?, args?, features?,
// pods, parallelism?, percentageOfNodesToScore? (default 100)}. Each pod is created in the fake API
// and scheduled by Scheduler.ScheduleOne in input order, once; bindings are asynchronous as in
// kube-scheduler. Output: {"pod","node","failure"} per pod, then {"summary":{...}}.
//
// Only JSON goes to stdout; klog output is discarded unless --v is given (then it goes to stderr).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"sync"

	"github.com/go-logr/logr"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/klog/v2"
	schedmetrics "k8s.io/kubernetes/pkg/scheduler/metrics"
)

func main() {
	args := os.Args[1:]
	cmd := "run"
	if len(args) > 0 && (args[0] == "check" || args[0] == "sequence" || args[0] == "run") {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("scheduler-oracle "+cmd, flag.ExitOnError)
	verbosity := fs.Int("v", -1, "klog verbosity; logs go to stderr (default: no logs)")
	noDetail := fs.Bool("no-detail", false, "sequence: print only the summary line")
	noBindUpdate := fs.Bool("no-bind-update", false, "sequence: binding does not write spec.nodeName back to the fake API")
	asText := fs.Bool("text", false, "check: print a text report instead of JSON lines")
	cpuProfile := fs.String("cpuprofile", "", "write a Go CPU profile to this file")
	_ = fs.Parse(args)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "scheduler-oracle:", err)
			os.Exit(1)
		}
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	setupLogging(*verbosity)
	installPanicRecorder()
	schedmetrics.Register()

	var err error
	switch cmd {
	case "run":
		err = runCommand(fs.Args(), os.Stdout)
	case "check":
		err = checkCommand(fs.Args(), os.Stdout, *asText)
	case "sequence":
		err = sequenceCommand(os.Stdin, os.Stdout, sequenceOptions{noDetail: *noDetail, updateOnBind: !*noBindUpdate})
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "scheduler-oracle:", err)
		os.Exit(1)
	}
}

func setupLogging(v int) {
	if v < 0 {
		klog.SetLogger(logr.Discard())
		return
	}
	kfs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(kfs)
	_ = kfs.Set("logtostderr", "true")
	_ = kfs.Set("v", strconv.Itoa(v))
}

// Panics in goroutines the framework starts (parallel Filter/Score workers) are recorded instead of
// crashing the process; the scenario that saw one reports an error.
var (
	panicMu  sync.Mutex
	panicMsg string
)

func installPanicRecorder() {
	utilruntime.ReallyCrash = false
	utilruntime.PanicHandlers = append(utilruntime.PanicHandlers, func(_ context.Context, r any) {
		panicMu.Lock()
		defer panicMu.Unlock()
		if panicMsg == "" {
			panicMsg = fmt.Sprintf("panic in a scheduler goroutine: %v", r)
		}
	})
}

func takePanic() string {
	panicMu.Lock()
	defer panicMu.Unlock()
	m := panicMsg
	panicMsg = ""
	return m
}

// readScenarios reads JSON arrays of scenarios (or single scenario objects) from the files, or
// from stdin when there are none.
func readScenarios(paths []string) ([]json.RawMessage, error) {
	var inputs [][]byte
	if len(paths) == 0 {
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, b)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, b)
	}
	var out []json.RawMessage
	for i, b := range inputs {
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		if b[0] == '{' {
			out = append(out, json.RawMessage(b))
			continue
		}
		var arr []json.RawMessage
		if err := json.Unmarshal(b, &arr); err != nil {
			name := "stdin"
			if len(paths) > 0 {
				name = paths[i]
			}
			return nil, fmt.Errorf("%s: expected a JSON array of scenarios: %v", name, err)
		}
		out = append(out, arr...)
	}
	return out, nil
}

func runCommand(paths []string, stdout io.Writer) error {
	scenarios, err := readScenarios(paths)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	gates := &globalGates{}
	for _, raw := range scenarios {
		res := runScenario(context.Background(), raw, gates)
		if err := enc.Encode(res); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// runScenario runs one scenario and never panics: a failure to run it is the result's error.
func runScenario(ctx context.Context, raw json.RawMessage, gates *globalGates) (res *Result) {
	res = &Result{}
	defer gates.reset()
	defer func() {
		if r := recover(); r != nil {
			res = &Result{ID: res.ID, Mode: res.Mode, Error: fmt.Sprintf("panic: %v", r)}
			fmt.Fprintf(os.Stderr, "scheduler-oracle: scenario %q panicked: %v\n%s\n", res.ID, r, debug.Stack())
		}
		if p := takePanic(); p != "" && res.Error == "" {
			res = &Result{ID: res.ID, Mode: res.Mode, Error: p}
		}
	}()
	takePanic()
	var s Scenario
	if err := json.Unmarshal(raw, &s); err != nil {
		var id struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(raw, &id)
		res.ID = id.ID
		res.Error = fmt.Sprintf("scenario: %v", err)
		return res
	}
	res.ID = s.ID
	if len(s.Pod) == 0 || string(s.Pod) == "null" {
		res.Error = "pod: Required value"
		return res
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var err error
	if s.fullProfile() {
		err = runProfile(ctx, &s, res, gates)
	} else {
		err = runPlugins(ctx, &s, res)
	}
	if err != nil {
		mode, warnings := res.Mode, res.Warnings
		*res = Result{ID: s.ID, Mode: mode, Error: err.Error(), Warnings: warnings}
	}
	return res
}
