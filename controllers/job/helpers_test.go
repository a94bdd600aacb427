package job_test

import (
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/job"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// t0 is when every test begins.
var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// env is a store holding namespace default, its clock, a Job controller,
// and what applying the controller's results produced.
type env struct {
	t     *testing.T
	clk   *clock.Fake
	store *storage.Store
	c     *job.Controller
	// events are the events recorded by applied results, in order.
	events []controllers.Event
	// queued are the keys KeysFor returned for the changes since the last drain.
	queued []objects.Key
}

func newEnv(t *testing.T) *env {
	t.Helper()
	store, clk := controllertest.NewStoreWithClock(t, t0)
	e := &env{t: t, clk: clk, store: store, c: job.New()}
	e.store.DrainEvents()
	return e
}

func ptr[T any](v T) *T { return &v }

// newJob returns the "pi" Job of the Kubernetes tutorial, restartPolicy Never.
func newJob(mutate ...func(*objects.Job)) *objects.Job {
	j := &objects.Job{
		TypeMeta:   objects.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: "pi"},
		Spec: objects.JobSpec{Template: objects.PodTemplateSpec{Spec: objects.PodSpec{
			RestartPolicy: objects.RestartPolicyNever,
			Containers:    []objects.Container{{Name: "pi", Image: "perl:5.34.0", Command: []string{"perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"}}},
		}}},
	}
	for _, m := range mutate {
		m(j)
	}
	return j
}

// withCounts sets parallelism and completions (-1 leaves completions nil).
func withCounts(parallelism, completions int32) func(*objects.Job) {
	return func(j *objects.Job) {
		j.Spec.Parallelism = ptr(parallelism)
		if completions >= 0 {
			j.Spec.Completions = ptr(completions)
		}
	}
}

// indexed makes the Job Indexed.
func indexed(j *objects.Job) { j.Spec.CompletionMode = ptr(objects.IndexedCompletion) }

// createJob stores a Job and returns it as stored.
func (e *env) createJob(j *objects.Job) *objects.Job {
	e.t.Helper()
	out, err := e.store.Create(j)
	require.NoError(e.t, err)
	e.drain()
	return out.(*objects.Job).DeepCopy()
}

// getJob reads the Job back.
func (e *env) getJob(name string) *objects.Job {
	e.t.Helper()
	obj, err := e.store.Get(objects.Key{Kind: "Job", Namespace: "default", Name: name})
	require.NoError(e.t, err)
	return obj.(*objects.Job).DeepCopy()
}

// updateJob writes a spec change, as kubectl would.
func (e *env) updateJob(j *objects.Job) *objects.Job {
	e.t.Helper()
	out, err := e.store.Update(j)
	require.NoError(e.t, err)
	e.drain()
	return out.(*objects.Job).DeepCopy()
}

// podState is how a test pod looks.
type podState struct {
	phase    string
	ready    bool
	node     string
	index    *int
	exitCode int32
	// finished is when its containers terminated (terminal phases).
	finished time.Time
	// restarts is the container's restart count.
	restarts int32
	deleting bool
	// noFinalizer leaves the tracking finalizer off.
	noFinalizer bool
	orphan      bool
	labels      map[string]string
	annotations map[string]string
	conditions  []objects.PodCondition
}

// addPod creates a pod as the Job would have, then gives it the status st.
func (e *env) addPod(j *objects.Job, name string, st podState) *objects.Pod {
	e.t.Helper()
	p := &objects.Pod{
		TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Namespace: "default", Name: name, Labels: map[string]string{},
			Annotations: map[string]string{}},
		Spec: *j.Spec.Template.Spec.DeepCopy(),
	}
	for k, v := range j.Spec.Template.Labels {
		p.Labels[k] = v
	}
	for k, v := range st.labels {
		p.Labels[k] = v
	}
	for k, v := range st.annotations {
		p.Annotations[k] = v
	}
	if !st.orphan {
		yes := true
		p.OwnerReferences = []objects.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: j.Name, UID: j.UID, Controller: &yes, BlockOwnerDeletion: &yes}}
	}
	if !st.noFinalizer {
		p.Finalizers = []string{objects.JobTrackingFinalizer}
	}
	if st.index != nil {
		p.Annotations[objects.JobCompletionIndexAnnotation] = strconv.Itoa(*st.index)
		p.Labels[objects.JobCompletionIndexAnnotation] = strconv.Itoa(*st.index)
	}
	p.Spec.NodeName = st.node
	created, err := e.store.Create(p)
	require.NoError(e.t, err)
	pod := created.(*objects.Pod).DeepCopy()
	pod.Status = podStatus(st)
	upd, err := e.store.UpdateStatus(pod)
	require.NoError(e.t, err)
	pod = upd.(*objects.Pod).DeepCopy()
	if st.deleting {
		out, err := e.store.Delete(objects.KeyOf(pod), storage.DeleteOptions{})
		require.NoError(e.t, err)
		pod = out.(*objects.Pod).DeepCopy()
	}
	e.drain()
	return pod
}

