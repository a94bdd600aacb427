package controllers

import (
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// ServiceMatcher maps changes for the controllers publishing a Service's
// endpoints (Endpoints, EndpointSlices), the part of KeysFor they share: a
// Service change maps to its own key, a pod change to the Services
// selecting the pod before or after the change (servicesSelecting), any
// other change to none. Each controller adds the mapping of its own output
// kind back to its Service.
//
// Every pod change scans the Services of its namespace, for each of the
// two controllers; a matcher keeps the scan's visit function (and the pods
// it compares) from one change to the next, as a closure made for each
// scan was a tenth of a simulated pod's allocations. The zero value is
// ready to use; like the controller holding it, a matcher is not safe for
// concurrent use.
type ServiceMatcher struct {
	pod, old *objects.Pod
	keys     []objects.Key
	visit    func(objects.Object) bool
}

// KeysFor returns the keys of the Services ev concerns.
func (m *ServiceMatcher) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	switch obj := ev.Object.(type) {
	case *objects.Service:
		return []objects.Key{objects.KeyOf(obj)}
	case *objects.Pod:
		old, _ := ev.Old.(*objects.Pod)
		return m.servicesSelecting(r, obj, old)
	}
	return nil
}

// servicesSelecting lists the keys of the Services in pod's namespace
// whose selector matches pod's labels or, when old is not nil, old's. A
// Service with an empty selector selects nothing. It scans the Services
// rather than copying them.
func (m *ServiceMatcher) servicesSelecting(r storage.Reader, pod, old *objects.Pod) []objects.Key {
	if m.visit == nil {
		m.visit = m.match
	}
	m.pod, m.old = pod, old
	r.Scan("Service", pod.Namespace, m.visit)
	keys := m.keys
	m.pod, m.old, m.keys = nil, nil, nil // hold on to nothing between changes
	return keys
}

// match is the scan's visit: it notes svc when it selects the pod.
func (m *ServiceMatcher) match(o objects.Object) bool {
	svc := o.(*objects.Service)
	if len(svc.Spec.Selector) == 0 {
		return true
	}
	if setMatches(svc.Spec.Selector, m.pod.Labels) || (m.old != nil && setMatches(svc.Spec.Selector, m.old.Labels)) {
		m.keys = append(m.keys, objects.KeyOf(svc))
	}
	return true
}

// setMatches reports whether labels hold every pair of set, as a selector
// made of set (objects.SelectorFromSet) matches them, without building one:
// this runs for every Service at every pod change.
func setMatches(set, labels map[string]string) bool {
	for k, v := range set {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// PodsForService lists the pods in svc's namespace that its selector
// matches, in the order the store lists them. They are the stored pods,
// not copies (see storage.Reader.Scan): callers read them and must not
// change them.
func PodsForService(r storage.Reader, svc *objects.Service) []*objects.Pod {
	sel := objects.SelectorFromSet(svc.Spec.Selector)
	var pods []*objects.Pod
	r.Scan("Pod", svc.Namespace, func(o objects.Object) bool {
		if p := o.(*objects.Pod); sel.Matches(p.Labels) {
			pods = append(pods, p)
		}
		return true
	})
	return pods
}
