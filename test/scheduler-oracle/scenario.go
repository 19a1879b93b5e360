package main

import (
	"bytes"
	"encoding/json"
	"sort"

	fwk "k8s.io/kube-scheduler/framework"
)

// Scenario is one conformance scenario (/work/shared/conformance/FORMAT.md), with the oracle's
// extra fields (objects, profile, config). Fields the oracle does not need (source, notes) are
// accepted and ignored.
type Scenario struct {
	ID     string `json:"id"`
	Source *struct {
		File string `json:"file"`
		Case string `json:"case"`
		Ref  string `json:"ref"`
	} `json:"source,omitempty"`
	Plugins *struct {
		Filter   []string                   `json:"filter"`
		Score    []ScorePlugin              `json:"score"`
		Args     map[string]json.RawMessage `json:"args"`
		Features map[string]bool            `json:"features"`
	} `json:"plugins"`
	Pod           json.RawMessage   `json:"pod"`
	Nodes         []json.RawMessage `json:"nodes"`
	ExistingPods  []json.RawMessage `json:"existingPods"`
	Namespaces    []json.RawMessage `json:"namespaces"`
	Objects       []json.RawMessage `json:"objects"`
	Expect        Expect            `json:"expect"`
	FeasibleNodes *[]string         `json:"feasibleNodes"`
	Profile       json.RawMessage   `json:"profile"`
	Config        json.RawMessage   `json:"config"`
}

// ScorePlugin is an entry of plugins.score.
type ScorePlugin struct {
	Name   string `json:"name"`
	Weight int64  `json:"weight"`
}

// Expect holds what upstream asserts; the oracle only reads it in the `check` command.
type Expect struct {
	Filter      map[string]json.RawMessage `json:"filter"`
	Scores      map[string]int64           `json:"scores"`
	PreFilter   json.RawMessage            `json:"preFilter"`
	PreScore    json.RawMessage            `json:"preScore"`
	ScheduledOn []string                   `json:"scheduledOn"`
}

// fullProfile reports whether a scenario runs the whole scheduling cycle (runner.ts: profile or
// expect.scheduledOn; the oracle adds config).
func (s *Scenario) fullProfile() bool {
	return len(s.Profile) > 0 || len(s.Config) > 0 || s.Expect.ScheduledOn != nil
}

func (s *Scenario) features() map[string]bool {
	if s.Plugins == nil {
		return nil
	}
	return s.Plugins.Features
}

// Result is one output line.
type Result struct {
	ID       string   `json:"id"`
	Mode     string   `json:"mode"`
	Error    string   `json:"error,omitempty"`
	Warnings []string `json:"warnings,omitempty"`

	PreFilter       any             `json:"preFilter,omitempty"`
	PreFilterResult json.RawMessage `json:"preFilterResult,omitempty"`

	// plugins mode
	Filter      map[string]any                    `json:"filter,omitempty"`
	PreScore    any                               `json:"preScore,omitempty"`
	Scores      map[string]map[string]PluginScore `json:"scores,omitempty"`
	ScoreErrors map[string]any                    `json:"scoreErrors,omitempty"`
	Totals      map[string]int64                  `json:"totals,omitempty"`

	// profile mode
	Nodes      map[string]*NodeResult `json:"nodes,omitempty"`
	Selected   *[]string              `json:"selected,omitempty"`
	Failure    string                 `json:"failure,omitempty"`
	Preemption *Preemption            `json:"preemption,omitempty"`
}

// PluginScore is one plugin's score on one node.
type PluginScore struct {
	Raw        int64 `json:"raw"`
	Normalized int64 `json:"normalized"`
	Weighted   int64 `json:"weighted"`
}

// NodeResult is a node's outcome in profile mode.
type NodeResult struct {
	Filter any                    `json:"filter"`
	Scores map[string]PluginScore `json:"scores,omitempty"`
	Total  *int64                 `json:"total,omitempty"`
}

// Preemption is the PostFilter outcome when nothing fits.
type Preemption struct {
	NominatedNode string   `json:"nominatedNode,omitempty"`
	Victims       []string `json:"victims,omitempty"`
	Message       string   `json:"message,omitempty"`
}

// StatusJSON is the encoding of a non-success, non-skip status.
type StatusJSON struct {
	Code    string   `json:"code"`
	Plugin  string   `json:"plugin,omitempty"`
	Reasons []string `json:"reasons"`
}

// encodeStatus encodes a status: "Success", "Skip" or {code, plugin, reasons}. plugin is used when
// the status does not name one itself.
func encodeStatus(s *fwk.Status, plugin string) any {
	if s.IsSuccess() {
		return "Success"
	}
	if s.IsSkip() {
		return "Skip"
	}
	p := s.Plugin()
	if p == "" {
		p = plugin
	}
	reasons := s.Reasons()
	if reasons == nil {
		reasons = []string{}
	}
	return StatusJSON{Code: s.Code().String(), Plugin: p, Reasons: reasons}
}

func nodeNameList(names []string) json.RawMessage {
	sort.Strings(names)
	if names == nil {
		names = []string{}
	}
	b, _ := json.Marshal(names)
	return b
}

var jsonNull = json.RawMessage("null")

func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
