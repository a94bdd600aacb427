package storage_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// service returns a ClusterIP Service with one port.
func service(name, clusterIP string) *objects.Service {
	return &objects.Service{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default"},
		Spec: objects.ServiceSpec{ClusterIP: clusterIP, Selector: map[string]string{"app": name},
			Ports: []objects.ServicePort{{Port: 80}}}}
}

func TestServiceGetsClusterIPFromUpperBand(t *testing.T) {
	f := newFixture(t)
	got := f.mustCreate(t, service("web", "")).(*objects.Service)
	ip := netip.MustParseAddr(got.Spec.ClusterIP)
	// Dynamic allocation skips the first 256 addresses, kept for static use.
	assert.True(t, netip.MustParsePrefix("10.96.0.0/12").Contains(ip))
	assert.False(t, netip.MustParsePrefix("10.96.0.0/24").Contains(ip), ip)
	assert.Equal(t, []string{got.Spec.ClusterIP}, got.Spec.ClusterIPs)
	assert.Equal(t, objects.IPFamilyPolicySingleStack, *got.Spec.IPFamilyPolicy)
	assert.Equal(t, []string{"IPv4"}, got.Spec.IPFamilies)
}

func TestRequestedClusterIP(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(t, service("dns", "10.96.0.10"))
	_, err := f.s.Create(service("taken", "10.96.0.10"))
	assert.EqualError(t, err, `Service "taken" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated`)
	_, err = f.s.Create(service("outside", "10.0.0.1"))
	assert.EqualError(t, err, `Service "outside" is invalid: spec.clusterIPs[0]: Invalid value: "10.0.0.1": failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12`)
}

func TestDeletingServiceReleasesItsIP(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(t, service("a", "10.96.0.20"))
	_, err := f.s.Delete(objects.Key{Kind: "Service", Namespace: "default", Name: "a"}, storage.DeleteOptions{})
	require.NoError(t, err)
	f.mustCreate(t, service("b", "10.96.0.20"))
}

func TestHeadlessServiceGetsNoIP(t *testing.T) {
	f := newFixture(t)
	svc := service("db", objects.ClusterIPNone)
	svc.Spec.Ports = nil
	got := f.mustCreate(t, svc).(*objects.Service)
	assert.Equal(t, []string{"None"}, got.Spec.ClusterIPs)
}

func TestNodePortAllocation(t *testing.T) {
	f := newFixture(t)
	svc := service("np", "")
	svc.Spec.Type = objects.ServiceTypeNodePort
	got := f.mustCreate(t, svc).(*objects.Service)
	assert.GreaterOrEqual(t, got.Spec.Ports[0].NodePort, int32(storage.NodePortMin))
	assert.LessOrEqual(t, got.Spec.Ports[0].NodePort, int32(storage.NodePortMax))
	bad := service("bad", "")
	bad.Spec.Type = objects.ServiceTypeNodePort
	bad.Spec.Ports[0].NodePort = 80
	_, err := f.s.Create(bad)
	assert.EqualError(t, err, `Service "bad" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767`)
}

func TestClusterIPIsImmutable(t *testing.T) {
	f := newFixture(t)
	got := f.mustCreate(t, service("web", "10.96.0.30")).(*objects.Service)
	got.Spec.ClusterIP = "10.96.0.31"
	_, err := f.s.Update(got)
	var se *storage.StatusError
	require.True(t, errors.As(err, &se))
	assert.EqualError(t, err, `Service "web" is invalid: spec.clusterIP: Invalid value: "10.96.0.31": field is immutable`)
	// An update that leaves clusterIP out keeps the allocated one.
	again := f.mustGetService(t, "web")
	again.Spec.ClusterIP, again.Spec.ClusterIPs = "", nil
	up, err := f.s.Update(again)
	require.NoError(t, err)
	assert.Equal(t, "10.96.0.30", up.(*objects.Service).Spec.ClusterIP)
}

func (f *fixture) mustGetService(t *testing.T, name string) *objects.Service {
	t.Helper()
	o, err := f.s.Get(objects.Key{Kind: "Service", Namespace: "default", Name: name})
	require.NoError(t, err)
	return o.(*objects.Service)
}
