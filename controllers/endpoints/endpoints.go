package endpoints

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Name is the controller's name in kube-controller-manager.
const Name = "endpoint-controller"

// Controller computes Endpoints from Services and pods. It holds no state;
// not safe for concurrent use only in the sense that nothing is.
type Controller struct {
	services controllers.ServiceMatcher
}

var _ controllers.Controller = (*Controller)(nil)

// New returns the Endpoints controller.
func New() *Controller { return &Controller{} }

// Name returns "endpoint-controller".
func (c *Controller) Name() string { return Name }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the Endpoints controller watches Endpoints, Services and Pods.
func (*Controller) WatchedKinds() []string { return watchedKinds }

var watchedKinds = []string{"Endpoints", "Service", "Pod"}

// KeysFor maps an Endpoints change to its Service's key, and a Service or
// pod change as controllers.ServiceMatcher does: a Service to its key, a
// pod to the Services in its namespace whose selector matches the pod
// before or after the change.
func (c *Controller) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	if ep, ok := ev.Object.(*objects.Endpoints); ok {
		return []objects.Key{{Kind: "Service", Namespace: ep.Namespace, Name: ep.Name}}
	}
	return c.services.KeysFor(ev, r)
}

// Reconcile brings the Endpoints of the Service key up to date: created,
// updated when its subsets or labels differ, deleted with the Service.
func (c *Controller) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	epKey := objects.Key{Kind: "Endpoints", Namespace: key.Namespace, Name: key.Name}
	var current *objects.Endpoints
	if o, err := r.Get(epKey); err == nil {
		current = o.(*objects.Endpoints).DeepCopy() // the store's objects are shared and read-only: work on a copy
	}
	o, err := r.Get(key)
	if err != nil {
		if current == nil {
			return controllers.Result{}
		}
		return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Delete, Key: epKey}}}
	}
	svc := o.(*objects.Service)
	if svc.Spec.Selector == nil {
		// Endpoints of a Service without a selector are the user's to manage.
		return controllers.Result{}
	}
	want := Desired(svc, controllers.PodsForService(r, svc))
	switch {
	case current == nil:
		return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Create, Object: want}}}
	case reflect.DeepEqual(normalize(current.Subsets), normalize(want.Subsets)) && reflect.DeepEqual(current.Labels, want.Labels):
		return controllers.Result{}
	}
	updated := current.DeepCopy()
	updated.Subsets, updated.Labels = want.Subsets, want.Labels
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Update, Object: updated}}}
}

// Desired is the Endpoints object upstream's syncService computes for svc
// from the pods its selector matches.
func Desired(svc *objects.Service, pods []*objects.Pod) *objects.Endpoints {
	ep := &objects.Endpoints{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "Endpoints"},
		ObjectMeta: objects.ObjectMeta{Name: svc.Name, Namespace: svc.Namespace, Labels: endpointsLabels(svc)},
	}
	tolerateUnready := svc.Spec.PublishNotReadyAddresses
	b := subsetBuilder{}
	for _, p := range pods {
		if !objects.ShouldPodBeInEndpoints(p, tolerateUnready) {
			continue
		}
		addr := endpointAddress(p, svc)
		ready := tolerateUnready || objects.PodHasReadyCondition(p) || mutant.On("endpoints-include-unready") // #8674
		if !ready && !mayBecomeReady(p) {
			continue
		}
		if len(svc.Spec.Ports) == 0 {
			if svc.IsHeadless() {
				b.add(nil, addr, ready)
			}
			continue
		}
		for _, sp := range svc.Spec.Ports {
			port, err := objects.FindPort(p, sp)
			if err != nil {
				continue // upstream logs and skips the port
			}
			b.add([]objects.EndpointPort{{Name: sp.Name, Port: port, Protocol: sp.Protocol, AppProtocol: sp.AppProtocol}}, addr, ready)
		}
	}
	ep.Subsets = b.repack()
	return ep
}

// endpointsLabels are the Service's labels, plus the headless label for a
// headless Service (upstream's syncService).
func endpointsLabels(svc *objects.Service) map[string]string {
	labels := map[string]string{}
	for k, v := range svc.Labels {
		labels[k] = v
	}
	if svc.IsHeadless() {
		labels[objects.LabelHeadless] = ""
	} else {
		delete(labels, objects.LabelHeadless)
	}
	if len(labels) == 0 {
		return nil
	}
	return labels
}

