// Package perf pins upstream's scheduler_perf benchmark as a dependency of this module, so that
// `go test -c k8s.io/kubernetes/test/integration/scheduler_perf/misc` builds it from the module
// cache with every package it needs recorded in go.mod/go.sum. Nothing here runs: the imports
// below are exactly those of upstream's misc/misc_test.go (bench/upstream-perf.ts builds and runs
// that test binary). No upstream source is copied.
package perf

import (
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/kubernetes/test/integration/scheduler_perf"
)
