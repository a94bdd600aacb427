package sim

import (
	"fmt"
	"math/rand/v2"

	"github.com/kubesim/kubesim/internal/network"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// nginxPort is the port the nginx image's default server listens on.
const nginxPort = 80

// podServers is the cluster's answer to network.Pods: which server of a
// running container listens on a pod IP and port.
type podServers struct{ c *Cluster }

var _ network.Pods = podServers{}

// ServerAt finds a running container of a live pod with IP ip whose image
// runs its server on port: nginx, with the image's own command, on 80.
func (s podServers) ServerAt(ip string, port int) (network.Server, bool) {
	for _, o := range s.c.store.List("Pod", "", nil) {
		p := o.(*objects.Pod)
		if p.Status.PodIP != ip || p.Status.Phase != objects.PodRunning {
			continue
		}
		for _, ct := range p.Spec.Containers {
			img := s.c.images.Lookup(ct.Image)
			if img.Server != images.Nginx || port != nginxPort || len(ct.Command) > 0 || !containerRunning(p, ct.Name) {
				continue
			}
			fs, err := s.c.ContainerFS(p.Namespace, p.Name, ct.Name)
			if err != nil {
				continue
			}
			return network.Server{Kind: img.Server, Version: envValue(img.Env, "NGINX_VERSION"), FS: fs}, true
		}
	}
	return network.Server{}, false
}

// containerRunning reports whether the pod's status shows the container running.
func containerRunning(p *objects.Pod, name string) bool {
	for _, st := range p.Status.ContainerStatuses {
		if st.Name == name {
			return st.State.Running != nil
		}
	}
	return false
}

// envValue returns the value of the variable name in env, or "".
func envValue(env []workload.EnvVar, name string) string {
	for _, e := range env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// bootstrapServices are the Services a kubeadm cluster starts with: the
// apiserver's "kubernetes" Service (first IP of the range, port 443 to
// the apiserver's 6443) and CoreDNS's kube-dns (tenth IP). kubesim runs
// no CoreDNS pods (internal/network answers the queries), so kube-dns is
// created without its selector "k8s-app: kube-dns": no controller keeps
// empty endpoints for it.
func bootstrapServices() []*objects.Service {
	tcp, udp := objects.ProtocolTCP, objects.ProtocolUDP
	return []*objects.Service{
		{
			TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Service"},
			ObjectMeta: objects.ObjectMeta{Name: "kubernetes", Namespace: objects.NamespaceDefault,
				Labels: map[string]string{"component": "apiserver", "provider": "kubernetes"}},
			Spec: objects.ServiceSpec{ClusterIP: "10.96.0.1", Ports: []objects.ServicePort{
				{Name: "https", Protocol: tcp, Port: 443, TargetPort: objects.FromInt(6443)}}},
		},
		{
			TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Service"},
			ObjectMeta: objects.ObjectMeta{Name: network.DNSServiceName, Namespace: network.DNSServiceNamespace,
				Labels: map[string]string{"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
					"kubernetes.io/name": "CoreDNS"},
				Annotations: map[string]string{"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}},
			Spec: objects.ServiceSpec{ClusterIP: network.DNSServiceIP,
				Ports: []objects.ServicePort{
					{Name: "dns", Protocol: udp, Port: 53, TargetPort: objects.FromInt(53)},
					{Name: "dns-tcp", Protocol: tcp, Port: 53, TargetPort: objects.FromInt(53)},
					{Name: "metrics", Protocol: tcp, Port: 9153, TargetPort: objects.FromInt(9153)},
				}},
		},
	}
}

// systemSeedStream is the PCG stream of the system objects' random draws.
const systemSeedStream = seedStream + 1

// randSwitch is the store's random source: the cluster's stream, except
// while the bootstrap creates the network's system objects, which draw
// from a stream of their own so that adding them left every generated
// name and uid of a run where it was.
type randSwitch struct {
	cur, main, system storage.Rand
}

// newRandSwitch returns a switch reading from main, with the system stream
// seeded from seed.
func newRandSwitch(main storage.Rand, seed uint64) *randSwitch {
	return &randSwitch{cur: main, main: main, system: rand.New(rand.NewPCG(seed, systemSeedStream))}
}

// IntN draws from the current stream.
func (r *randSwitch) IntN(n int) int { return r.cur.IntN(n) }

// bootstrapNetwork creates the system Services and the kubernetes
// Service's Endpoints and EndpointSlice, which the apiserver maintains
// (pointing at the first control-plane node's port 6443).
func (c *Cluster) bootstrapNetwork() error {
	c.storeRand.cur = c.storeRand.system
	defer func() { c.storeRand.cur = c.storeRand.main }()
	objs := []objects.Object{}
	for _, s := range bootstrapServices() {
		objs = append(objs, s)
	}
	if ip := c.apiserverIP(); ip != "" {
		objs = append(objs, kubernetesEndpoints(ip), kubernetesEndpointSlice(ip))
	}
	for _, o := range objs {
		if _, err := c.store.Create(o); err != nil {
			return fmt.Errorf("sim: creating %s %s: %w", o.GetTypeMeta().Kind, o.GetObjectMeta().Name, err)
		}
	}
	return nil
}

// apiserverIP is the InternalIP of the first control-plane node, or of
// the first node.
func (c *Cluster) apiserverIP() string {
	for _, n := range c.cfg.Nodes {
		if n.ControlPlane {
			return n.InternalIP
		}
	}
	if len(c.cfg.Nodes) > 0 {
		return c.cfg.Nodes[0].InternalIP
	}
	return ""
}

// apiserverPort is the port kube-apiserver serves on.
const apiserverPort = 6443

// kubernetesEndpoints is the Endpoints the apiserver keeps for itself.
func kubernetesEndpoints(ip string) *objects.Endpoints {
	return &objects.Endpoints{
		TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Endpoints"},
		ObjectMeta: objects.ObjectMeta{Name: "kubernetes", Namespace: objects.NamespaceDefault,
			Labels: map[string]string{"endpointslice.kubernetes.io/skip-mirror": "true"}},
		Subsets: []objects.EndpointSubset{{Addresses: []objects.EndpointAddress{{IP: ip}},
			Ports: []objects.EndpointPort{{Name: "https", Port: apiserverPort, Protocol: objects.ProtocolTCP}}}},
	}
}

// kubernetesEndpointSlice is the EndpointSlice the apiserver keeps for itself.
func kubernetesEndpointSlice(ip string) *objects.EndpointSlice {
	ready, name, proto, port := true, "https", objects.ProtocolTCP, int32(apiserverPort)
	return &objects.EndpointSlice{
		TypeMeta: objects.TypeMeta{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice"},
		ObjectMeta: objects.ObjectMeta{Name: "kubernetes", Namespace: objects.NamespaceDefault,
			Labels: map[string]string{objects.LabelServiceName: "kubernetes"}},
		AddressType: objects.AddressTypeIPv4,
		Endpoints:   []objects.Endpoint{{Addresses: []string{ip}, Conditions: objects.EndpointConditions{Ready: &ready}}},
		Ports:       []objects.EndpointSlicePort{{Name: &name, Port: &port, Protocol: &proto}},
	}
}
