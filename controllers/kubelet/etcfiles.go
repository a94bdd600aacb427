package kubelet

import (
	"net/netip"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/objects"
)

// managedHostsHeader opens every /etc/hosts the kubelet writes.
const managedHostsHeader = "# Kubernetes-managed hosts file.\n"

// hostsFileFor is the /etc/hosts the kubelet gives the containers of pod
// at address ip (none when invalid), as
// upstream's managedHostsFileContent writes it (pkg/kubelet/kubelet_pods.go):
// the loopback names, then the pod's address with its hostname, or with
// its fully qualified name when it has a subdomain (a StatefulSet's pods
// under their headless Service).
func hostsFileFor(pod *objects.Pod, ip netip.Addr) string {
	var b strings.Builder
	b.WriteString(managedHostsHeader)
	b.WriteString("127.0.0.1\tlocalhost\n")
	b.WriteString("::1\tlocalhost ip6-localhost ip6-loopback\n")
	b.WriteString("fe00::0\tip6-localnet\n")
	b.WriteString("fe00::0\tip6-mcastprefix\n")
	b.WriteString("fe00::1\tip6-allnodes\n")
	b.WriteString("fe00::2\tip6-allrouters\n")
	if !ip.IsValid() {
		return b.String()
	}
	host := hostnameOf(pod)
	if sub := pod.Spec.Subdomain; sub != "" {
		b.WriteString(ip.String() + "\t" + host + "." + sub + "." + pod.Namespace + ".svc." + clusterDomain + "\t" + host + "\n")
	} else {
		b.WriteString(ip.String() + "\t" + host + "\n")
	}
	return b.String()
}

// resolvConf is the /etc/resolv.conf of a pod's containers: for cluster DNS
// (ClusterFirst), the cluster's DNS Service, the namespace's search path and
// ndots:5, as pkg/kubelet/network/dns writes it; otherwise the node's own
// resolv.conf, if it has one.
func (pr *podRun) resolvConf() (string, bool) {
	if !usesClusterDNS(pr.pod) || pr.k.cfg.Network == nil {
		data, err := pr.k.host.ReadFile("/etc/resolv.conf")
		return string(data), err == nil
	}
	return clusterResolvConf(pr.pod, pr.k.cfg.Network.Nameserver()), true
}

// clusterResolvConf is the resolv.conf of a pod using the cluster DNS
// server at nameserver.
func clusterResolvConf(pod *objects.Pod, nameserver string) string {
	return "search " + strings.Join(dnsSearch(pod), " ") + "\nnameserver " + nameserver + "\noptions ndots:5\n"
}

// writeEtcFiles puts the kubelet's /etc/hosts and /etc/resolv.conf into a
// container's root, as the runtime bind-mounts them there. Their contents
// are what they are now; the root, a deferred FS, takes them when first
// used.
func (pr *podRun) writeEtcFiles(root *vfs.FS, now time.Time) {
	if pr.pod.Spec.HostNetwork {
		return // the node's own files
	}
	// The pod (a stored object, never changed), its address and the DNS
	// server are taken now, the node's own resolv.conf read now; the
	// texts are made only if the root is ever built.
	pod, ip := pr.pod, pr.ip
	var nodeConf, nameserver string
	hasConf, clusterDNS := true, usesClusterDNS(pod) && pr.k.cfg.Network != nil
	if clusterDNS {
		nameserver = pr.k.cfg.Network.Nameserver()
	} else {
		nodeConf, hasConf = pr.resolvConf()
	}
	root.Defer(func(f *vfs.FS) {
		_ = f.MkdirAll("/etc", 0o755, now)
		_ = f.WriteFile("/etc/hosts", []byte(hostsFileFor(pod, ip)), 0o644, now)
		switch {
		case clusterDNS:
			_ = f.WriteFile("/etc/resolv.conf", []byte(clusterResolvConf(pod, nameserver)), 0o644, now)
		case hasConf:
			_ = f.WriteFile("/etc/resolv.conf", []byte(nodeConf), 0o644, now)
		}
	})
}
