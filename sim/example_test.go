package sim_test

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

func ExampleCluster() {
	c, err := sim.New(sim.Config{}) // the tutorial's three nodes, seed 1
	if err != nil {
		panic(err)
	}
	_, err = c.Apply([]byte(`
apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "echo hello from $HOSTNAME; sleep 30"]
`))
	if err != nil {
		panic(err)
	}
	done := c.RunUntil(func(r storage.Reader) bool {
		obj, err := r.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "hello"})
		return err == nil && obj.(*objects.Pod).Status.Phase == objects.PodSucceeded
	}, time.Minute)
	obj, _ := c.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "hello"})
	pod := obj.(*objects.Pod)
	logs, _ := c.Logs("default", "hello", "", false)
	fmt.Println("succeeded:", done)
	fmt.Println("node:", pod.Spec.NodeName, "ip:", pod.Status.PodIP)
	fmt.Println("finished after:", c.Now().Sub(c.Start()))
	fmt.Println("logs:", logs)
	// Output:
	// succeeded: true
	// node: k8s-node1 ip: 10.244.1.2
	// finished after: 32.143s
	// logs: [hello from hello]
}
