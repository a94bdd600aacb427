package kubectl

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// This file is kubectl expose (k8s.io/kubectl pkg/cmd/expose and the
// polymorphichelpers it asks): a Service selecting what a Pod, Service,
// Deployment or ReplicaSet selects, on the ports it exposes, printed
// "service/NAME exposed".

var exposeFlags = []flagSpec{
	{long: "port", hasValue: true},
	{long: "target-port", hasValue: true},
	{long: "protocol", hasValue: true},
	{long: "type", hasValue: true},
	{long: "name", hasValue: true},
	{long: "selector", hasValue: true},
	{long: "labels", short: "l", hasValue: true},
	{long: "external-ip", hasValue: true},
	{long: "cluster-ip", hasValue: true},
	{long: "session-affinity", hasValue: true},
	{long: "load-balancer-ip", hasValue: true},
}

// dns1035LabelMaxLength bounds a default Service name: a longer object
// name is cut to it.
const dns1035LabelMaxLength = 63

// exposable is what expose reads from the object it exposes.
type exposable struct {
	selector map[string]string
	// ports are the distinct port numbers in order, protocols each one's.
	ports     []string
	protocols map[string]string
	labels    map[string]string
}

// expose handles `expose TYPE NAME [--port=P] [--target-port=T]
// [--type=T] [--name=N] ...` and `expose TYPE/NAME ...`.
func (k *Kubectl) expose(inv *invocation) error {
	if len(inv.p.args) == 0 {
		return &usageError{msg: "You must provide one or more resources by argument or filename.", verb: "expose"}
	}
	targets, err := resolveTargets(inv.p.args)
	if err != nil {
		return err
	}
	for _, t := range targets {
		if len(t.names) == 0 {
			return plainError("resource(s) were provided, but no name was specified")
		}
		for _, name := range t.names {
			if err := k.exposeOne(inv, t.info, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// exposeOne is RunExpose's visit of one object.
func (k *Kubectl) exposeOne(inv *invocation, info objects.KindInfo, name string) error {
	obj, err := k.c.Get(keyFor(info, inv.namespace(), name))
	if err != nil {
		return serverError(err, "")
	}
	ex, err := exposableOf(obj)
	if err != nil {
		return err
	}
	if len(name) > dns1035LabelMaxLength {
		name = name[:dns1035LabelMaxLength]
	}
	selector := ex.selector
	if s := inv.p.get("selector"); s != "" {
		if selector, err = parseExposeLabels(s); err != nil {
			return err
		}
	} else if selector == nil {
		return plainError("selector must be specified")
	}
	ports := ex.ports
	if p := inv.p.get("port"); p != "" {
		ports = []string{p}
	} else if len(ports) == 0 && inv.p.get("cluster-ip") != "None" {
		return plainError("couldn't find port via --port flag or introspection")
	}
	labels := ex.labels
	if l := inv.p.get("labels"); l != "" {
		if labels, err = parseExposeLabels(l); err != nil {
			return err
		}
	}
	if n := inv.p.get("name"); n != "" {
		name = n
	}
	spec, err := exposeSpec(inv, selector, ports, ex.protocols)
	if err != nil {
		return err
	}
	meta := metadata(inv, name)
	if len(labels) > 0 {
		meta["labels"] = labels
	}
	b, err := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec})
	if err != nil {
		return plainError("%v", err)
	}
	svc, err := objects.DecodeOne(b)
	if err != nil {
		return serverError(err, "")
	}
	created, err := k.c.CreateObjects(svc)
	if err != nil {
		return serverError(unwrapApplyError(err), "")
	}
	inv.printf("%s exposed\n", resourceName(created[0]))
	return nil
}

// exposeSpec is createService's spec: one port per number (named port-N
// when there are several), the protocol the object gives it or
// --protocol or TCP, the target port --target-port or the port itself.
func exposeSpec(inv *invocation, selector map[string]string, ports []string, protocols map[string]string) (map[string]any, error) {
	var out []any
	for i, p := range ports {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, plainError("%v", err)
		}
		port := map[string]any{"port": n}
		if len(ports) > 1 {
			port["name"] = fmt.Sprintf("port-%d", i+1)
		}
		switch proto := inv.p.get("protocol"); {
		case proto != "":
			port["protocol"] = proto
		case protocols[p] != "":
			port["protocol"] = protocols[p]
		default:
			port["protocol"] = "TCP"
		}
		if t := inv.p.get("target-port"); t != "" {
			port["targetPort"] = objects.ParseIntOrString(t)
		} else {
			port["targetPort"] = n
		}
		out = append(out, port)
	}
	spec := map[string]any{"selector": selector, "ports": out}
	if t := inv.p.get("type"); t != "" {
		spec["type"] = t
	}
	if ip := inv.p.get("external-ip"); ip != "" {
		spec["externalIPs"] = []any{ip}
	}
	if ip := inv.p.get("cluster-ip"); ip != "" {
		spec["clusterIP"] = ip
	}
	if spec["type"] == "LoadBalancer" && inv.p.get("load-balancer-ip") != "" {
		spec["loadBalancerIP"] = inv.p.get("load-balancer-ip")
	}
	switch a := inv.p.get("session-affinity"); a {
	case "":
	case "None", "ClientIP":
		spec["sessionAffinity"] = a
	default:
		return nil, plainError("unknown session affinity: %s", a)
	}
	return spec, nil
}

// exposableOf is CanBeExposed, MapBasedSelectorForObject, PortsForObject
// and MultiProtocolsForObject for the kinds kubesim models.
func exposableOf(obj objects.Object) (exposable, error) {
	switch o := obj.(type) {
	case *objects.Pod:
		if len(o.Labels) == 0 {
			return exposable{}, plainError("couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed")
		}
		ports, protocols := podPorts(o.Spec)
		return exposable{selector: o.Labels, ports: ports, protocols: protocols, labels: o.Labels}, nil
	case *objects.Service:
		if len(o.Spec.Selector) == 0 {
			return exposable{}, plainError("couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set")
		}
		ex := exposable{selector: o.Spec.Selector, protocols: map[string]string{}, labels: o.Labels}
		for _, p := range o.Spec.Ports {
			key := strconv.Itoa(int(p.Port))
			if _, seen := ex.protocols[key]; !seen {
				ex.ports = append(ex.ports, key)
			}
			ex.protocols[key] = orTCP(p.Protocol)
		}
		return ex, nil
	case *objects.Deployment:
		return templateExposable("deployment", o.Spec.Selector, o.Spec.Template.Spec, o.Labels)
	case *objects.ReplicaSet:
		return templateExposable("replicaset", o.Spec.Selector, o.Spec.Template.Spec, o.Labels)
	}
	gk := obj.GetTypeMeta().Kind
	if info := resourceInfo(obj); info.Group != "" {
		gk += "." + info.Group
	}
	return exposable{}, plainError("cannot expose a %s", gk)
}

// templateExposable reads a Deployment or ReplicaSet: its matchLabels
// (matchExpressions cannot be a Service selector) and its template's ports.
func templateExposable(kind string, sel *objects.LabelSelector, spec objects.PodSpec, labels map[string]string) (exposable, error) {
	if sel == nil {
		return exposable{}, plainError("couldn't retrieve selectors via --selector flag or introspection: invalid %s: no selectors, therefore cannot be exposed", kind)
	}
	if len(sel.MatchExpressions) > 0 {
		return exposable{}, plainError("couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - \"%+v\" to map-based selector format", sel.MatchExpressions)
	}
	ports, protocols := podPorts(spec)
	return exposable{selector: sel.MatchLabels, ports: ports, protocols: protocols, labels: labels}, nil
}

// podPorts is getPorts and getProtocols: every container's ports, each
// number once, in order.
func podPorts(spec objects.PodSpec) ([]string, map[string]string) {
	var ports []string
	protocols := map[string]string{}
	for _, c := range spec.Containers {
		for _, p := range c.Ports {
			key := strconv.Itoa(int(p.ContainerPort))
			if _, seen := protocols[key]; !seen {
				ports = append(ports, key)
			}
			protocols[key] = orTCP(p.Protocol)
		}
	}
	return ports, protocols
}

// orTCP defaults an empty protocol to TCP.
func orTCP(p string) string {
	if p == "" {
		return "TCP"
	}
	return p
}

// parseExposeLabels is expose's parseLabels: "k=v,k2=v2".
func parseExposeLabels(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, spec := range strings.Split(s, ",") {
		parts := strings.Split(spec, "=")
		if len(parts) != 2 {
			return nil, plainError("unexpected label spec: %s", spec)
		}
		if parts[0] == "" {
			return nil, plainError("unexpected empty label key")
		}
		out[parts[0]] = parts[1]
	}
	return out, nil
}
