package scheduler

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// The VolumeBinding plugin's PreFilter (pkg/scheduler/framework/plugins/
// volumebinding): a pod whose claims are missing, being deleted or not yet
// bound (with an Immediate class) fits no node, whatever the node.

// Reasons of the VolumeBinding PreFilter, as upstream words them.
const (
	errUnboundImmediateClaims = "pod has unbound immediate PersistentVolumeClaims"
	errClaimNotFound          = "persistentvolumeclaim %q not found"
	errClaimBeingDeleted      = "persistentvolumeclaim %q is being deleted"
)

// claimsBlocking returns why the pod's claims keep it off every node, or "".
func claimsBlocking(r storage.Reader, pod *objects.Pod) string {
	unbound := false
	for _, v := range pod.Spec.Volumes {
		if v.PersistentVolumeClaim == nil {
			continue
		}
		name := v.PersistentVolumeClaim.ClaimName
		o, err := r.Get(objects.Key{Kind: "PersistentVolumeClaim", Namespace: pod.Namespace, Name: name})
		if err != nil {
			return fmt.Sprintf(errClaimNotFound, name)
		}
		c := o.(*objects.PersistentVolumeClaim)
		if c.DeletionTimestamp != nil {
			return fmt.Sprintf(errClaimBeingDeleted, name)
		}
		if !claimFullyBound(c) && !delayedBinding(r, c) {
			unbound = true
		}
	}
	if unbound {
		return errUnboundImmediateClaims
	}
	return ""
}

// claimFullyBound is isPVCFullyBound: a volume name and the binder's
// bind-completed annotation.
func claimFullyBound(c *objects.PersistentVolumeClaim) bool {
	return c.Spec.VolumeName != "" && c.Annotations[objects.AnnBindCompleted] != ""
}

// delayedBinding reports whether the claim's class waits for its first consumer.
func delayedBinding(r storage.Reader, c *objects.PersistentVolumeClaim) bool {
	name := objects.PersistentVolumeClaimClass(c)
	if name == "" {
		return false
	}
	o, err := r.Get(objects.Key{Kind: "StorageClass", Name: name})
	if err != nil {
		return false
	}
	m := o.(*objects.StorageClass).VolumeBindingMode
	return m != nil && *m == objects.VolumeBindingWaitForFirstConsumer
}

// preFilterMessage words a PreFilter rejection as the scheduler's FitError
// does: the reason once, and every node beyond preemption's help.
func preFilterMessage(reason string, nodes int) string {
	return fmt.Sprintf("0/%d nodes are available: %s. preemption: 0/%d nodes are available: %d Preemption is not helpful for scheduling.",
		nodes, reason, nodes, nodes)
}
