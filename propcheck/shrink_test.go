package propcheck

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// adoptedBarePods breaks once a pod made with kubectl (pod-N) has a Job
// for its controller.
var adoptedBarePods = StoreInvariant("no-adopted-bare-pods", []string{"Pod"}, false, func(r storage.Reader) []error {
	var errs []error
	for _, o := range r.List("Pod", "", nil) {
		p := o.(*objects.Pod)
		if ref := p.ControllerRef(); ref != nil && ref.Kind == "Job" && strings.HasPrefix(p.Name, "pod-") {
			errs = append(errs, fmt.Errorf("pod %s was adopted by job %s", p.Name, ref.Name))
		}
	}
	return errs
})

// adoptionScript is a scenario whose pod-2 names job-1's uid as uid
// says, after an unrelated create when withConfigMap.
func adoptionScript(withConfigMap bool, uid string) string {
	var b strings.Builder
	for _, l := range header(sim.Config{Seed: 1, Start: time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)}) {
		b.WriteString(l + "\n")
	}
	if withConfigMap {
		b.WriteString("kubectl create configmap unrelated --from-literal=a=b\n")
	}
	b.WriteString(`kubectl create job job-1 --image=busybox:1.36 -- sleep 600
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: pod-2
  labels:
` + labelsYAML(4, map[string]string{objects.ControllerUIDLabel: uid}) + `spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "sleep 600"]
EOF
sleep 10s
`)
	return b.String()
}

// A bare pod the checker makes for a Job to adopt names the Job's uid as
// the substitution that reads it when the step runs (createPod), because
// the shrinker drops steps from a failing scenario and replays the rest:
// every create draws the next uid from the run's seeded stream, so once
// a step before the Job's is gone the Job has another uid. A literal uid
// then matches nothing and the failure is lost with the step, which kept
// the shrunk scenario long; the substitution still matches.
func TestAnAdoptingPodMatchesItsJobWhenEarlierStepsAreDropped(t *testing.T) {
	symbolic := jobUIDSubstitution("job-1")
	for _, withConfigMap := range []bool{true, false} {
		v := Replay(adoptionScript(withConfigMap, symbolic), Config{}.Cluster, []Invariant{adoptedBarePods})
		require.NotNil(t, v, "adopted, with the configmap step: %v", withConfigMap)
		assert.Equal(t, "pod pod-2 was adopted by job job-1", v.Message)
	}

	// The literal uid job-1 had in the whole scenario: it matches there,
	// and without the earlier step it does not.
	uid := jobUIDAfter(t, adoptionScript(true, symbolic))
	require.NotNil(t, Replay(adoptionScript(true, uid), Config{}.Cluster, []Invariant{adoptedBarePods}))
	assert.Nil(t, Replay(adoptionScript(false, uid), Config{}.Cluster, []Invariant{adoptedBarePods}),
		"a literal uid no longer matches once an earlier create is dropped")
}

// jobUIDAfter replays script and returns job-1's uid at its end.
func jobUIDAfter(t *testing.T, script string) string {
	t.Helper()
	var uid string
	probe := StoreInvariant("probe", []string{"Job"}, false, func(r storage.Reader) []error {
		if j, err := r.Get(objects.Key{Kind: "Job", Namespace: "default", Name: "job-1"}); err == nil {
			uid = j.GetObjectMeta().UID
		}
		return nil
	})
	Replay(script, Config{}.Cluster, []Invariant{probe})
	require.NotEmpty(t, uid)
	return uid
}

// The checker's own pods for a Job to adopt carry the substitution.
func TestCheckerWritesAdoptingPodsWithTheJobUIDSubstitution(t *testing.T) {
	report, err := Run(Config{Runs: 100, Seed: 5, Invariants: []Invariant{adoptedBarePods}, ShrinkTime: time.Second})
	require.NoError(t, err)
	f := report.Failure
	require.NotNil(t, f, "some run makes a bare pod for a Job to adopt")
	assert.Regexp(t, `controller-uid: "\$\(kubectl get job job-\d+ -o jsonpath='\{\.metadata\.uid\}'\)"`, f.Script)
	assert.NotNil(t, Replay(f.Script, Config{}.Cluster, []Invariant{adoptedBarePods}), "the scenario replays:\n%s", f.Script)
}
