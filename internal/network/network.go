package network

import (
	"net/netip"
	"strings"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/internal/workload/sh"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Cluster DNS settings, as kubeadm's defaults set them.
const (
	// ClusterDomain is the cluster's DNS domain.
	ClusterDomain = "cluster.local"
	// DNSServiceIP is the kube-dns Service's cluster IP.
	DNSServiceIP = "10.96.0.10"
	// DNSServiceNamespace and DNSServiceName name the kube-dns Service.
	DNSServiceNamespace = "kube-system"
	DNSServiceName      = "kube-dns"
)

// Server is a server listening in a pod: its kind, its version and the
// filesystem of its container.
type Server struct {
	Kind    images.ServerKind
	Version string
	FS      vfs.Filesystem
}

// Pods finds the server listening on a pod's IP and port.
type Pods interface {
	// ServerAt returns the server of the running container listening on
	// ip:port, or false.
	ServerAt(ip string, port int) (Server, bool)
}

// Network is the cluster network over a store and the pods' servers. It
// reads r at every call, so it follows the cluster as it changes.
type Network struct {
	r    storage.Reader
	pods Pods
}

var _ sh.Network = (*Network)(nil)

// New returns the network of the cluster r describes, pods running as pods says.
func New(r storage.Reader, pods Pods) *Network { return &Network{r: r, pods: pods} }

// SearchPath is the resolv.conf search path of a ClusterFirst pod in
// namespace ns, as the kubelet writes it.
func SearchPath(ns string) []string {
	return []string{ns + ".svc." + ClusterDomain, "svc." + ClusterDomain, ClusterDomain}
}

// Nameserver returns the kube-dns Service's cluster IP.
func (n *Network) Nameserver() string {
	if svc := n.service(DNSServiceNamespace, DNSServiceName); svc != nil && svc.Spec.ClusterIP != "" {
		return svc.Spec.ClusterIP
	}
	return DNSServiceIP
}

// service returns the Service ns/name, or nil.
func (n *Network) service(ns, name string) *objects.Service {
	o, err := n.r.Get(objects.Key{Kind: "Service", Namespace: ns, Name: name})
	if err != nil {
		return nil
	}
	return o.(*objects.Service)
}

// LookupA answers an A query for fqdn; see the package doc.
func (n *Network) LookupA(fqdn string) ([]string, bool) {
	name := strings.ToLower(strings.TrimSuffix(fqdn, "."))
	rest, ok := strings.CutSuffix(name, "."+ClusterDomain)
	if !ok {
		return nil, false
	}
	labels := strings.Split(rest, ".")
	switch {
	case len(labels) == 3 && labels[2] == "svc":
		return n.serviceRecords(labels[1], labels[0])
	case len(labels) == 4 && labels[3] == "svc":
		return n.endpointRecord(labels[2], labels[1], labels[0])
	case len(labels) == 3 && labels[2] == "pod":
		ip, err := netip.ParseAddr(strings.ReplaceAll(labels[0], "-", "."))
		if err == nil && ip.Is4() {
			return []string{ip.String()}, true
		}
	}
	return nil, false
}

// serviceRecords answers <svc>.<ns>.svc: the cluster IP, or the ready
// endpoints of a headless Service (NXDOMAIN when there are none, as
// CoreDNS's errNoItems is a name error).
func (n *Network) serviceRecords(ns, name string) ([]string, bool) {
	svc := n.service(ns, name)
	if svc == nil || svc.Spec.Type == objects.ServiceTypeExternalName {
		return nil, false
	}
	if !svc.IsHeadless() {
		return []string{svc.Spec.ClusterIP}, true
	}
	var ips []string
	for _, ep := range n.readyEndpoints(svc) {
		ips = append(ips, ep.Addresses...)
	}
	return ips, len(ips) > 0
}

// endpointRecord answers <host>.<svc>.<ns>.svc: the ready endpoint whose
// hostname (or dashed IP) is host.
func (n *Network) endpointRecord(ns, name, host string) ([]string, bool) {
	svc := n.service(ns, name)
	if svc == nil {
		return nil, false
	}
	for _, ep := range n.readyEndpoints(svc) {
		if endpointName(ep) == host {
			return ep.Addresses, true
		}
	}
	return nil, false
}

// endpointName is CoreDNS's endpointHostname: the hostname, else the
// dashed IP.
func endpointName(ep objects.Endpoint) string {
	if ep.Hostname != nil && *ep.Hostname != "" {
		return *ep.Hostname
	}
	if len(ep.Addresses) == 0 {
		return ""
	}
	return strings.ReplaceAll(ep.Addresses[0], ".", "-")
}

// readyEndpoints lists svc's ready endpoints, with their slice's ports, in
// slice order.
func (n *Network) readyEndpoints(svc *objects.Service) []objects.Endpoint {
	var out []objects.Endpoint
	for _, s := range n.slices(svc) {
		for _, ep := range s.Endpoints {
			if ready(ep) {
				out = append(out, ep)
			}
		}
	}
	return out
}

// ready reports whether an endpoint is ready; an endpoint that does not
// say counts as ready, as EndpointConditions documents.
func ready(ep objects.Endpoint) bool {
	return ep.Conditions.Ready == nil || *ep.Conditions.Ready
}

// slices lists svc's EndpointSlices by name.
func (n *Network) slices(svc *objects.Service) []*objects.EndpointSlice {
	sel := objects.SelectorFromSet(map[string]string{objects.LabelServiceName: svc.Name})
	var out []*objects.EndpointSlice
	for _, o := range n.r.List("EndpointSlice", svc.Namespace, sel) {
		out = append(out, o.(*objects.EndpointSlice))
	}
	return out
}

// Get sends GET path to ip:port; see the package doc.
func (n *Network) Get(ip string, port int, path string) (sh.HTTPResponse, error) {
	if backendIP, backendPort, ok := n.route(ip, port); ok {
		ip, port = backendIP, backendPort
	} else if n.isServiceAddress(ip) {
		return sh.HTTPResponse{}, sh.ErrConnectionRefused
	}
	srv, ok := n.pods.ServerAt(ip, port)
	if !ok || srv.Kind != images.Nginx {
		return sh.HTTPResponse{}, sh.ErrConnectionRefused
	}
	return ServeNginx(srv, path), nil
}

// route maps a Service address (cluster IP and port, or node IP and node
// port) to its first ready endpoint's IP and target port.
func (n *Network) route(ip string, port int) (string, int, bool) {
	nodeIP := n.isNodeIP(ip)
	for _, o := range n.r.List("Service", "", nil) {
		svc := o.(*objects.Service)
		for _, sp := range svc.Spec.Ports {
			hit := svc.Spec.ClusterIP == ip && int(sp.Port) == port ||
				nodeIP && sp.NodePort != 0 && int(sp.NodePort) == port
			if !hit || sp.Protocol != objects.ProtocolTCP {
				continue
			}
			return n.pickBackend(svc, sp.Name)
		}
	}
	return "", 0, false
}

// pickBackend returns the first ready endpoint of svc and its port named
// portName.
func (n *Network) pickBackend(svc *objects.Service, portName string) (string, int, bool) {
	for _, s := range n.slices(svc) {
		port, ok := slicePort(s, portName)
		if !ok {
			continue
		}
		for _, ep := range s.Endpoints {
			if ready(ep) && len(ep.Addresses) > 0 {
				return ep.Addresses[0], port, true
			}
		}
	}
	return "", 0, false
}

// slicePort returns the number of the slice's port named name.
func slicePort(s *objects.EndpointSlice, name string) (int, bool) {
	for _, p := range s.Ports {
		if p.Name != nil && *p.Name == name && p.Port != nil {
			return int(*p.Port), true
		}
	}
	return 0, false
}

// isServiceAddress reports whether ip is a Service's cluster IP or a node's
// IP: kube-proxy rejects connections to one without a ready endpoint.
func (n *Network) isServiceAddress(ip string) bool {
	for _, o := range n.r.List("Service", "", nil) {
		if o.(*objects.Service).Spec.ClusterIP == ip {
			return true
		}
	}
	return false
}

// isNodeIP reports whether ip is a node's InternalIP.
func (n *Network) isNodeIP(ip string) bool {
	for _, o := range n.r.List("Node", "", nil) {
		for _, a := range o.(*objects.Node).Status.Addresses {
			if a.Type == "InternalIP" && a.Address == ip {
				return true
			}
		}
	}
	return false
}
