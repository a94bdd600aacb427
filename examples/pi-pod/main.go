// Command pi-pod replays the tutorial's π computation as a bare pod and
// narrates what happens, at virtual time, for a learner.
//
//	go run ./examples/pi-pod
package main

import (
	_ "embed"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

//go:embed pod.yaml
var manifest []byte

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pi-pod:", err)
		os.Exit(1)
	}
}

func run() error {
	c, err := sim.New(sim.Config{})
	if err != nil {
		return err
	}
	say := func(format string, args ...any) {
		fmt.Printf("[%s] %s\n", sim.FormatOffset(c.Now().Sub(c.Start())), fmt.Sprintf(format, args...))
	}
	fmt.Println("The tutorial's π Job runs `echo 'scale=10000; 4*a(1)' | bc -l` in a pod.")
	fmt.Println("Here that pod runs on its own, on a simulated three-node cluster, in virtual time.")
	fmt.Println()
	if _, err := c.Apply(manifest); err != nil {
		return err
	}
	say("kubectl apply -f pod.yaml: pod/pi created; it is Pending, on no node yet")

	key := objects.Key{Kind: "Pod", Namespace: "default", Name: "pi"}
	pod := func() *objects.Pod {
		obj, err := c.Get(key)
		if err != nil {
			return nil
		}
		return obj.(*objects.Pod)
	}
	until := func(cond func(*objects.Pod) bool) bool {
		return c.RunUntil(func(storage.Reader) bool { p := pod(); return p != nil && cond(p) }, time.Hour)
	}

	until(func(p *objects.Pod) bool { return p.Spec.NodeName != "" })
	say("the scheduler binds it to %s (the master is tainted NoSchedule)", pod().Spec.NodeName)
	until(func(p *objects.Pod) bool { return p.Status.PodIP != "" })
	say("the kubelet sets up its sandbox: pod IP %s; it pulls resouer/ubuntu-bc (ContainerCreating)", pod().Status.PodIP)
	until(func(p *objects.Pod) bool { return p.Status.Phase == objects.PodRunning })
	say("image pulled, container started: Running, computing π to 10000 digits")
	until(func(p *objects.Pod) bool { return p.Status.Phase != objects.PodRunning })
	p := pod()
	say("bc finished after %s: phase %s (kubectl shows Completed), exit code %d",
		p.Status.ContainerStatuses[0].State.Terminated.FinishedAt.Sub(p.Status.ContainerStatuses[0].State.Terminated.StartedAt.Time),
		p.Status.Phase, p.Status.ContainerStatuses[0].State.Terminated.ExitCode)

	logs, err := c.Logs("default", "pi", "", false)
	if err != nil {
		return err
	}
	// bc ends each wrapped line with a backslash; "3." precedes the digits.
	number := strings.ReplaceAll(strings.Join(logs, ""), "\\", "")
	digits := len(strings.TrimPrefix(number, "3."))
	fmt.Println()
	fmt.Printf("kubectl logs pi: %d lines, wrapped at 70 columns as bc does, %d digits after the point:\n", len(logs), digits)
	for _, l := range logs[:3] {
		fmt.Println("  " + l)
	}
	fmt.Println("  ...")
	fmt.Println("  " + logs[len(logs)-1])
	return nil
}
