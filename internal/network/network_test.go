package network_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/internal/network"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/internal/workload/sh"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// onePod serves nginx on 10.244.1.2:80 from fs.
type onePod struct{ fs vfs.Filesystem }

func (p onePod) ServerAt(ip string, port int) (network.Server, bool) {
	if ip == "10.244.1.2" && port == 80 {
		return network.Server{Kind: images.Nginx, Version: "1.25.3", FS: p.fs}, true
	}
	return network.Server{}, false
}

// cluster stores a ClusterIP Service web (80 → 8080... mapped to 80) and a
// headless Service db with one ready endpoint named db-0.
func cluster(t *testing.T) storage.Reader {
	s := storage.New(clock.NewFake(t0), rand.New(rand.NewPCG(1, 2)))
	mustCreate := func(o objects.Object) {
		_, err := s.Create(o)
		require.NoError(t, err)
	}
	mustCreate(&objects.Namespace{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Namespace"}, ObjectMeta: objects.ObjectMeta{Name: "default"}})
	svcMeta := objects.TypeMeta{APIVersion: "v1", Kind: "Service"}
	mustCreate(&objects.Service{TypeMeta: svcMeta, ObjectMeta: objects.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: objects.ServiceSpec{ClusterIP: "10.96.0.50", Ports: []objects.ServicePort{{Name: "http", Port: 8000, TargetPort: objects.FromInt(80)}}}})
	mustCreate(&objects.Service{TypeMeta: svcMeta, ObjectMeta: objects.ObjectMeta{Name: "db", Namespace: "default"},
		Spec: objects.ServiceSpec{ClusterIP: objects.ClusterIPNone}})
	yes, no, name, port, host := true, false, "http", int32(80), "db-0"
	sliceMeta := objects.TypeMeta{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice"}
	mustCreate(&objects.EndpointSlice{TypeMeta: sliceMeta, AddressType: "IPv4",
		ObjectMeta: objects.ObjectMeta{Name: "web-abcde", Namespace: "default", Labels: map[string]string{objects.LabelServiceName: "web"}},
		Endpoints:  []objects.Endpoint{{Addresses: []string{"10.244.1.2"}, Conditions: objects.EndpointConditions{Ready: &yes}}},
		Ports:      []objects.EndpointSlicePort{{Name: &name, Port: &port}}})
	mustCreate(&objects.EndpointSlice{TypeMeta: sliceMeta, AddressType: "IPv4",
		ObjectMeta: objects.ObjectMeta{Name: "db-abcde", Namespace: "default", Labels: map[string]string{objects.LabelServiceName: "db"}},
		Endpoints: []objects.Endpoint{
			{Addresses: []string{"10.244.2.7"}, Hostname: &host, Conditions: objects.EndpointConditions{Ready: &yes}},
			{Addresses: []string{"10.244.2.8"}, Conditions: objects.EndpointConditions{Ready: &no}},
		}})
	return s
}

func TestLookupA(t *testing.T) {
	n := network.New(cluster(t), onePod{})
	for name, want := range map[string][]string{
		"web.default.svc.cluster.local":        {"10.96.0.50"},
		"db.default.svc.cluster.local":         {"10.244.2.7"},
		"db-0.db.default.svc.cluster.local":    {"10.244.2.7"},
		"10-244-1-2.default.pod.cluster.local": {"10.244.1.2"},
	} {
		got, ok := n.LookupA(name)
		assert.True(t, ok, name)
		assert.Equal(t, want, got, name)
	}
	for _, name := range []string{"nosuch.default.svc.cluster.local", "web.svc.cluster.local", "example.com",
		"10-244-2-8.db.default.svc.cluster.local"} {
		_, ok := n.LookupA(name)
		assert.False(t, ok, name)
	}
	assert.Equal(t, network.DNSServiceIP, n.Nameserver())
}

func TestGetThroughServiceAndForbidden(t *testing.T) {
	fs := vfs.New()
	require.NoError(t, fs.MkdirAll("/usr/share/nginx/html", 0o755, t0))
	require.NoError(t, fs.WriteFile("/usr/share/nginx/html/index.html", []byte("hi\n"), 0o644, t0))
	n := network.New(cluster(t), onePod{fs: fs})
	r, err := n.Get("10.96.0.50", 8000, "/")
	require.NoError(t, err)
	assert.Equal(t, 200, r.Status)
	assert.Equal(t, "hi\n", r.Body)
	r, err = n.Get("10.244.1.2", 80, "/missing")
	require.NoError(t, err)
	assert.Equal(t, 404, r.Status)
	require.NoError(t, fs.Chmod("/usr/share/nginx/html", 0o700))
	r, err = n.Get("10.244.1.2", 80, "/")
	require.NoError(t, err)
	assert.Equal(t, 403, r.Status)
	assert.Equal(t, "<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<center><h1>403 Forbidden</h1></center>\n<hr><center>nginx/1.25.3</center>\n</body>\n</html>\n", r.Body)
	_, err = n.Get("10.244.1.2", 8080, "/")
	assert.ErrorIs(t, err, sh.ErrConnectionRefused)
	_, err = n.Get("10.96.0.50", 80, "/")
	assert.ErrorIs(t, err, sh.ErrConnectionRefused)
}
