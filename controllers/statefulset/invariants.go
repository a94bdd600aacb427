package statefulset

import (
	"fmt"
	"strconv"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// CheckIdentity returns one error per broken identity of a StatefulSet's
// pod: every pod a set controls is named "<set>-<ordinal>", carries its
// identity (hostname, subdomain, pod-name and pod-index labels) and mounts
// the claims "<template>-<set>-<ordinal>". The order in which a set
// creates and deletes its pods is judged from the store's changes, by the
// property checker's trace invariants.
func CheckIdentity(r storage.Reader) []error {
	var errs []error
	var pods map[string][]*objects.Pod
	r.Scan("StatefulSet", "", func(o objects.Object) bool {
		set := o.(*objects.StatefulSet)
		if pods == nil {
			pods = controlledPods(r)
		}
		for _, p := range pods[set.UID] {
			errs = append(errs, identityErrors(set, p)...)
		}
		return true
	})
	return errs
}

// controlledPods indexes the pods by their controller's uid, as stored
// (not to be changed).
func controlledPods(r storage.Reader) map[string][]*objects.Pod {
	out := map[string][]*objects.Pod{}
	r.Scan("Pod", "", func(o objects.Object) bool {
		p := o.(*objects.Pod)
		if ref := p.ControllerRef(); ref != nil {
			out[ref.UID] = append(out[ref.UID], p)
		}
		return true
	})
	return out
}

// identityErrors checks one pod's name, labels, hostname and claims.
func identityErrors(set *objects.StatefulSet, p *objects.Pod) []error {
	ord := OrdinalOf(set, p)
	if ord < 0 {
		return []error{fmt.Errorf("statefulset %s: pod %s is not named <set>-<ordinal>", objects.KeyOf(set), p.Name)}
	}
	var errs []error
	if p.Labels[objects.StatefulSetPodNameLabel] != p.Name || p.Labels[objects.PodIndexLabel] != strconv.Itoa(ord) {
		errs = append(errs, fmt.Errorf("statefulset %s: pod %s lacks its pod-name/pod-index labels", objects.KeyOf(set), p.Name))
	}
	if p.Spec.Hostname != p.Name || p.Spec.Subdomain != set.Spec.ServiceName {
		errs = append(errs, fmt.Errorf("statefulset %s: pod %s has hostname %q subdomain %q", objects.KeyOf(set), p.Name, p.Spec.Hostname, p.Spec.Subdomain))
	}
	for _, t := range set.Spec.VolumeClaimTemplates {
		if claimOf(p, t.Name) != ClaimName(set, t.Name, ord) {
			errs = append(errs, fmt.Errorf("statefulset %s: pod %s volume %s does not mount claim %s", objects.KeyOf(set), p.Name, t.Name, ClaimName(set, t.Name, ord)))
		}
	}
	return errs
}

// claimOf returns the claim the pod's volume name mounts, or "".
func claimOf(p *objects.Pod, name string) string {
	for _, v := range p.Spec.Volumes {
		if v.Name == name && v.PersistentVolumeClaim != nil {
			return v.PersistentVolumeClaim.ClaimName
		}
	}
	return ""
}

// CheckInvariants runs every check that holds after every step.
func CheckInvariants(r storage.Reader) []error { return CheckIdentity(r) }
