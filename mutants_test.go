//go:build kubesim_mutants

package kubesim_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// The mutation tests' first half: every mutant really changes behaviour.
// Each case is a small hand-driven scenario on the tutorial's cluster and
// a measure of its outcome, run once as upstream behaves and once with the
// mutant active; both results are asserted, so a mutant that became a
// no-op (or a scenario that no longer reaches its hook) fails here. The
// second half, whether the property checker finds each mutant, is
// propcheck's TestMutants. Run with: go test -tags kubesim_mutants -run TestMutantsChangeBehaviour .

// mutantCase is one mutant's scenario, its measure, and the measure's
// value without the mutant (upstream's behaviour) and with it.
type mutantCase struct {
	mutant  string
	script  string
	measure func() measure
	off, on string
}

// measure is what a case looks at: change (optional) after every store
// change, result once the scenario has run.
type measure struct {
	change func(r storage.Reader)
	result func(r storage.Reader) string
}

// final measures the store once the scenario has run.
func final(f func(r storage.Reader) string) func() measure {
	return func() measure { return measure{result: f} }
}

// maxOver measures the largest value f takes over the run, after any
// store change.
func maxOver(f func(r storage.Reader) int) func() measure {
	return func() measure {
		best := 0
		return measure{change: func(r storage.Reader) { best = max(best, f(r)) },
			result: func(storage.Reader) string { return fmt.Sprint(best) }}
	}
}

// minOverOnce measures the smallest value f takes once it first reached
// from: how low a quantity fell after it was established.
func minOverOnce(from int, f func(r storage.Reader) int) func() measure {
	return func() measure {
		reached, least := false, from
		return measure{change: func(r storage.Reader) {
			v := f(r)
			reached = reached || v >= from
			if reached {
				least = min(least, v)
			}
		}, result: func(storage.Reader) string {
			if !reached {
				return "never reached"
			}
			return fmt.Sprint(least)
		}}
	}
}

func TestMutantsChangeBehaviour(t *testing.T) {
	cases := mutantCases()
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.mutant] = true
		t.Run(c.mutant, func(t *testing.T) {
			require.NotNil(t, mutant.Find(c.mutant), "no such mutant")
			off, on := runMutantCase(t, c, ""), runMutantCase(t, c, c.mutant)
			t.Logf("without the mutant: %s; with it: %s", off, on)
			assert.Equal(t, c.off, off, "without the mutant (upstream's behaviour)")
			assert.Equal(t, c.on, on, "with the mutant")
		})
	}
	for _, name := range mutant.Names() {
		assert.True(t, covered[name], "mutant %s has no behaviour test", name)
	}
}

// runMutantCase runs the case's scenario with active as the mutation and
// returns its measure.
func runMutantCase(t *testing.T, c mutantCase, active string) string {
	t.Helper()
	require.NoError(t, mutant.Set(active))
	defer func() { require.NoError(t, mutant.Set("")) }()
	s, err := scenario.Parse(c.mutant, strings.TrimPrefix(c.script, "\n"))
	require.NoError(t, err)
	r, err := scenario.NewRunner(sim.Config{}, ".")
	require.NoError(t, err)
	defer r.Close()
	m := c.measure()
	if m.change != nil {
		r.Cluster().Observe(func(sim.Change) { m.change(r.Cluster().Store()) })
	}
	for _, cmd := range s.Commands {
		_, err := r.Exec(c.mutant, cmd)
		require.NoError(t, err)
	}
	return m.result(r.Cluster().Store())
}

// Measures.

// createdPods counts the pods owner (a Job or ReplicaSet, by name) created:
// its SuccessfulCreate events.
func createdPods(owner string) func(r storage.Reader) string {
	return func(r storage.Reader) string {
		n := int32(0)
		for _, o := range r.List("Event", "default", nil) {
			if e := o.(*objects.Event); e.InvolvedObject.Name == owner && e.Reason == "SuccessfulCreate" {
				n += max(e.Count, 1)
			}
		}
		return fmt.Sprint(n)
	}
}

// jobState prints a Job's counters and terminal condition.
func jobState(name string) func(r storage.Reader) string {
	return func(r storage.Reader) string {
		o, err := r.Get(objects.Key{Kind: "Job", Namespace: "default", Name: name})
		if err != nil {
			return "gone"
		}
		j := o.(*objects.Job)
		state := "running"
		for _, c := range j.Status.Conditions {
			if (c.Type == objects.JobComplete || c.Type == objects.JobFailed) && c.Status == objects.ConditionTrue {
				state = c.Type + "/" + c.Reason
			}
		}
		return fmt.Sprintf("%s succeeded=%d failed=%d", state, j.Status.Succeeded, j.Status.Failed)
	}
}

