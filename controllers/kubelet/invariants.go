package kubelet

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// CheckNeverRestarted returns one error per container of a pod with
// restartPolicy Never that shows a restart: the kubelet never starts such
// a container twice (kuberuntime's computePodActions and
// ShouldContainerBeRestarted). It is an invariant for the property
// checker; the crash-loop back-off between restarts is judged from the
// store's changes, by its trace invariants.
func CheckNeverRestarted(r storage.Reader) []error {
	var errs []error
	r.Scan("Pod", "", func(o objects.Object) bool {
		p := o.(*objects.Pod)
		if p.Spec.RestartPolicy != objects.RestartPolicyNever {
			return true
		}
		for _, cs := range p.Status.ContainerStatuses {
			if cs.RestartCount > 0 {
				errs = append(errs, fmt.Errorf("pod %s/%s: restartPolicy Never, but container %s restarted %d times", p.Namespace, p.Name, cs.Name, cs.RestartCount))
			}
		}
		return true
	})
	return errs
}
