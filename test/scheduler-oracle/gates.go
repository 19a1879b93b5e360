package main

import (
	"fmt"
	"reflect"
	"sort"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
	plfeature "k8s.io/kubernetes/pkg/scheduler/framework/plugins/feature"
)

// onlyGates is a read-only feature gate where exactly the listed gates are on. It is only used to
// build a plfeature.Features value: upstream's plugin unit tests pass a zero Features{} with the
// fields they care about set, so every gate a scenario does not list reads as off.
type onlyGates map[string]bool

func (g onlyGates) Enabled(key featuregate.Feature) bool                        { return g[string(key)] }
func (g onlyGates) KnownFeatures() []string                                     { return nil }
func (g onlyGates) Dependencies() map[featuregate.Feature][]featuregate.Feature { return nil }
func (g onlyGates) DeepCopy() featuregate.MutableVersionedFeatureGate           { return nil }
func (g onlyGates) Validate() []error                                           { return nil }

// pluginFeatures returns the plfeature.Features a plugin-level scenario runs with (only the listed
// gates that are true are on) and warnings for listed gates that no Features field carries in this
// release (their value cannot reach the plugins).
func pluginFeatures(gates map[string]bool) (plfeature.Features, []string) {
	on := onlyGates{}
	var warnings []string
	for _, name := range sortedKeys(gates) {
		if gates[name] {
			on[name] = true
		}
		if reflect.DeepEqual(plfeature.NewSchedulerFeaturesFromGates(onlyGates{name: true}), plfeature.Features{}) {
			warnings = append(warnings, fmt.Sprintf("feature gate %s=%v ignored: no plugin feature flag reads it in k8s.io/kubernetes v1.37.2", name, gates[name]))
		}
	}
	return plfeature.NewSchedulerFeaturesFromGates(on), warnings
}

// globalGates applies and reverts overrides of the process-wide feature gate (full-profile mode
// and sequence mode, where kube-scheduler reads utilfeature.DefaultFeatureGate).
type globalGates struct{ set []string }

// apply sets the overrides one by one; an override the release rejects (unknown gate, gate locked
// to its default, broken dependency) is reported as a warning and left at the release default.
func (g *globalGates) apply(gates map[string]bool) []string {
	var warnings []string
	known := utilfeature.DefaultMutableFeatureGate.GetAll()
	for _, name := range sortedKeys(gates) {
		val := gates[name]
		spec, ok := known[featuregate.Feature(name)]
		if !ok {
			warnings = append(warnings, fmt.Sprintf("feature gate %s=%v ignored: unknown to k8s.io/kubernetes v1.37.2", name, val))
			continue
		}
		if spec.LockToDefault && spec.Default != val {
			warnings = append(warnings, fmt.Sprintf("feature gate %s=%v ignored: locked to %v in k8s.io/kubernetes v1.37.2", name, val, spec.Default))
			continue
		}
		set := map[string]bool{name: val}
		if !val {
			// Disabling a gate other enabled gates depend on disables those too, as an operator must.
			for f, deps := range utilfeature.DefaultMutableFeatureGate.Dependencies() {
				for _, d := range deps {
					if string(d) == name && utilfeature.DefaultFeatureGate.Enabled(f) {
						if _, explicit := gates[string(f)]; !explicit {
							set[string(f)] = false
						}
					}
				}
			}
		}
		// Try on a copy first: SetFromMap records the raw values even when it fails.
		probe := utilfeature.DefaultMutableFeatureGate.DeepCopy()
		if err := probe.SetFromMap(set); err != nil {
			warnings = append(warnings, fmt.Sprintf("feature gate %s=%v ignored: %v", name, val, err))
			continue
		}
		if err := utilfeature.DefaultMutableFeatureGate.SetFromMap(set); err != nil {
			warnings = append(warnings, fmt.Sprintf("feature gate %s=%v ignored: %v", name, val, err))
			for n := range set {
				_ = utilfeature.DefaultMutableFeatureGate.ResetFeatureValueToDefault(featuregate.Feature(n))
			}
			continue
		}
		for _, n := range sortedKeys(set) {
			g.set = append(g.set, n)
			if n != name {
				warnings = append(warnings, fmt.Sprintf("feature gate %s=false also set: it depends on %s", n, name))
			}
		}
	}
	return warnings
}

// reset returns every gate set by apply to the release default.
func (g *globalGates) reset() {
	for _, name := range g.set {
		_ = utilfeature.DefaultMutableFeatureGate.ResetFeatureValueToDefault(featuregate.Feature(name))
	}
	g.set = nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