// podStatus builds the status the kubelet would report for st.
func podStatus(st podState) objects.PodStatus {
	phase := st.phase
	if phase == "" {
		phase = objects.PodRunning
	}
	s := objects.PodStatus{Phase: phase, Conditions: st.conditions}
	cs := objects.ContainerStatus{Name: "pi", RestartCount: st.restarts, Ready: st.ready}
	switch phase {
	case objects.PodSucceeded, objects.PodFailed:
		fin := st.finished
		if fin.IsZero() {
			fin = t0
		}
		cs.State.Terminated = &objects.ContainerStateTerminated{ExitCode: st.exitCode, FinishedAt: objects.NewTime(fin)}
		s.Conditions = append(s.Conditions, objects.PodCondition{Type: objects.PodReady, Status: objects.ConditionFalse, LastTransitionTime: objects.NewTime(fin)})
	case objects.PodRunning:
		cs.State.Running = &objects.ContainerStateRunning{StartedAt: objects.NewTime(t0)}
		status := objects.ConditionFalse
		if st.ready {
			status = objects.ConditionTrue
		}
		s.Conditions = append(s.Conditions, objects.PodCondition{Type: objects.PodReady, Status: status, LastTransitionTime: objects.NewTime(t0)})
	}
	s.ContainerStatuses = []objects.ContainerStatus{cs}
	return s
}

// setPodStatus moves an existing pod to a new state, as its kubelet would.
func (e *env) setPodStatus(name string, st podState) {
	e.t.Helper()
	p := e.pod(name)
	p.Status = podStatus(st)
	_, err := e.store.UpdateStatus(p)
	require.NoError(e.t, err)
	e.drain()
}

// pod reads a pod back.
func (e *env) pod(name string) *objects.Pod {
	e.t.Helper()
	obj, err := e.store.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: name})
	require.NoError(e.t, err)
	return obj.(*objects.Pod).DeepCopy()
}

// pods lists the pods of namespace default by name.
func (e *env) pods() []*objects.Pod {
	var out []*objects.Pod
	for _, o := range e.store.List("Pod", "default", nil) {
		out = append(out, o.(*objects.Pod).DeepCopy())
	}
	return out
}

// podNames lists the pod names.
func (e *env) podNames() []string {
	var out []string
	for _, p := range e.pods() {
		out = append(out, p.Name)
	}
	return out
}

// reconcile runs the controller on the Job without applying the result.
func (e *env) reconcile(name string) controllers.Result {
	return e.c.Reconcile(e.clk.Now(), e.store, objects.Key{Kind: "Job", Namespace: "default", Name: name})
}

// apply carries out a result as package sim does (controllertest.Apply),
// queueing the keys its writes give and remembering its events. It
// returns the first error.
func (e *env) apply(res controllers.Result) error {
	applied := controllertest.Apply(e.store, e.c, res)
	e.queued = append(e.queued, applied.Keys...)
	e.events = append(e.events, applied.Events...)
	return applied.Err
}

// sync reconciles the Job and applies the result, which must succeed.
func (e *env) sync(name string) controllers.Result {
	e.t.Helper()
	res := e.reconcile(name)
	require.NoError(e.t, e.apply(res))
	return res
}

// drain feeds pending watch events to KeysFor and remembers the keys.
func (e *env) drain() {
	e.queued = append(e.queued, controllertest.Feed(e.store, e.c)...)
}

// takeEvents returns the recorded events as "Type Reason Message" and forgets them.
func (e *env) takeEvents() []string {
	var out []string
	for _, ev := range e.events {
		out = append(out, ev.Type+" "+ev.Reason+" "+ev.Message)
	}
	e.events = nil
	return out
}

// takeKeys returns the distinct queued keys, sorted, and forgets them.
func (e *env) takeKeys() []objects.Key {
	seen := map[objects.Key]bool{}
	var out []objects.Key
	for _, k := range e.queued {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	e.queued = nil
	return out
}

// verbs summarises a result's actions as "verb Kind/name" lines; creates
// name the generateName.
func verbs(res controllers.Result) []string {
	var out []string
	for _, a := range res.Actions {
		var k objects.Key
		if a.Verb == controllers.Delete {
			k = a.Key
		} else {
			k = objects.KeyOf(a.Object)
			if g := a.Object.GetObjectMeta().GenerateName; g != "" && a.Verb == controllers.Create {
				k.Name = g // what the create asked for (the store names the object it takes)
			}
		}
		out = append(out, a.Verb.String()+" "+k.Kind+"/"+k.Name)
	}
	return out
}

// conditionSummary lists the conditions as "Type=Status Reason: Message".
func conditionSummary(j *objects.Job) []string {
	var out []string
	for _, c := range j.Status.Conditions {
		out = append(out, c.Type+"="+c.Status+" "+c.Reason+": "+c.Message)
	}
	return out
}

// counts is the counters part of a Job's status.
type counts struct {
	Active, Ready, Terminating, Succeeded, Failed int32
	UncountedSucceeded, UncountedFailed           int
}

// countsOf reads a Job's counters.
func countsOf(j *objects.Job) counts {
	st := j.Status
	c := counts{Active: st.Active, Succeeded: st.Succeeded, Failed: st.Failed}
	if st.Ready != nil {
		c.Ready = *st.Ready
	}
	if st.Terminating != nil {
		c.Terminating = *st.Terminating
	}
	if u := st.UncountedTerminatedPods; u != nil {
		c.UncountedSucceeded, c.UncountedFailed = len(u.Succeeded), len(u.Failed)
	}
	return c
}
