package kubectl

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

var rolloutFlags = []flagSpec{
	{long: "timeout", hasValue: true},
	{long: "watch", short: "w"},
	// history, undo, restart, pause and resume (rollout_more.go).
	{long: "selector", short: "l", hasValue: true},
	{long: "revision", hasValue: true},
	{long: "to-revision", hasValue: true},
}

// rolloutStatusDefaultTimeout stands in for kubectl rollout status's
// default of waiting forever: a day of virtual time.
const rolloutStatusDefaultTimeout = 24 * time.Hour

// Messages of kubectl rollout status (polymorphichelpers/rollout_status.go).
const (
	msgRolloutUpdated     = "Waiting for deployment %q rollout to finish: %d out of %d new replicas have been updated...\n"
	msgRolloutOldPending  = "Waiting for deployment %q rollout to finish: %d old replicas are pending termination...\n"
	msgRolloutAvailable   = "Waiting for deployment %q rollout to finish: %d of %d updated replicas are available...\n"
	msgRolloutDone        = "deployment %q successfully rolled out\n"
	msgRolloutGeneration  = "Waiting for deployment spec update to be observed...\n"
	msgRolloutDeadline    = "deployment %q exceeded its progress deadline"
	msgRolloutUnsupported = "no status viewer has been implemented for %s"
	// reasonTimedOut is the Progressing reason of a rollout past its deadline.
	reasonTimedOut = "ProgressDeadlineExceeded"
)

// rollout handles `rollout status deployment/NAME` (and hands history,
// undo, restart, pause and resume to rollout_more.go): status prints kubectl's
// waiting messages as they change, letting virtual time pass until the
// rollout finishes.
func (k *Kubectl) rollout(inv *invocation) error {
	args := inv.p.args
	if len(args) > 0 {
		switch args[0] {
		case "history", "undo", "restart", "pause", "resume":
			return k.rolloutSubcommand(inv, args[0], args[1:])
		}
	}
	if len(args) == 0 || args[0] != "status" {
		return plainError("only `kubectl rollout status|history|undo|restart|pause|resume` are supported")
	}
	targets, err := resolveTargets(args[1:])
	if err != nil {
		return err
	}
	if len(targets) != 1 || len(targets[0].names) != 1 {
		return &usageError{msg: "resource(s) were provided, but no name was specified", verb: "rollout status"}
	}
	t := targets[0]
	if t.info.Kind != "Deployment" {
		return plainError(msgRolloutUnsupported, t.info.Kind)
	}
	timeout := rolloutStatusDefaultTimeout
	if s := inv.p.get("timeout"); s != "" && s != "0s" {
		if timeout, err = time.ParseDuration(s); err != nil {
			return plainError("invalid --timeout %q: %v", s, err)
		}
	}
	key := keyFor(t.info, inv.namespace(), t.names[0])
	if _, err := k.c.Get(key); err != nil {
		return serverError(err, "")
	}
	return k.watchRollout(inv, key, timeout)
}

// watchRollout prints each new status message until the rollout is done.
func (k *Kubectl) watchRollout(inv *invocation, key objects.Key, timeout time.Duration) error {
	last := ""
	var failure error
	done := k.c.RunUntil(func(r storage.Reader) bool {
		obj, err := r.Get(key)
		if err != nil {
			return false
		}
		msg, finished, err := deploymentRolloutStatus(obj.(*objects.Deployment))
		if err != nil {
			failure = err
			return true
		}
		if msg != last {
			inv.printf("%s", msg)
			last = msg
		}
		return finished
	}, timeout)
	if failure != nil {
		return failure
	}
	if !done {
		return plainError("timed out waiting for the condition")
	}
	return nil
}

// deploymentRolloutStatus is DeploymentStatusViewer.Status.
func deploymentRolloutStatus(d *objects.Deployment) (string, bool, error) {
	if d.Generation > d.Status.ObservedGeneration {
		return msgRolloutGeneration, false, nil
	}
	if c := objects.FindDeploymentCondition(d.Status.Conditions, objects.DeploymentProgressing); c != nil && c.Reason == reasonTimedOut {
		return "", false, plainError(msgRolloutDeadline, d.Name)
	}
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	st := d.Status
	switch {
	case st.UpdatedReplicas < want:
		return fmt.Sprintf(msgRolloutUpdated, d.Name, st.UpdatedReplicas, want), false, nil
	case st.Replicas > st.UpdatedReplicas:
		return fmt.Sprintf(msgRolloutOldPending, d.Name, st.Replicas-st.UpdatedReplicas), false, nil
	case st.AvailableReplicas < st.UpdatedReplicas:
		return fmt.Sprintf(msgRolloutAvailable, d.Name, st.AvailableReplicas, st.UpdatedReplicas), false, nil
	}
	return fmt.Sprintf(msgRolloutDone, d.Name), true, nil
}
