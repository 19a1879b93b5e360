// Command kwok-stages prints the Stage objects that kwokctl gives a kwok cluster by default (node
// initialisation, heartbeats with leases, and the "fast" pod stages: ready, complete for Job pods,
// delete), read from kwok's own embedded YAML so the node agent behaves exactly as kwok ships it.
// The real-cluster launcher writes this output into kwok's --config file.
package main

import (
	"fmt"
	"strings"

	nodefast "sigs.k8s.io/kwok/kustomize/stage/node/fast"
	nodeheartbeat "sigs.k8s.io/kwok/kustomize/stage/node/heartbeat-with-lease"
	podfast "sigs.k8s.io/kwok/kustomize/stage/pod/fast"
)

func main() {
	stages := []string{
		nodefast.DefaultNodeInit,
		nodeheartbeat.DefaultNodeHeartbeatWithLease,
		podfast.DefaultPodReady,
		podfast.DefaultPodComplete,
		podfast.DefaultPodDelete,
	}
	for i, s := range stages {
		if i > 0 {
			fmt.Println("---")
		}
		fmt.Println(strings.TrimRight(s, "\n"))
	}
}
