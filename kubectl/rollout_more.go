package kubectl

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// This file holds kubectl rollout's history, undo, restart, pause and
// resume (k8s.io/kubectl pkg/cmd/rollout and polymorphichelpers' history,
// rollback, restarter, pauser and resumer), for Deployments (restart also
// for StatefulSets).

// Annotations rollout reads and writes.
const (
	annRevision        = "deployment.kubernetes.io/revision"
	annRevisionHistory = "deployment.kubernetes.io/revision-history"
	annDesiredReplicas = "deployment.kubernetes.io/desired-replicas"
	annMaxReplicas     = "deployment.kubernetes.io/max-replicas"
	annLastApplied     = "kubectl.kubernetes.io/last-applied-configuration"
	annRestartedAt     = "kubectl.kubernetes.io/restartedAt"
)

// Words of rollout's results and refusals.
const (
	msgRolledBack       = "rolled back"
	msgRollbackSkipped  = "skipped rollback"
	msgNoHistory        = "No rollout history found."
	msgPausedRollback   = "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"
	msgRestartPaused    = "can't restart paused deployment (run rollout resume first)"
	msgRestartTooSoon   = "failed to create patch for %v: if restart has already been triggered within the past second, please wait before attempting to trigger another"
	msgAlreadyPaused    = "is already paused"
	msgNotPaused        = "is not paused"
	msgRequiredResource = "required resource not specified"
	warnRollbackApplied = "Warning: resource %[1]s was previously managed with 'kubectl apply'. " +
		"Rolling back will not update the %[2]s annotation, which may cause unexpected behavior on future 'kubectl apply' operations. " +
		"Consider using 'kubectl apply' with your previous configuration file instead.\n"
)

// rollbackSkipAnnotations are kept from the Deployment, not copied from the
// ReplicaSet, by undo (annotationsToSkip).
var rollbackSkipAnnotations = map[string]bool{
	annLastApplied: true, annRevision: true, annRevisionHistory: true,
	annDesiredReplicas: true, annMaxReplicas: true,
}

// rolloutSubcommand runs one of rollout's subcommands other than status.
func (k *Kubectl) rolloutSubcommand(inv *invocation, sub string, args []string) error {
	if sub == "undo" && inv.p.has("to-revision") {
		// pflag reads --to-revision before the command runs.
		if _, err := toRevision(inv); err != nil {
			return err
		}
	}
	if len(args) == 0 && inv.p.get("selector") == "" {
		return plainError(msgRequiredResource)
	}
	targets, err := resolveTargets(args)
	if err != nil {
		return err
	}
	keys, _, err := k.targetKeys(inv, targets)
	if err != nil {
		return err
	}
	var errs []error
	for _, key := range keys {
		obj, err := k.c.Get(key)
		if err != nil {
			return serverError(err, "")
		}
		if err := k.rolloutOne(inv, sub, obj.DeepCopyObject()); err != nil {
			if sub == "history" || sub == "undo" {
				return err
			}
			errs = append(errs, err)
		}
	}
	if agg := newAggregate(errs); agg != nil {
		return errors.New(checkErr(agg))
	}
	return nil
}

// rolloutOne applies sub to one object.
func (k *Kubectl) rolloutOne(inv *invocation, sub string, obj objects.Object) error {
	switch sub {
	case "history":
		return k.rolloutHistory(inv, obj)
	case "undo":
		return k.rolloutUndo(inv, obj)
	case "restart":
		return k.rolloutRestart(inv, obj)
	}
	return k.rolloutPause(inv, obj, sub == "pause")
}

// objectError is the "error: RESOURCE.GROUP "NAME" PROBLEM" rollout's
// patching subcommands print for an object they refuse.
func objectError(obj objects.Object, problem string) error {
	info := resourceInfo(obj)
	res := info.Resource
	if info.Group != "" {
		res += "." + info.Group
	}
	return fmt.Errorf("error: %s %q %s", res, obj.GetObjectMeta().Name, problem)
}

// rolloutPause sets or clears a Deployment's spec.paused.
func (k *Kubectl) rolloutPause(inv *invocation, obj objects.Object, pause bool) error {
	d, ok := obj.(*objects.Deployment)
	if !ok {
		verb := "resuming"
		if pause {
			verb = "pausing"
		}
		return objectError(obj, verb+" is not supported")
	}
	switch {
	case pause && d.Spec.Paused:
		return objectError(obj, msgAlreadyPaused)
	case !pause && !d.Spec.Paused:
		return objectError(obj, msgNotPaused)
	}
	d.Spec.Paused = pause
	out, err := k.c.Update(d)
	if err != nil {
		return fmt.Errorf("failed to patch: %s", statusMessage(err))
	}
	word := "resumed"
	if pause {
		word = "paused"
	}
	inv.printf("%s %s\n", resourceName(out), word)
	return nil
}

// rolloutRestart stamps the pod template with kubectl.kubernetes.io/restartedAt
// (the virtual clock's time, RFC 3339), which rolls every pod.
func (k *Kubectl) rolloutRestart(inv *invocation, obj objects.Object) error {
	var tmpl *objects.PodTemplateSpec
	switch o := obj.(type) {
	case *objects.Deployment:
		if o.Spec.Paused {
			return objectError(obj, msgRestartPaused)
		}
		tmpl = &o.Spec.Template
	case *objects.StatefulSet:
		tmpl = &o.Spec.Template
	default:
		return objectError(obj, "restarting is not supported")
	}
	stamp := k.c.Now().Format(time.RFC3339)
	if tmpl.Annotations[annRestartedAt] == stamp {
		return fmt.Errorf(msgRestartTooSoon, obj.GetObjectMeta().Name)
	}
	tmpl.Annotations = maps.Clone(tmpl.Annotations)
	if tmpl.Annotations == nil {
		tmpl.Annotations = map[string]string{}
	}
	tmpl.Annotations[annRestartedAt] = stamp
	out, err := k.c.Update(obj)
	if err != nil {
		return fmt.Errorf("failed to patch: %s", statusMessage(err))
	}
	inv.printf("%s restarted\n", resourceName(out))
	return nil
}

