package kubelet

import (
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
)

// managedHostsHeader opens every /etc/hosts the kubelet writes.
const managedHostsHeader = "# Kubernetes-managed hosts file.\n"

// hostsFile is the /etc/hosts the kubelet gives a pod's containers, as
// upstream's managedHostsFileContent writes it (pkg/kubelet/kubelet_pods.go):
// the loopback names, then the pod's address with its hostname, or with
// its fully qualified name when it has a subdomain (a StatefulSet's pods
// under their headless Service).
func (pr *podRun) hostsFile() string {
	var b strings.Builder
	b.WriteString(managedHostsHeader)
	b.WriteString("127.0.0.1\tlocalhost\n")
	b.WriteString("::1\tlocalhost ip6-localhost ip6-loopback\n")
	b.WriteString("fe00::0\tip6-localnet\n")
	b.WriteString("fe00::0\tip6-mcastprefix\n")
	b.WriteString("fe00::1\tip6-allnodes\n")
	b.WriteString("fe00::2\tip6-allrouters\n")
	if !pr.ip.IsValid() {
		return b.String()
	}
	host := pr.hostname()
	if sub := pr.pod.Spec.Subdomain; sub != "" {
		b.WriteString(pr.ip.String() + "\t" + host + "." + sub + "." + pr.pod.Namespace + ".svc." + clusterDomain + "\t" + host + "\n")
	} else {
		b.WriteString(pr.ip.String() + "\t" + host + "\n")
	}
	return b.String()
}

// resolvConf is the /etc/resolv.conf of a pod's containers: for cluster DNS
// (ClusterFirst), the cluster's DNS Service, the namespace's search path and
// ndots:5, as pkg/kubelet/network/dns writes it; otherwise the node's own
// resolv.conf, if it has one.
func (pr *podRun) resolvConf() (string, bool) {
	search := dnsSearch(pr.pod)
	if search == nil || pr.k.cfg.Network == nil {
		data, err := pr.k.host.ReadFile("/etc/resolv.conf")
		return string(data), err == nil
	}
	return "search " + strings.Join(search, " ") + "\nnameserver " + pr.k.cfg.Network.Nameserver() + "\noptions ndots:5\n", true
}

// writeEtcFiles puts the kubelet's /etc/hosts and /etc/resolv.conf into a
// container's root, as the runtime bind-mounts them there. Their contents
// are what they are now; the root, a deferred FS, takes them when first
// used.
func (pr *podRun) writeEtcFiles(root *vfs.FS, now time.Time) {
	if pr.pod.Spec.HostNetwork {
		return // the node's own files
	}
	hosts := pr.hostsFile()
	conf, hasConf := pr.resolvConf()
	root.Defer(func(f *vfs.FS) {
		_ = f.MkdirAll("/etc", 0o755, now)
		_ = f.WriteFile("/etc/hosts", []byte(hosts), 0o644, now)
		if hasConf {
			_ = f.WriteFile("/etc/resolv.conf", []byte(conf), 0o644, now)
		}
	})
}
