package statefulset_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/statefulset"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// newSet is the tutorial's StatefulSet "web": nginx pods under the
// headless Service "nginx", each with a claim from the template "www".
func newSet(replicas int32) *objects.StatefulSet {
	labels := map[string]string{"app": "nginx"}
	return &objects.StatefulSet{
		TypeMeta:   objects.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: objects.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: objects.StatefulSetSpec{
			Replicas: &replicas, ServiceName: "nginx",
			Selector: &objects.LabelSelector{MatchLabels: labels},
			Template: objects.PodTemplateSpec{ObjectMeta: objects.ObjectMeta{Labels: labels},
				Spec: objects.PodSpec{Containers: []objects.Container{{Name: "nginx", Image: "nginx:1.25"}}}},
			VolumeClaimTemplates: []objects.PersistentVolumeClaim{{ObjectMeta: objects.ObjectMeta{Name: "www"},
				Spec: objects.PersistentVolumeClaimSpec{AccessModes: []string{"ReadWriteOnce"},
					Resources: objects.VolumeResourceRequirements{Requests: objects.ResourceList{"storage": objects.MustParseQuantity("1Gi")}}}}},
		},
	}
}

// sync reconciles web once and applies the result, returning its events' messages.
func sync(t *testing.T, s *storage.Store, c *statefulset.Controller) []string {
	t.Helper()
	controllertest.Feed(s, c)
	res := c.Reconcile(start, s, objects.Key{Kind: "StatefulSet", Namespace: "default", Name: "web"})
	applied := controllertest.Apply(s, c, res)
	require.NoError(t, applied.Err)
	var msgs []string
	for _, e := range applied.Events {
		msgs = append(msgs, e.Reason+": "+e.Message)
	}
	require.Empty(t, statefulset.CheckInvariants(s))
	return msgs
}

// makeReady marks a pod Running and Ready, as its kubelet would.
func makeReady(t *testing.T, s *storage.Store, name string) {
	t.Helper()
	o, err := s.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: name})
	require.NoError(t, err)
	p := o.(*objects.Pod).DeepCopy()
	p.Status.Phase = objects.PodRunning
	p.Status.Conditions = []objects.PodCondition{{Type: objects.PodReady, Status: objects.ConditionTrue,
		LastTransitionTime: objects.Time{Time: start}}}
	_, err = s.UpdateStatus(p)
	require.NoError(t, err)
}

func TestOrderedReadyCreatesClaimsThenPodsInOrder(t *testing.T) {
	s := controllertest.NewStore(t, start)
	c := statefulset.New()
	_, err := s.Create(newSet(2))
	require.NoError(t, err)

	require.Equal(t, []string{
		"SuccessfulCreate: Create Claim www-web-0 Pod web-0 in StatefulSet web success",
		"SuccessfulCreate: Create Pod web-0 in StatefulSet web successful",
	}, sync(t, s, c))
	// web-0 is not Running and Ready yet: web-1 waits.
	require.Empty(t, sync(t, s, c))
	_, err = s.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "web-1"})
	require.ErrorIs(t, err, storage.ErrNotFound)

	makeReady(t, s, "web-0")
	require.Equal(t, []string{
		"SuccessfulCreate: Create Claim www-web-1 Pod web-1 in StatefulSet web success",
		"SuccessfulCreate: Create Pod web-1 in StatefulSet web successful",
	}, sync(t, s, c))

	o, err := s.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "web-1"})
	require.NoError(t, err)
	p := o.(*objects.Pod).DeepCopy()
	require.Equal(t, "web-1", p.Spec.Hostname)
	require.Equal(t, "nginx", p.Spec.Subdomain)
	require.Equal(t, "1", p.Labels[objects.PodIndexLabel])
	require.Equal(t, "web-1", p.Labels[objects.StatefulSetPodNameLabel])
	require.Regexp(t, `^web-[4-9bcdf]{1,10}$`, p.Labels[objects.ControllerRevisionHashLabelKey])
	require.Equal(t, "www-web-1", p.Spec.Volumes[0].PersistentVolumeClaim.ClaimName)
}

func TestDeletedPodIsRecreatedWithItsClaim(t *testing.T) {
	s := controllertest.NewStore(t, start)
	c := statefulset.New()
	_, err := s.Create(newSet(1))
	require.NoError(t, err)
	sync(t, s, c)
	_, err = s.Delete(objects.Key{Kind: "Pod", Namespace: "default", Name: "web-0"}, storage.DeleteOptions{GracePeriodSeconds: new(int64)})
	require.NoError(t, err)
	// The claim exists already: only the pod is created again.
	require.Equal(t, []string{"SuccessfulCreate: Create Pod web-0 in StatefulSet web successful"}, sync(t, s, c))
}

func TestScaleDownDeletesHighestOrdinalFirstAndKeepsClaims(t *testing.T) {
	s := controllertest.NewStore(t, start)
	c := statefulset.NewWithConfig(statefulset.Config{LowerCaseVerbs: true})
	_, err := s.Create(newSet(3))
	require.NoError(t, err)
	for _, name := range []string{"web-0", "web-1", "web-2"} {
		sync(t, s, c)
		makeReady(t, s, name)
	}
	o, err := s.Get(objects.Key{Kind: "StatefulSet", Namespace: "default", Name: "web"})
	require.NoError(t, err)
	set := o.(*objects.StatefulSet).DeepCopy()
	*set.Spec.Replicas = 1
	_, err = s.Update(set)
	require.NoError(t, err)

	// Kubernetes 1.34 wording: one deletion a sync, from the top.
	require.Equal(t, []string{"SuccessfulDelete: delete Pod web-2 in StatefulSet web successful"}, sync(t, s, c))
	_, err = s.Get(objects.Key{Kind: "PersistentVolumeClaim", Namespace: "default", Name: "www-web-2"})
	require.NoError(t, err, "the default Retain policy keeps a scaled-down pod's claim")
}

var _ controllers.Controller = statefulset.New()
