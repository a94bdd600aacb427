package kubelet

import "github.com/kubesim/kubesim/objects"

// clusterDomain is the kubelet's --cluster-domain, as kubeadm sets it.
const clusterDomain = "cluster.local"

// dnsSearch is the search path the kubelet writes into a pod's
// resolv.conf (pkg/kubelet/network/dns): the cluster domains under the
// pod's namespace for ClusterFirst pods (and ClusterFirstWithHostNet
// ones); none for pods using the node's resolver.
func dnsSearch(pod *objects.Pod) []string {
	if !usesClusterDNS(pod) {
		return nil
	}
	return []string{pod.Namespace + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain}
}

// podSearch is dnsSearch(pod), made once per namespace and node (up to
// maxCachedSearches namespaces): every container start asks. Read only.
func (k *Kubelet) podSearch(pod *objects.Pod) []string {
	if !usesClusterDNS(pod) {
		return nil
	}
	search, ok := k.searchCache[pod.Namespace]
	if !ok {
		search = dnsSearch(pod)
		if k.searchCache == nil {
			k.searchCache = map[string][]string{}
		}
		if len(k.searchCache) < maxCachedSearches {
			k.searchCache[pod.Namespace] = search
		}
	}
	return search
}

// maxCachedSearches bounds Kubelet.searchCache.
const maxCachedSearches = 256

// usesClusterDNS reports whether the pod's resolv.conf names the cluster's
// DNS (dnsSearch is not empty).
func usesClusterDNS(pod *objects.Pod) bool {
	policy := pod.Spec.DNSPolicy
	return !(policy == objects.DNSDefault || policy == objects.DNSNone ||
		(pod.Spec.HostNetwork && policy != objects.DNSClusterFirstWithHostNet))
}
