// Command job-pi replays the tutorial's π Job through kubesim's Go API and
// narrates it for a learner: what each part of Kubernetes does, and when,
// in virtual time.
//
//	go run ./examples/job-pi
package main

import (
	_ "embed"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/kubesim/kubesim/kubectl/printers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

//go:embed job.yaml
var manifest []byte

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "job-pi:", err)
		os.Exit(1)
	}
}

// scene wraps the cluster with the few questions the narration asks.
type scene struct {
	c *sim.Cluster
}

func (s scene) say(format string, args ...any) {
	fmt.Printf("[%s] %s\n", sim.FormatOffset(s.c.Now().Sub(s.c.Start())), fmt.Sprintf(format, args...))
}

// pod returns the Job's pod, once there is one.
func (s scene) pod() *objects.Pod {
	for _, obj := range s.c.Store().List("Pod", "default", nil) {
		if p := obj.(*objects.Pod); p.Labels["job-name"] == "pi" {
			return p
		}
	}
	return nil
}

func (s scene) job() *objects.Job {
	obj, err := s.c.Get(objects.Key{Kind: "Job", Namespace: "default", Name: "pi"})
	if err != nil {
		return nil
	}
	return obj.(*objects.Job)
}

// until lets virtual time pass until cond holds for the Job's pod.
func (s scene) until(cond func(*objects.Pod) bool) {
	s.c.RunUntil(func(storage.Reader) bool { p := s.pod(); return p != nil && cond(p) }, time.Hour)
}

func run() error {
	c, err := sim.New(sim.Config{})
	if err != nil {
		return err
	}
	s := scene{c: c}
	fmt.Println("The tutorial's first Job computes π to 10000 digits: `echo 'scale=10000; 4*a(1)' | bc -l`.")
	fmt.Println("kubesim replays it on the tutorial's three-node cluster, in virtual time.")
	fmt.Println()
	if _, err := c.Create(manifest); err != nil {
		return err
	}
	j := s.job()
	s.say("kubectl create -f job.yaml: job.batch/pi created")
	s.say("the apiserver gave the Job a selector, %s,", objects.FormatLabelSelector(j.Spec.Selector))
	s.say("  and put the matching labels on its pod template, so the Job finds its pods")

	s.until(func(*objects.Pod) bool { return true })
	p := s.pod()
	s.say("the Job controller sees 0 of 1 completions and no pod running: it creates pod %s", p.Name)
	s.until(func(p *objects.Pod) bool { return p.Spec.NodeName != "" })
	s.say("the scheduler binds it to %s; kubectl shows %s", s.pod().Spec.NodeName, printers.PodDisplayStatus(s.pod()))
	s.until(func(p *objects.Pod) bool { return p.Status.PodIP != "" })
	s.say("the kubelet sets up its sandbox (IP %s) and pulls resouer/ubuntu-bc: %s", s.pod().Status.PodIP, printers.PodDisplayStatus(s.pod()))
	s.until(func(p *objects.Pod) bool { return p.Status.Phase == objects.PodRunning })
	s.say("the image is there, the container starts: %s — bc is computing", printers.PodDisplayStatus(s.pod()))
	s.until(func(p *objects.Pod) bool { return p.Status.Phase == objects.PodSucceeded })
	s.say("bc exits 0 after 1m54s: the pod is %s, and never restarted (restartPolicy: Never)", printers.PodDisplayStatus(s.pod()))
	c.RunUntil(func(storage.Reader) bool { j := s.job(); return j != nil && objects.IsJobFinished(j) }, time.Minute)
	j = s.job()
	s.say("the Job controller counts 1 succeeded of 1: the Job is Complete (%d succeeded, %d failed)", j.Status.Succeeded, j.Status.Failed)

	logs, err := c.Logs("default", s.pod().Name, "", false)
	if err != nil {
		return err
	}
	// bc ends each wrapped line with a backslash; "3." precedes the digits.
	number := strings.ReplaceAll(strings.Join(logs, ""), "\\", "")
	fmt.Println()
	fmt.Printf("kubectl logs %s: %d lines, wrapped at 70 columns as bc wraps them, %d digits after the point:\n",
		s.pod().Name, len(logs), len(strings.TrimPrefix(number, "3.")))
	for _, l := range logs[:3] {
		fmt.Println("  " + l)
	}
	fmt.Println("  ...")
	fmt.Println("  " + logs[len(logs)-1])
	return nil
}
