package endpointslice

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name in kube-controller-manager.
const Name = "endpointslice-controller"

// Controller computes EndpointSlices from Services and pods. It holds no
// state and is not safe for concurrent use.
type Controller struct {
	services controllers.ServiceMatcher
}

var _ controllers.Controller = (*Controller)(nil)

// New returns the EndpointSlice controller.
func New() *Controller { return &Controller{} }

// Name returns "endpointslice-controller".
func (c *Controller) Name() string { return Name }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the EndpointSlice controller watches slices, Services and Pods.
func (*Controller) WatchedKinds() []string { return watchedKinds }

var watchedKinds = []string{"EndpointSlice", "Service", "Pod"}

// KeysFor maps a slice change to its Service's key (by its service-name
// label), and a Service or pod change as controllers.ServiceMatcher does: a
// Service to its key, a pod to the Services selecting the pod.
func (c *Controller) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	if slice, ok := ev.Object.(*objects.EndpointSlice); ok {
		if svc := slice.Labels[objects.LabelServiceName]; svc != "" {
			return []objects.Key{{Kind: "Service", Namespace: slice.Namespace, Name: svc}}
		}
		return nil
	}
	return c.services.KeysFor(ev, r)
}

// Reconcile brings the Service's slices up to date: one per distinct port
// list, created, updated or deleted as needed.
func (c *Controller) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	o, err := r.Get(key)
	if err != nil {
		return controllers.Result{} // the garbage collector removes owned slices
	}
	svc := o.(*objects.Service)
	if svc.Spec.Selector == nil {
		return controllers.Result{}
	}
	want := Desired(svc, controllers.PodsForService(r, svc))
	have := managedSlices(r, svc)
	var res controllers.Result
	for i, w := range want {
		if i >= len(have) {
			res.Actions = append(res.Actions, controllers.Action{Verb: controllers.Create, Object: w})
			continue
		}
		if up := updated(have[i], w); up != nil {
			res.Actions = append(res.Actions, controllers.Action{Verb: controllers.Update, Object: up})
		}
	}
	for _, extra := range have[min(len(want), len(have)):] {
		res.Actions = append(res.Actions, controllers.Action{Verb: controllers.Delete, Key: objects.KeyOf(extra)})
	}
	return res
}

// managedSlices lists the slices this controller manages for svc, by name.
func managedSlices(r storage.Reader, svc *objects.Service) []*objects.EndpointSlice {
	sel := objects.SelectorFromSet(map[string]string{
		objects.LabelServiceName: svc.Name, objects.LabelManagedBy: objects.EndpointSliceControllerName})
	var out []*objects.EndpointSlice
	for _, o := range r.List("EndpointSlice", svc.Namespace, sel) {
		out = append(out, o.(*objects.EndpointSlice))
	}
	return out
}

// updated returns have changed to carry want's contents, or nil when
// nothing differs.
func updated(have, want *objects.EndpointSlice) *objects.EndpointSlice {
	if reflect.DeepEqual(have.Endpoints, want.Endpoints) && reflect.DeepEqual(have.Ports, want.Ports) &&
		reflect.DeepEqual(have.Labels, want.Labels) {
		return nil
	}
	up := have.DeepCopy()
	up.Endpoints, up.Ports, up.Labels = want.Endpoints, want.Ports, want.Labels
	return up
}

// Desired lists the slices svc should have given the pods its selector
// matches: one per distinct resolved port list, in port-list order; a
// Service with no such pod gets one empty placeholder slice.
func Desired(svc *objects.Service, pods []*objects.Pod) []*objects.EndpointSlice {
	byPorts := map[string]*objects.EndpointSlice{}
	var keys []string
	for _, p := range pods {
		if !objects.ShouldPodBeInEndpoints(p, true) {
			continue
		}
		ports := endpointPorts(svc, p)
		k := portsKey(ports)
		s := byPorts[k]
		if s == nil {
			s = newSlice(svc)
			s.Ports = ports
			byPorts[k] = s
			keys = append(keys, k)
		}
		s.Endpoints = append(s.Endpoints, podEndpoint(svc, p))
	}
	if len(keys) == 0 {
		return []*objects.EndpointSlice{newSlice(svc)}
	}
	sort.Strings(keys)
	out := make([]*objects.EndpointSlice, 0, len(keys))
	for _, k := range keys {
		s := byPorts[k]
		sort.SliceStable(s.Endpoints, func(i, j int) bool { return s.Endpoints[i].Addresses[0] < s.Endpoints[j].Addresses[0] })
		out = append(out, s)
	}
	return out
}

// newSlice is an empty slice for svc with its name prefix, labels and owner.
func newSlice(svc *objects.Service) *objects.EndpointSlice {
	return &objects.EndpointSlice{
		TypeMeta: objects.TypeMeta{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice"},
		ObjectMeta: objects.ObjectMeta{GenerateName: svc.Name + "-", Namespace: svc.Namespace,
			Labels: sliceLabels(svc), OwnerReferences: []objects.OwnerReference{objects.NewControllerRef(svc)}},
		AddressType: objects.AddressTypeIPv4,
	}
}

// sliceLabels is upstream's setEndpointSliceLabels: the Service's labels,
// the service-name and managed-by labels, and the headless label.
func sliceLabels(svc *objects.Service) map[string]string {
	labels := map[string]string{}
	for k, v := range svc.Labels {
		labels[k] = v
	}
	delete(labels, objects.LabelHeadless)
	if svc.IsHeadless() {
		labels[objects.LabelHeadless] = ""
	}
	labels[objects.LabelServiceName] = svc.Name
	labels[objects.LabelManagedBy] = objects.EndpointSliceControllerName
	return labels
}

// podEndpoint is upstream's podToEndpoint.
func podEndpoint(svc *objects.Service, p *objects.Pod) objects.Endpoint {
	serving := objects.PodHasReadyCondition(p)
	terminating := p.DeletionTimestamp != nil
	// "ready" is never true for a terminating pod unless the Service
	// publishes not-ready addresses.
	ready := svc.Spec.PublishNotReadyAddresses || (serving && !terminating)
	ep := objects.Endpoint{
		Addresses:  []string{p.Status.PodIP},
		Conditions: objects.EndpointConditions{Ready: &ready, Serving: &serving, Terminating: &terminating},
		TargetRef:  objects.PodReference(p),
	}
	if p.Spec.NodeName != "" {
		node := p.Spec.NodeName
		ep.NodeName = &node
	}
	if h := objects.EndpointHostname(p, svc); h != "" {
		ep.Hostname = &h
	}
	return ep
}

// endpointPorts is upstream's getEndpointPorts: the Service's ports that
// resolve against p.
func endpointPorts(svc *objects.Service, p *objects.Pod) []objects.EndpointSlicePort {
	var out []objects.EndpointSlicePort
	for _, sp := range svc.Spec.Ports {
		port, err := objects.FindPort(p, sp)
		if err != nil {
			continue
		}
		name, proto := sp.Name, sp.Protocol
		out = append(out, objects.EndpointSlicePort{Name: &name, Port: &port, Protocol: &proto, AppProtocol: sp.AppProtocol})
	}
	return out
}

// portsKey identifies a port list.
func portsKey(ports []objects.EndpointSlicePort) string {
	var b strings.Builder
	for _, p := range ports {
		b.WriteString(*p.Name + "/" + strconv.Itoa(int(*p.Port)) + "/" + *p.Protocol + ";")
	}
	return b.String()
}
