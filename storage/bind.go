package storage

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
)

// Bind assigns a pending pod to a node, as a POST to the pod's binding
// subresource does (the scheduler's write): spec.nodeName is set and the
// PodScheduled condition becomes True, in one write. A pod already bound
// or being deleted cannot be bound, with upstream's messages.
func (s *Store) Bind(key objects.Key, nodeName string) (objects.Object, error) {
	info := objects.KindInfoFor("Pod", "v1")
	old := s.lookup(key)
	if old == nil {
		return nil, newNotFound(info, key.Name)
	}
	stored, ok := old.(*objects.Pod)
	if !ok {
		return nil, newBadRequest(fmt.Sprintf("%s cannot be bound: it is not a pod", key))
	}
	// The new version shares what the binding leaves alone with the
	// stored one (read-only); the conditions are copied, as one changes,
	// with room for the PodScheduled one a pending pod lacks.
	pod := new(objects.Pod)
	*pod = *stored
	pod.Status.Conditions = append(make([]objects.PodCondition, 0, len(stored.Status.Conditions)+1), stored.Status.Conditions...)
	if pod.DeletionTimestamp != nil {
		return nil, newConflict(info, info.GroupResource(), key.Name,
			fmt.Sprintf("pod %s is being deleted, cannot be assigned to a host", key.Name))
	}
	if pod.Spec.NodeName != "" {
		return nil, newConflict(info, info.GroupResource(), key.Name,
			fmt.Sprintf("pod %s is already assigned to node %q", key.Name, pod.Spec.NodeName))
	}
	pod.Spec.NodeName = nodeName
	setScheduled(&pod.Status, objects.NewTime(s.clk.Now()))
	return s.writeWithinQuota(pod, old, info)
}

// setScheduled sets condition PodScheduled=True, replacing an earlier one.
func setScheduled(st *objects.PodStatus, now objects.Time) {
	cond := objects.PodCondition{Type: objects.PodScheduled, Status: objects.ConditionTrue, LastTransitionTime: now}
	for i := range st.Conditions {
		if st.Conditions[i].Type == objects.PodScheduled {
			st.Conditions[i] = cond
			return
		}
	}
	st.Conditions = append(st.Conditions, cond)
}

// NewAlreadyExists returns the apiserver's AlreadyExists error for an
// object of the given kind, for callers that check before writing.
func NewAlreadyExists(info objects.KindInfo, name string) error { return newAlreadyExists(info, name) }

// NewInvalid returns the apiserver's Invalid error for an object of the
// given kind, for callers that validate before writing.
func NewInvalid(info objects.KindInfo, name string, errs objects.ErrorList) error {
	return newInvalid(info, name, errs)
}
