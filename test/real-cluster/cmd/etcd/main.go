// Command etcd is etcd v3 as k8s.io/kubernetes v1.37.2 pins it (go.etcd.io/etcd/server/v3, the
// version of that release's go.mod), built from the Go module so the test rig needs no download.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