// ownedReplicaSets are the ReplicaSets a Deployment controls.
func (k *Kubectl) ownedReplicaSets(d *objects.Deployment) []*objects.ReplicaSet {
	var out []*objects.ReplicaSet
	for _, o := range k.c.Store().List("ReplicaSet", d.Namespace, nil) {
		rs := o.(*objects.ReplicaSet)
		if ref := rs.ControllerRef(); ref != nil && ref.UID == d.UID {
			out = append(out, rs)
		}
	}
	return out
}

// revisionOf reads a ReplicaSet's revision annotation.
func revisionOf(rs *objects.ReplicaSet) (int64, bool) {
	v, err := strconv.ParseInt(rs.Annotations[annRevision], 10, 64)
	return v, err == nil
}

// rolloutHistory prints DeploymentHistoryViewer's table: each revision of
// the Deployment's ReplicaSets with its change cause. --revision=N (the
// revision's pod template) is not modelled.
func (k *Kubectl) rolloutHistory(inv *invocation, obj objects.Object) error {
	d, ok := obj.(*objects.Deployment)
	if !ok {
		return plainError("no history viewer has been implemented for %s", obj.GetTypeMeta().Kind)
	}
	if inv.p.has("revision") {
		return plainError("kubesim's kubectl rollout history does not print a revision's pod template (--revision)")
	}
	causes := map[int64]string{}
	for _, rs := range k.ownedReplicaSets(d) {
		if v, ok := revisionOf(rs); ok {
			causes[v] = rs.Annotations[changeCauseAnnotation]
		}
	}
	text := msgNoHistory
	if len(causes) > 0 {
		var b strings.Builder
		tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
		fmt.Fprintf(tw, "REVISION\tCHANGE-CAUSE\n")
		for _, r := range slices.Sorted(maps.Keys(causes)) {
			cause := causes[r]
			if cause == "" {
				cause = "<none>"
			}
			fmt.Fprintf(tw, "%d\t%s\n", r, cause)
		}
		tw.Flush()
		text = b.String()
	}
	inv.printf("%s \n%s\n", resourceName(d), text)
	return nil
}

// rolloutUndo is DeploymentRollbacker.Rollback: the template of
// --to-revision (0: the previous revision) back on the Deployment, with
// that ReplicaSet's annotations.
func (k *Kubectl) rolloutUndo(inv *invocation, obj objects.Object) error {
	d, ok := obj.(*objects.Deployment)
	if !ok {
		return plainError("no rollbacker has been implemented for %q", obj.GetTypeMeta().Kind)
	}
	to, err := toRevision(inv)
	if err != nil {
		return err
	}
	if to < 0 {
		return plainError("unable to find specified revision %v in history", to)
	}
	if _, ok := d.Annotations[annLastApplied]; ok {
		inv.printf(warnRollbackApplied, "deployments.apps/"+d.Name, annLastApplied)
	}
	rs, err := revisionReplicaSet(d, k.ownedReplicaSets(d), to)
	if err != nil {
		return err
	}
	if d.Spec.Paused {
		return plainError(msgPausedRollback)
	}
	if objects.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
		// kubectl names the revision asked for: 0 for "the previous one".
		inv.printf("%s %s (current template already matches revision %d)\n", resourceName(d), msgRollbackSkipped, to)
		return nil
	}
	tmpl := *rs.Spec.Template.DeepCopy()
	delete(tmpl.Labels, objects.DefaultDeploymentUniqueLabelKey)
	annotations := map[string]string{}
	for key := range rollbackSkipAnnotations {
		if v, ok := d.Annotations[key]; ok {
			annotations[key] = v
		}
	}
	for key, v := range rs.Annotations {
		if !rollbackSkipAnnotations[key] {
			annotations[key] = v
		}
	}
	d.Spec.Template = tmpl
	d.Annotations = annotations
	out, err := k.c.Update(d)
	if err != nil {
		return plainError("failed restoring revision %d: %s", to, statusMessage(err))
	}
	inv.printf("%s %s\n", resourceName(out), msgRolledBack)
	return nil
}

// toRevision reads --to-revision (0 when absent) with pflag's error.
func toRevision(inv *invocation) (int64, error) {
	s := inv.p.get("to-revision")
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		return 0, &usageError{msg: fmt.Sprintf("invalid argument %q for \"--to-revision\" flag: %v", s, err), verb: "rollout undo"}
	}
	return v, nil
}

// revisionReplicaSet is deploymentRevision: the ReplicaSet of revision to,
// or for 0 the one of the second newest revision.
func revisionReplicaSet(d *objects.Deployment, rss []*objects.ReplicaSet, to int64) (*objects.ReplicaSet, error) {
	var latest, previous *objects.ReplicaSet
	latestRev, previousRev := int64(-1), int64(-1)
	for _, rs := range rss {
		v, ok := revisionOf(rs)
		if !ok {
			continue
		}
		switch {
		case to > 0:
			if v == to {
				return rs, nil
			}
		case latestRev < v:
			previous, previousRev = latest, latestRev
			latest, latestRev = rs, v
		case previousRev < v:
			previous, previousRev = rs, v
		}
	}
	if to > 0 {
		return nil, plainError("unable to find specified revision %v in history", to)
	}
	if previous == nil {
		return nil, plainError("no rollout history found for deployment %q", d.Name)
	}
	return previous, nil
}