// activePods counts the pods controlled by owner (by name) that are
// neither finished nor terminating.
func activePods(owner string) func(r storage.Reader) int {
	return func(r storage.Reader) int {
		n := 0
		for _, o := range r.List("Pod", "default", nil) {
			p := o.(*objects.Pod)
			if ref := p.ControllerRef(); ref != nil && ref.Name == owner && p.DeletionTimestamp == nil &&
				p.Status.Phase != objects.PodSucceeded && p.Status.Phase != objects.PodFailed {
				n++
			}
		}
		return n
	}
}

// count counts the objects of a kind, not being deleted, that keep.
func count(kind string, keep func(objects.Object) bool) func(r storage.Reader) string {
	return func(r storage.Reader) string {
		n := 0
		for _, o := range r.List(kind, "", nil) {
			if o.GetObjectMeta().DeletionTimestamp == nil && (keep == nil || keep(o)) {
				n++
			}
		}
		return fmt.Sprint(n)
	}
}

// ownedBy keeps objects whose controller is named owner.
func ownedBy(owner string) func(objects.Object) bool {
	return func(o objects.Object) bool {
		ref := o.GetObjectMeta().ControllerRef()
		return ref != nil && ref.Name == owner
	}
}

// restarts prints the restart count of a pod's first container.
func restarts(pod string) func(r storage.Reader) string {
	return func(r storage.Reader) string {
		o, err := r.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: pod})
		if err != nil || len(o.(*objects.Pod).Status.ContainerStatuses) == 0 {
			return "no status"
		}
		return fmt.Sprint(o.(*objects.Pod).Status.ContainerStatuses[0].RestartCount)
	}
}

// boundClaims lists the Bound claims and their volumes.
func boundClaims(r storage.Reader) string {
	var out []string
	for _, o := range r.List("PersistentVolumeClaim", "", nil) {
		if c := o.(*objects.PersistentVolumeClaim); c.Status.Phase == objects.ClaimBound {
			out = append(out, c.Name+"->"+c.Spec.VolumeName)
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// boundTo counts the Bound claims that name volume.
func boundTo(volume string) func(r storage.Reader) int {
	return func(r storage.Reader) int {
		n := 0
		for _, o := range r.List("PersistentVolumeClaim", "", nil) {
			if c := o.(*objects.PersistentVolumeClaim); c.Status.Phase == objects.ClaimBound && c.Spec.VolumeName == volume {
				n++
			}
		}
		return n
	}
}

// deletionOrder lists the pods in the order their deletion began.
func deletionOrder() measure {
	var order []string
	seen := map[string]bool{}
	return measure{change: func(r storage.Reader) {
		for _, o := range r.List("Pod", "default", nil) {
			if m := o.GetObjectMeta(); m.DeletionTimestamp != nil && !seen[m.Name] {
				seen[m.Name] = true
				order = append(order, m.Name)
			}
		}
	}, result: func(storage.Reader) string { return strings.Join(order, " ") }}
}

// specReplicasOf sums the spec.replicas of the ReplicaSets a Deployment
// (by name) controls.
func specReplicasOf(deployment string) func(r storage.Reader) int {
	return func(r storage.Reader) int {
		n := 0
		for _, o := range r.List("ReplicaSet", "default", nil) {
			rs := o.(*objects.ReplicaSet)
			if ref := rs.ControllerRef(); ref != nil && ref.Name == deployment && rs.Spec.Replicas != nil {
				n += int(*rs.Spec.Replicas)
			}
		}
		return n
	}
}

// appPods counts the active pods (neither finished nor terminating)
// labelled app=<app>.
func appPods(app string) func(r storage.Reader) int {
	return func(r storage.Reader) int {
		n := 0
		for _, o := range r.List("Pod", "default", nil) {
			p := o.(*objects.Pod)
			if p.Labels["app"] == app && p.DeletionTimestamp == nil &&
				p.Status.Phase != objects.PodSucceeded && p.Status.Phase != objects.PodFailed {
				n++
			}
		}
		return n
	}
}

// readyPods counts a Deployment's Running, Ready pods not being deleted
// (its pods carry the label app=<deployment>).
func readyPods(app string) func(r storage.Reader) int {
	return func(r storage.Reader) int {
		n := 0
		for _, o := range r.List("Pod", "default", nil) {
			p := o.(*objects.Pod)
			if p.Labels["app"] == app && p.DeletionTimestamp == nil && p.Status.Phase == objects.PodRunning &&
				objects.PodHasReadyCondition(p) {
				n++
			}
		}
		return n
	}
}

// readyAddresses counts an Endpoints' ready addresses.
func readyAddresses(name string) func(r storage.Reader) string {
	return func(r storage.Reader) string {
		o, err := r.Get(objects.Key{Kind: "Endpoints", Namespace: "default", Name: name})
		if err != nil {
			return "none"
		}
		n := 0
		for _, ss := range o.(*objects.Endpoints).Subsets {
			n += len(ss.Addresses)
		}
		return fmt.Sprint(n)
	}
}

// podsOnNode counts the pods bound to node.
func podsOnNode(node string) func(r storage.Reader) string {
	return count("Pod", func(o objects.Object) bool { return o.(*objects.Pod).Spec.NodeName == node })
}
