package kubectl

import (
	"sort"

	"github.com/kubesim/kubesim/kubectl/printers"
	"github.com/kubesim/kubesim/objects"
)

var describeFlags = []flagSpec{
	{long: "selector", short: "l", hasValue: true},
	{long: "all-namespaces", short: "A"},
	{long: "show-events"},
	{long: "filename", short: "f", hasValue: true, repeat: true},
}

// describe handles `describe KIND [NAME...]` and `describe KIND/NAME`.
func (k *Kubectl) describe(inv *invocation) error {
	targets, err := k.targetsOf(inv)
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return plainError(`You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.`)
	}
	sel, err := selectorOf(inv)
	if err != nil {
		return err
	}
	var objs []objects.Object
	var missing []error
	for _, t := range targets {
		got, notFound := k.fetch(inv, t, sel)
		objs = append(objs, got...)
		missing = append(missing, notFound...)
	}
	showEvents := !inv.p.has("show-events") || inv.p.bool("show-events")
	for i, obj := range objs {
		if i > 0 {
			inv.out.WriteString("\n\n")
		}
		opts := printers.DescribeOptions{Now: k.c.Now(), HideEvents: !showEvents, EventFieldPaths: k.c.DescribesEventFieldPaths()}
		if showEvents {
			opts.Events = k.eventsAbout(obj)
		}
		if node, ok := obj.(*objects.Node); ok {
			opts.Pods = k.podsOn(node.Name)
			if renewed, ok := k.c.NodeHeartbeat(node.Name); ok {
				// The kubelet's lease in kube-node-lease, which kubesim
				// keeps as heartbeat times rather than objects.
				opts.NodeLease = &printers.Lease{HolderIdentity: node.Name,
					AcquireTime: node.CreationTimestamp.Time, RenewTime: renewed}
			}
		}
		k.addControlled(obj, &opts)
		if svc, ok := obj.(*objects.Service); ok {
			opts.EndpointSlices = k.endpointSlicesOf(svc)
		}
		if err := printers.Describe(&inv.out, obj, opts); err != nil {
			return wrapPrint(err)
		}
	}
	if len(objs) == 0 && len(missing) == 0 {
		inv.printf("%s\n", noResources(inv, targets[0].info))
	}
	if len(missing) > 0 {
		return missing[0]
	}
	return nil
}

// eventsAbout lists the events whose involved object is obj, oldest last
// seen first, as kubectl describe sorts them.
func (k *Kubectl) eventsAbout(obj objects.Object) []*objects.Event {
	m := obj.GetObjectMeta()
	ns := m.Namespace
	if ns == "" {
		ns = objects.NamespaceDefault
	}
	var out []*objects.Event
	for _, o := range k.c.Store().List("Event", ns, nil) {
		e := o.(*objects.Event)
		ref := e.InvolvedObject
		if ref.UID == m.UID && ref.Name == m.Name && ref.Kind == obj.GetTypeMeta().Kind {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].LastTimestamp.Before(out[j].LastTimestamp.Time)
	})
	return out
}

// addControlled adds what describe prints about a workload's dependents:
// a Deployment's ReplicaSets, a ReplicaSet's or StatefulSet's pods.
func (k *Kubectl) addControlled(obj objects.Object, opts *printers.DescribeOptions) {
	m := obj.GetObjectMeta()
	switch obj.(type) {
	case *objects.Deployment:
		for _, o := range k.c.Store().List("ReplicaSet", m.Namespace, nil) {
			if ref := o.GetObjectMeta().ControllerRef(); ref != nil && ref.UID == m.UID {
				opts.ReplicaSets = append(opts.ReplicaSets, o.(*objects.ReplicaSet))
			}
		}
	case *objects.PersistentVolumeClaim:
		for _, o := range k.c.Store().List("Pod", m.Namespace, nil) {
			opts.Pods = append(opts.Pods, o.(*objects.Pod))
		}
	case *objects.ReplicaSet, *objects.StatefulSet:
		for _, o := range k.c.Store().List("Pod", m.Namespace, nil) {
			if ref := o.GetObjectMeta().ControllerRef(); ref != nil && ref.UID == m.UID {
				opts.Pods = append(opts.Pods, o.(*objects.Pod))
			}
		}
	}
}

// podsOn lists the pods bound to a node, for describe node.
func (k *Kubectl) podsOn(node string) []*objects.Pod {
	var out []*objects.Pod
	for _, o := range k.c.Store().List("Pod", "", nil) {
		if p := o.(*objects.Pod); p.Spec.NodeName == node {
			out = append(out, p)
		}
	}
	return out
}

// noResources is kubectl's message for an empty result.
func noResources(inv *invocation, info objects.KindInfo) string {
	// kubectl names the namespace only when every resource it listed is
	// namespaced (get.go's allResourcesNamespaced): "kubectl get pv" on
	// nothing says "No resources found".
	return printers.NoResourcesMessage(inv.namespace(), inv.p.bool("all-namespaces") || !info.Namespaced)
}

// endpointSlicesOf lists a Service's EndpointSlices, as kubectl describe
// finds them by the kubernetes.io/service-name label.
func (k *Kubectl) endpointSlicesOf(svc *objects.Service) []*objects.EndpointSlice {
	sel := objects.SelectorFromSet(map[string]string{objects.LabelServiceName: svc.Name})
	var out []*objects.EndpointSlice
	for _, o := range k.c.Store().List("EndpointSlice", svc.Namespace, sel) {
		out = append(out, o.(*objects.EndpointSlice))
	}
	return out
}
