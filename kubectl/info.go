package kubectl

import (
	"github.com/kubesim/kubesim/objects"
)

// This file holds the verbs that tell about the cluster rather than change
// it: top, version and cluster-info (k8s.io/kubectl pkg/cmd/top, version,
// clusterinfo).

var topFlags = []flagSpec{
	{long: "selector", short: "l", hasValue: true},
	{long: "all-namespaces", short: "A"},
	{long: "containers"},
	{long: "no-headers"},
	{long: "sort-by", hasValue: true},
	{long: "sum"},
	{long: "show-capacity"},
	{long: "use-protocol-buffers"},
}

// msgMetricsUnavailable is what kubectl top says when discovery lists no
// metrics.k8s.io group (top.go, top_pod.go and top_node.go): kubesim runs
// no metrics-server, so it is the only honest answer.
const msgMetricsUnavailable = "Metrics API not available"

// topSubcommands are the words kubectl top takes, with their aliases.
var topSubcommands = map[string]string{
	"pod": "pod", "pods": "pod", "po": "pod",
	"node": "node", "nodes": "node", "no": "node",
}

// top handles `top pod|node [NAME]`: top pod checks its flags first
// (--sort-by, NAME with -l), then asks discovery for the metrics API.
func (k *Kubectl) top(inv *invocation) error {
	args := inv.p.args
	if len(args) == 0 {
		return &usageError{msg: "a subcommand is required: pod or node", verb: "top"}
	}
	sub, ok := topSubcommands[args[0]]
	if !ok {
		return &usageError{msg: "unknown command \"" + args[0] + "\" for \"kubectl top\"", verb: "top"}
	}
	if s := inv.p.get("sort-by"); s != "" && s != "cpu" && s != "memory" {
		return plainError("--sort-by accepts only cpu or memory")
	}
	if sub == "pod" && len(args) > 1 && inv.p.get("selector") != "" {
		return plainError("only one of NAME or selector can be provided")
	}
	return plainError(msgMetricsUnavailable)
}

var versionFlags = []flagSpec{
	{long: "client"},
}

// kustomizeVersion is the kustomize kubectl 1.37 is built with (its
// version.go fallback and kubernetes' go.mod: sigs.k8s.io/kustomize/kustomize/v5).
const kustomizeVersion = "v5.8.1"

// version prints kubectl version's three lines: kubesim's kubectl is the
// cluster's release, so client and server versions agree and there is no
// skew warning. The lines are 1.28's and later's (earlier releases printed
// Go structs by default, which kubesim does not copy).
func (k *Kubectl) version(inv *invocation) error {
	v := "v" + k.c.KubernetesVersion()
	inv.printf("Client Version: %s\n", v)
	inv.printf("Kustomize Version: %s\n", kustomizeVersion)
	if !inv.p.bool("client") {
		inv.printf("Server Version: %s\n", v)
	}
	return nil
}

// Words of kubectl cluster-info (clusterinfo.go).
const (
	clusterServiceLabel = "kubernetes.io/cluster-service=true"
	msgClusterInfoDump  = "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
)

// clusterInfo prints the control plane's address and a proxy link for each
// Service labelled kubernetes.io/cluster-service=true in kube-system (or
// -n), named by its kubernetes.io/name label, as cluster-info does for
// Services without a load balancer. kubectl 1.37 prints no colours.
func (k *Kubectl) clusterInfo(inv *invocation) error {
	ns := inv.p.get("namespace")
	if ns == "" {
		ns = objects.NamespaceSystem
	}
	sel, err := objects.ParseSelector(clusterServiceLabel)
	if err != nil {
		return plainError("%v", err)
	}
	host := "https://" + k.c.APIServerAddress()
	inv.printf("Kubernetes control plane is running at %s\n", host)
	for _, obj := range k.c.Store().List("Service", ns, sel) {
		svc := obj.(*objects.Service)
		name := svc.Labels["kubernetes.io/name"]
		if name == "" {
			name = svc.Name
		}
		inv.printf("%s is running at %s\n", name, host+"/api/v1/namespaces/"+svc.Namespace+"/services/"+proxyName(svc)+"/proxy")
	}
	inv.printf("%s", msgClusterInfoDump)
	return nil
}

// proxyName is the service part of a proxy link: utilnet.JoinSchemeNamePort
// of the scheme kubectl guesses from the first port (https for a port named
// https or numbered 443), the name and the port's name.
func proxyName(svc *objects.Service) string {
	if len(svc.Spec.Ports) == 0 {
		return svc.Name
	}
	p := svc.Spec.Ports[0]
	switch {
	case p.Name == "https" || p.Port == 443:
		return "https:" + svc.Name + ":" + p.Name
	case p.Name != "":
		return svc.Name + ":" + p.Name
	}
	return svc.Name
}
