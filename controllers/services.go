package controllers

import (
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// ServiceKeysFor is the part of KeysFor that the controllers publishing a
// Service's endpoints (Endpoints, EndpointSlices) share: a Service change
// maps to its own key, a pod change to the Services selecting the pod
// before or after the change (ServicesSelecting), any other change to none.
// Each controller adds the mapping of its own output kind back to its
// Service.
func ServiceKeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	switch obj := ev.Object.(type) {
	case *objects.Service:
		return []objects.Key{objects.KeyOf(obj)}
	case *objects.Pod:
		old, _ := ev.Old.(*objects.Pod)
		return ServicesSelecting(r, obj, old)
	}
	return nil
}

// ServicesSelecting lists the keys of the Services in pod's namespace whose
// selector matches pod's labels or, when old is not nil, old's. A Service
// with an empty selector selects nothing. It runs on every pod change, so
// it scans the Services rather than copying them.
func ServicesSelecting(r storage.Reader, pod, old *objects.Pod) []objects.Key {
	var keys []objects.Key
	r.Scan("Service", pod.Namespace, func(o objects.Object) bool {
		svc := o.(*objects.Service)
		if len(svc.Spec.Selector) == 0 {
			return true
		}
		if setMatches(svc.Spec.Selector, pod.Labels) || (old != nil && setMatches(svc.Spec.Selector, old.Labels)) {
			keys = append(keys, objects.KeyOf(svc))
		}
		return true
	})
	return keys
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
