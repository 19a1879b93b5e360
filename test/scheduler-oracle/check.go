package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// CheckResult is the verdict on one scenario: does v1.37.2 agree with what the scenario expects?
type CheckResult struct {
	ID       string   `json:"id"`
	File     string   `json:"file,omitempty"`
	Ref      string   `json:"ref,omitempty"`
	Agrees   bool     `json:"agrees"`
	Failures []string `json:"failures,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// expectedStatus is an `expect` status: "Success"/"Skip", or a code with reasons and/or a message
// fragment (runner.ts's ExpectedStatus).
type expectedStatus struct {
	Code            string    `json:"code"`
	Reasons         *[]string `json:"reasons"`
	MessageContains *string   `json:"messageContains"`
}

func parseExpected(raw json.RawMessage) (expectedStatus, bool, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return expectedStatus{}, false, nil
	}
	var str string
	if err := json.Unmarshal(raw, &str); err == nil {
		return expectedStatus{Code: str}, true, nil
	}
	var e expectedStatus
	if err := json.Unmarshal(raw, &e); err != nil {
		return e, false, err
	}
	return e, true, nil
}

// statusMatches is runner.ts's statusMatches on an encoded status.
func statusMatches(actual any, e expectedStatus) bool {
	code, reasons := "Success", []string{}
	switch a := actual.(type) {
	case string:
		code = a
	case StatusJSON:
		code, reasons = a.Code, a.Reasons
	case nil:
	}
	if code != e.Code {
		return false
	}
	if e.Reasons != nil {
		if len(reasons) != len(*e.Reasons) {
			return false
		}
		for i := range reasons {
			if reasons[i] != (*e.Reasons)[i] {
				return false
			}
		}
	}
	if e.MessageContains != nil && !strings.Contains(strings.Join(reasons, ", "), *e.MessageContains) {
		return false
	}
	return true
}

func describe(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// checkScenario compares the oracle's result with the scenario's expectations the way
// runner.ts compares the model's.
func checkScenario(s *Scenario, res *Result) []string {
	var out []string
	mismatch := func(what string, expected, actual any) {
		out = append(out, fmt.Sprintf("%s: expected %s, v1.37.2 gives %s", what, describe(expected), describe(actual)))
	}
	if res.Error != "" {
		return []string{"oracle error: " + res.Error}
	}
	if res.Mode == "profile" {
		want := s.Expect.ScheduledOn
		var selected []string
		if res.Selected != nil {
			selected = *res.Selected
		}
		for _, n := range selected {
			for _, w := range want {
				if n == w {
					return nil
				}
			}
		}
		detail := map[string]any{"selected": selected}
		if res.Failure != "" {
			detail["failure"] = res.Failure
		}
		totals := map[string]any{}
		for name, nr := range res.Nodes {
			if nr.Total != nil {
				totals[name] = *nr.Total
			} else if f, ok := nr.Filter.(StatusJSON); ok {
				totals[name] = f
			}
		}
		detail["nodes"] = totals
		mismatch("scheduled node", map[string]any{"oneOf": want}, detail)
		return out
	}
	if len(s.Plugins.Filter) > 0 {
		if e, ok, err := parseExpected(s.Expect.PreFilter); err != nil {
			out = append(out, "expect.preFilter: "+err.Error())
		} else if ok && !statusMatches(res.PreFilter, e) {
			mismatch("PreFilter status", json.RawMessage(s.Expect.PreFilter), res.PreFilter)
		}
		for _, node := range sortedKeys(s.Expect.Filter) {
			e, _, err := parseExpected(s.Expect.Filter[node])
			if err != nil {
				out = append(out, fmt.Sprintf("expect.filter.%s: %v", node, err))
				continue
			}
			actual, ok := res.Filter[node]
			if !ok {
				out = append(out, fmt.Sprintf("filter %s: node not in the scenario's nodes", node))
				continue
			}
			if !statusMatches(actual, e) {
				mismatch("Filter "+node, json.RawMessage(s.Expect.Filter[node]), actual)
			}
		}
	}
	if len(s.Plugins.Score) > 0 {
		expPre := s.Expect.PreScore
		if len(expPre) == 0 && len(s.Plugins.Filter) == 0 {
			expPre = s.Expect.PreFilter
		}
		if e, ok, err := parseExpected(expPre); err != nil {
			out = append(out, "expect.preScore: "+err.Error())
		} else if ok && !statusMatches(res.PreScore, e) {
			mismatch("PreScore status", json.RawMessage(expPre), res.PreScore)
		}
		if s.Expect.Scores != nil {
			if res.Totals == nil {
				mismatch("PreScore status", "Success", res.PreScore)
			} else {
				var wrong []string
				actual := map[string]any{}
				for _, n := range sortedKeys(s.Expect.Scores) {
					t, ok := res.Totals[n]
					if ok {
						actual[n] = t
					} else {
						actual[n] = "(not scored)"
					}
					if !ok || t != s.Expect.Scores[n] {
						wrong = append(wrong, n)
					}
				}
				if len(wrong) > 0 {
					mismatch(fmt.Sprintf("scores (differ on %s)", strings.Join(wrong, ", ")), s.Expect.Scores, actual)
				}
			}
			for p, st := range res.ScoreErrors {
				out = append(out, fmt.Sprintf("Score %s failed: %s", p, describe(st)))
			}
		}
	}
	return out
}

// collectFiles expands directories into their *.json files (recursively), sorted.
func collectFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".json") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

// checkCorpus runs every scenario of the files and checks it.
func checkCorpus(paths []string) ([]CheckResult, error) {
	files, err := collectFiles(paths)
	if err != nil {
		return nil, err
	}
	gates := &globalGates{}
	var results []CheckResult
	for _, f := range files {
		scenarios, err := readScenarios([]string{f})
		if err != nil {
			return nil, err
		}
		for _, raw := range scenarios {
			res := runScenario(context.Background(), raw, gates)
			cr := CheckResult{ID: res.ID, File: f, Warnings: res.Warnings}
			var s Scenario
			if err := json.Unmarshal(raw, &s); err != nil {
				cr.Failures = []string{"scenario: " + err.Error()}
			} else {
				if s.Source != nil {
					cr.Ref = s.Source.Ref
				}
				cr.Failures = checkScenario(&s, res)
			}
			cr.Agrees = len(cr.Failures) == 0
			results = append(results, cr)
		}
	}
	return results, nil
}

func checkCommand(paths []string, stdout io.Writer, asText bool) error {
	if len(paths) == 0 {
		return fmt.Errorf("check: give scenario files or directories")
	}
	results, err := checkCorpus(paths)
	if err != nil {
		return err
	}
	agree := 0
	for _, r := range results {
		if r.Agrees {
			agree++
		}
	}
	if !asText {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, r := range results {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return enc.Encode(map[string]any{"summary": map[string]int{"scenarios": len(results), "agree": agree, "disagree": len(results) - agree}})
	}
	for _, r := range results {
		if r.Agrees {
			continue
		}
		fmt.Fprintf(stdout, "DISAGREES %s  (%s @ %s)\n", r.ID, r.File, r.Ref)
		for _, f := range r.Failures {
			fmt.Fprintf(stdout, "    %s\n", f)
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(stdout, "    warning: %s\n", w)
		}
	}
	fmt.Fprintf(stdout, "k8s.io/kubernetes v1.37.2 agrees with %d of %d scenarios\n", agree, len(results))
	return nil
}
