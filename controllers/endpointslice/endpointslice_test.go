package endpointslice_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers/endpointslice"
	"github.com/kubesim/kubesim/objects"
)

func pod(name, ip string, ready, terminating bool) *objects.Pod {
	status := objects.ConditionFalse
	if ready {
		status = objects.ConditionTrue
	}
	p := &objects.Pod{ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default", UID: "uid-" + name},
		Spec:   objects.PodSpec{NodeName: "n1", Containers: []objects.Container{{Name: "c"}}},
		Status: objects.PodStatus{Phase: objects.PodRunning, PodIP: ip, Conditions: []objects.PodCondition{{Type: objects.PodReady, Status: status}}}}
	if terminating {
		now := objects.NewTime(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
		p.DeletionTimestamp = &now
	}
	return p
}

func TestDesiredConditions(t *testing.T) {
	svc := &objects.Service{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: objects.ObjectMeta{Name: "web", Namespace: "default", UID: "svc-uid"},
		Spec: objects.ServiceSpec{Selector: map[string]string{"app": "web"}, ClusterIP: "10.96.1.1",
			Ports: []objects.ServicePort{{Name: "http", Port: 80, TargetPort: objects.FromInt(8080), Protocol: objects.ProtocolTCP}}}}
	slices := endpointslice.Desired(svc, []*objects.Pod{
		pod("a", "10.244.1.2", true, false), pod("b", "10.244.1.3", false, false), pod("c", "10.244.1.4", true, true),
	})
	require.Len(t, slices, 1)
	s := slices[0]
	assert.Equal(t, "web-", s.GenerateName)
	assert.Equal(t, "web", s.Labels[objects.LabelServiceName])
	assert.Equal(t, objects.EndpointSliceControllerName, s.Labels[objects.LabelManagedBy])
	assert.Equal(t, int32(8080), *s.Ports[0].Port)
	type cond struct{ ready, serving, terminating bool }
	var got []cond
	for _, ep := range s.Endpoints {
		got = append(got, cond{*ep.Conditions.Ready, *ep.Conditions.Serving, *ep.Conditions.Terminating})
	}
	// A terminating pod is never ready, though it may still serve.
	assert.Equal(t, []cond{{true, true, false}, {false, false, false}, {false, true, true}}, got)

	empty := endpointslice.Desired(svc, nil)
	require.Len(t, empty, 1)
	assert.Empty(t, empty[0].Endpoints)
}