// endpointAddress is upstream's podToEndpointAddressForService.
func endpointAddress(p *objects.Pod, svc *objects.Service) objects.EndpointAddress {
	node := p.Spec.NodeName
	a := objects.EndpointAddress{IP: p.Status.PodIP, TargetRef: objects.PodReference(p),
		Hostname: objects.EndpointHostname(p, svc)}
	if node != "" {
		a.NodeName = &node
	}
	return a
}

// mayBecomeReady is the endpoints controller's shouldPodBeInEndpoints: a
// not-ready pod is listed unless its restart policy means it has ended.
func mayBecomeReady(p *objects.Pod) bool {
	switch p.Spec.RestartPolicy {
	case objects.RestartPolicyNever:
		return p.Status.Phase != objects.PodFailed && p.Status.Phase != objects.PodSucceeded
	case objects.RestartPolicyOnFailure:
		return p.Status.Phase != objects.PodSucceeded
	}
	return true
}

// subsetBuilder collects addresses by port list, as upstream's
// addEndpointSubset and RepackSubsets do.
type subsetBuilder struct {
	keys    []string
	subsets map[string]*objects.EndpointSubset
}

// add files addr under ports, as ready or not.
func (b *subsetBuilder) add(ports []objects.EndpointPort, addr objects.EndpointAddress, ready bool) {
	key := portsKey(ports)
	if b.subsets == nil {
		b.subsets = map[string]*objects.EndpointSubset{}
	}
	ss := b.subsets[key]
	if ss == nil {
		ss = &objects.EndpointSubset{Ports: ports}
		b.subsets[key] = ss
		b.keys = append(b.keys, key)
	}
	if ready {
		ss.Addresses = append(ss.Addresses, addr)
	} else {
		ss.NotReadyAddresses = append(ss.NotReadyAddresses, addr)
	}
}

// repack merges the subsets of pods that share every port into one subset
// per address set, sorted.
func (b *subsetBuilder) repack() []objects.EndpointSubset {
	// Group ports by the exact set of (ready, not-ready) addresses they
	// cover, as RepackSubsets does.
	type group struct {
		ss    objects.EndpointSubset
		ports []objects.EndpointPort
	}
	var order []string
	groups := map[string]*group{}
	sort.Strings(b.keys)
	for _, k := range b.keys {
		ss := b.subsets[k]
		sortAddresses(ss.Addresses)
		sortAddresses(ss.NotReadyAddresses)
		ak := addressesKey(ss.Addresses) + "|" + addressesKey(ss.NotReadyAddresses)
		g := groups[ak]
		if g == nil {
			g = &group{ss: objects.EndpointSubset{Addresses: ss.Addresses, NotReadyAddresses: ss.NotReadyAddresses}}
			groups[ak] = g
			order = append(order, ak)
		}
		g.ports = append(g.ports, ss.Ports...)
	}
	var out []objects.EndpointSubset
	for _, ak := range order {
		g := groups[ak]
		sortPorts(g.ports)
		g.ss.Ports = g.ports
		out = append(out, g.ss)
	}
	return out
}

// sortAddresses is upstream's LessEndpointAddress order: IP as a string,
// then the target's uid.
func sortAddresses(a []objects.EndpointAddress) {
	sort.SliceStable(a, func(i, j int) bool {
		if a[i].IP != a[j].IP {
			return a[i].IP < a[j].IP
		}
		return uidOf(a[i]) < uidOf(a[j])
	})
}

// uidOf returns the address's target uid, or "".
func uidOf(a objects.EndpointAddress) string {
	if a.TargetRef == nil {
		return ""
	}
	return a.TargetRef.UID
}

// sortPorts orders ports by name, then number, then protocol.
func sortPorts(p []objects.EndpointPort) {
	sort.SliceStable(p, func(i, j int) bool {
		if p[i].Name != p[j].Name {
			return p[i].Name < p[j].Name
		}
		if p[i].Port != p[j].Port {
			return p[i].Port < p[j].Port
		}
		return p[i].Protocol < p[j].Protocol
	})
}

// portsKey identifies a port list.
func portsKey(ports []objects.EndpointPort) string {
	var b strings.Builder
	for _, p := range ports {
		b.WriteString(p.Name + "/" + strconv.Itoa(int(p.Port)) + "/" + p.Protocol + ";")
	}
	return b.String()
}

// addressesKey identifies an address list.
func addressesKey(addrs []objects.EndpointAddress) string {
	var b strings.Builder
	for _, a := range addrs {
		b.WriteString(a.IP + "/" + uidOf(a) + ";")
	}
	return b.String()
}

// normalize treats a nil and an empty subset list alike.
func normalize(s []objects.EndpointSubset) []objects.EndpointSubset {
	if len(s) == 0 {
		return nil
	}
	return s
}
