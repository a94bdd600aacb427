package endpoints_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/controllertest"
	"github.com/kubesim/kubesim/controllers/endpoints"
	"github.com/kubesim/kubesim/objects"
)

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// backend is a running pod labelled app=web with a named port.
func backend(name, ip string, ready bool) *objects.Pod {
	status := objects.ConditionFalse
	if ready {
		status = objects.ConditionTrue
	}
	return &objects.Pod{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default", UID: "uid-" + name,
			Labels: map[string]string{"app": "web"}},
		Spec: objects.PodSpec{NodeName: "n1", RestartPolicy: objects.RestartPolicyAlways,
			Containers: []objects.Container{{Name: "c", Image: "nginx",
				Ports: []objects.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: objects.ProtocolTCP}}}}},
		Status: objects.PodStatus{Phase: objects.PodRunning, PodIP: ip,
			Conditions: []objects.PodCondition{{Type: objects.PodReady, Status: status}}},
	}
}

func webService() *objects.Service {
	return &objects.Service{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: objects.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: objects.ServiceSpec{Selector: map[string]string{"app": "web"}, ClusterIP: "10.96.5.5",
			Ports: []objects.ServicePort{{Name: "http", Port: 80, TargetPort: objects.FromString("http"), Protocol: objects.ProtocolTCP}}}}
}

func TestDesiredSplitsReadyAndNotReady(t *testing.T) {
	ep := endpoints.Desired(webService(), []*objects.Pod{
		backend("b", "10.244.1.10", true), backend("a", "10.244.1.2", true), backend("c", "10.244.2.3", false),
	})
	require.Len(t, ep.Subsets, 1)
	ss := ep.Subsets[0]
	// Upstream sorts addresses by IP as a string: "10.244.1.10" < "10.244.1.2".
	assert.Equal(t, "10.244.1.10", ss.Addresses[0].IP)
	assert.Equal(t, "10.244.1.2", ss.Addresses[1].IP)
	assert.Equal(t, "10.244.2.3", ss.NotReadyAddresses[0].IP)
	assert.Equal(t, []objects.EndpointPort{{Name: "http", Port: 8080, Protocol: objects.ProtocolTCP}}, ss.Ports)
}

func TestPublishNotReadyAddresses(t *testing.T) {
	svc := webService()
	svc.Spec.PublishNotReadyAddresses = true
	ep := endpoints.Desired(svc, []*objects.Pod{backend("c", "10.244.2.3", false)})
	assert.Len(t, ep.Subsets[0].Addresses, 1)
	assert.Empty(t, ep.Subsets[0].NotReadyAddresses)
}

func TestHostnameNeedsMatchingSubdomain(t *testing.T) {
	svc := webService()
	p := backend("a", "10.244.1.2", true)
	p.Spec.Hostname, p.Spec.Subdomain = "a", "web"
	q := backend("b", "10.244.1.3", true)
	q.Spec.Hostname, q.Spec.Subdomain = "b", "other"
	ss := endpoints.Desired(svc, []*objects.Pod{p, q}).Subsets[0]
	assert.Equal(t, "a", ss.Addresses[0].Hostname)
	assert.Equal(t, "", ss.Addresses[1].Hostname)
}

func TestReconcileCreatesThenSettles(t *testing.T) {
	s := controllertest.NewStore(t, t0)
	_, err := s.Create(webService())
	require.NoError(t, err)
	c := endpoints.New()
	key := objects.Key{Kind: "Service", Namespace: "default", Name: "web"}
	res := c.Reconcile(t0, s, key)
	require.Len(t, res.Actions, 1)
	assert.Equal(t, controllers.Create, res.Actions[0].Verb)
	require.NoError(t, controllertest.Apply(s, nil, res).Err)
	assert.Empty(t, c.Reconcile(t0, s, key).Actions)
	assert.Empty(t, endpoints.CheckInvariants(s))
}
