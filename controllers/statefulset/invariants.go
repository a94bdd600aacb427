package statefulset

import (
	"fmt"
	"strconv"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// CheckInvariants returns one error per broken StatefulSet invariant:
// every pod a set controls is named "<set>-<ordinal>", carries its
// identity (hostname, subdomain, pod-name and pod-index labels) and mounts
// the claims "<template>-<set>-<ordinal>"; and, under OrderedReady, no pod
// was created while a lower-ordinal pod created before it had not yet
// become Ready. The last check reads a pod's Ready transition time, so it
// assumes pods without restarts do not flap between Ready and not Ready.
func CheckInvariants(r storage.Reader) []error {
	var errs []error
	for _, o := range r.List("StatefulSet", "", nil) {
		set := o.(*objects.StatefulSet)
		pods := controlledPods(r, set)
		for _, p := range pods {
			errs = append(errs, identityErrors(set, p)...)
		}
		if set.Spec.PodManagementPolicy != objects.ParallelPodManagement {
			errs = append(errs, orderErrors(set, pods)...)
		}
	}
	return errs
}

// controlledPods lists every pod whose controller is set.
func controlledPods(r storage.Reader, set *objects.StatefulSet) []*objects.Pod {
	var out []*objects.Pod
	for _, o := range r.List("Pod", set.Namespace, nil) {
		p := o.(*objects.Pod)
		if ref := p.ControllerRef(); ref != nil && ref.UID == set.UID {
			out = append(out, p)
		}
	}
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

// orderErrors checks OrderedReady creation: for ordinals a < b, b was not
// created while a had not become Ready yet. The state does not keep when a
// first became Ready (a node outage turns it NotReady and back, moving the
// condition's transition time), so the check uses a bound that holds
// whatever happened since: a pod cannot be Ready before all its containers
// started.
func orderErrors(set *objects.StatefulSet, pods []*objects.Pod) []error {
	var errs []error
	for _, a := range pods {
		for _, b := range pods {
			if OrdinalOf(set, a) >= OrdinalOf(set, b) || !a.CreationTimestamp.Before(b.CreationTimestamp.Time) || restarted(a) {
				continue
			}
			if t := startedTime(a); !t.IsZero() && t.After(b.CreationTimestamp.Time) {
				errs = append(errs, fmt.Errorf("statefulset %s: pod %s was created before pod %s was Ready", objects.KeyOf(set), b.Name, a.Name))
			}
		}
	}
	return errs
}

// restarted reports whether any container of the pod has restarted.
func restarted(p *objects.Pod) bool {
	for _, cs := range p.Status.ContainerStatuses {
		if cs.RestartCount > 0 {
			return true
		}
	}
	return false
}

// startedTime is when the last of the pod's containers started, or the far
// future when one never has: no pod is Ready before that. Zero means the
// pod has no container status yet (nothing can be said).
func startedTime(p *objects.Pod) time.Time {
	var latest time.Time
	for _, cs := range p.Status.ContainerStatuses {
		var started time.Time
		switch {
		case cs.State.Running != nil:
			started = cs.State.Running.StartedAt.Time
		case cs.State.Terminated != nil:
			started = cs.State.Terminated.StartedAt.Time
		default:
			return neverStarted
		}
		if started.After(latest) {
			latest = started
		}
	}
	return latest
}

// neverStarted stands for a container that has not started yet.
var neverStarted = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
