package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

var logsFlags = []flagSpec{
	{long: "container", short: "c", hasValue: true},
	{long: "previous", short: "p"},
	{long: "selector", short: "l", hasValue: true},
	{long: "follow", short: "f"},
	{long: "tail", hasValue: true},
	{long: "timestamps"},
	{long: "all-containers"},
}

// logs handles `logs POD`, `logs TYPE/NAME` (the first pod the object
// selects, as kubectl picks it) and `logs -l SELECTOR`.
func (k *Kubectl) logs(inv *invocation) error {
	if inv.p.bool("follow") {
		return plainError("--follow is not supported in a simulation: use sleep, then logs again")
	}
	pods, err := k.logPods(inv)
	if err != nil {
		return err
	}
	for _, pod := range pods {
		if err := k.podLogs(inv, pod); err != nil {
			return err
		}
	}
	return nil
}

// logPods resolves which pods' logs to print.
func (k *Kubectl) logPods(inv *invocation) ([]*objects.Pod, error) {
	args := inv.p.args
	if inv.p.has("selector") {
		sel, err := selectorOf(inv)
		if err != nil {
			return nil, err
		}
		var pods []*objects.Pod
		for _, o := range k.c.Store().List("Pod", inv.namespace(), sel) {
			pods = append(pods, o.(*objects.Pod))
		}
		if len(pods) == 0 {
			inv.printf("No resources found in %s namespace.\n", inv.namespace())
		}
		return pods, nil
	}
	if len(args) == 0 {
		return nil, &usageError{msg: "expected POD or TYPE/NAME is a required argument for the logs command", verb: "logs"}
	}
	pod, err := k.podNamed(inv, args[0])
	if err != nil {
		return nil, err
	}
	return []*objects.Pod{pod}, nil
}

// podNamed resolves the POD or TYPE/NAME argument of logs and exec: the
// pod itself, or the pod kubectl picks for a controller object.
func (k *Kubectl) podNamed(inv *invocation, arg string) (*objects.Pod, error) {
	typ, name, typed := strings.Cut(arg, "/")
	switch {
	case !typed:
		typ, name = "pod", arg
	case strings.Contains(name, "/"):
		// The builder's splitResourceTypeName, as for `kubectl logs
		// job/$(kubectl get jobs -o name)`, whose name is job.batch/NAME.
		return nil, plainError("arguments in resource/name form may not have more than one slash")
	case typ == "" || name == "":
		return nil, plainError("arguments in resource/name form must have a single resource and name")
	}
	obj, err := k.getObject(inv, typ, name)
	if err != nil {
		return nil, err
	}
	if pod, ok := obj.(*objects.Pod); ok {
		return pod, nil
	}
	return k.podFor(inv, obj)
}

// podFor picks the pod kubectl attaches to for a controller object: among
// the pods its selector matches, the most active one (kubectl's
// ActivePods order), telling which when there were several.
func (k *Kubectl) podFor(inv *invocation, owner objects.Object) (*objects.Pod, error) {
	sel, err := ownerSelector(owner)
	if err != nil {
		return nil, err
	}
	var pods []*objects.Pod
	for _, o := range k.c.Store().List("Pod", owner.GetObjectMeta().Namespace, sel) {
		pods = append(pods, o.(*objects.Pod))
	}
	if len(pods) == 0 {
		return nil, plainError("timed out waiting for the condition")
	}
	sort.SliceStable(pods, func(i, j int) bool { return moreActive(pods[i], pods[j]) })
	if len(pods) > 1 {
		inv.printf("Found %d pods, using pod/%s\n", len(pods), pods[0].Name)
	}
	return pods[0], nil
}

// ownerSelector reads spec.selector of any controller object.
func ownerSelector(owner objects.Object) (objects.Selector, error) {
	tree, err := objects.Encode(owner)
	if err != nil {
		return nil, plainError("%v", err)
	}
	ls, err := selectorFromJSON(tree)
	if err != nil || ls == nil {
		return nil, plainError("cannot attach to %s: selector for %s not implemented", owner.GetTypeMeta().Kind, resourceName(owner))
	}
	return objects.LabelSelectorAsSelector(ls)
}

// moreActive orders pods as kubectl's ActivePods does: assigned before
// unassigned, running before pending before unknown, ready before not
// ready, then newer first.
func moreActive(a, b *objects.Pod) bool {
	if (a.Spec.NodeName != "") != (b.Spec.NodeName != "") {
		return a.Spec.NodeName != ""
	}
	if ra, rb := phaseRank(a.Status.Phase), phaseRank(b.Status.Phase); ra != rb {
		return ra < rb
	}
	if podReady(a) != podReady(b) {
		return podReady(a)
	}
	if !a.CreationTimestamp.Equal(b.CreationTimestamp.Time) {
		return a.CreationTimestamp.After(b.CreationTimestamp.Time)
	}
	return a.Name < b.Name
}

// phaseRank orders pod phases for moreActive: running, unknown, pending,
// then the rest.
func phaseRank(phase string) int {
	switch phase {
	case objects.PodRunning:
		return 0
	case objects.PodUnknown:
		return 1
	case objects.PodPending:
		return 2
	}
	return 3
}

func podReady(p *objects.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == objects.PodReady {
			return c.Status == objects.ConditionTrue
		}
	}
	return false
}

// podLogs prints one pod's log, choosing the container as kubectl does.
func (k *Kubectl) podLogs(inv *invocation, pod *objects.Pod) error {
	container := defaultContainer(inv, pod)
	lines, err := k.c.Logs(pod.Namespace, pod.Name, container, inv.p.bool("previous"))
	if err != nil {
		return fmt.Errorf("Error from server (BadRequest): %v", err)
	}
	if t := inv.p.get("tail"); t != "" && t != "-1" {
		var n int
		if _, err := fmt.Sscan(t, &n); err == nil && n >= 0 && n < len(lines) {
			lines = lines[len(lines)-n:]
		}
	}
	for _, l := range lines {
		inv.printf("%s\n", l)
	}
	return nil
}

// defaultContainer is the -c flag or, without it, the pod's first
// container, telling which when the pod has several (logs and exec).
func defaultContainer(inv *invocation, pod *objects.Pod) string {
	if container := inv.p.get("container"); container != "" {
		return container
	}
	if len(pod.Spec.Containers) == 0 {
		return ""
	}
	if len(pod.Spec.Containers) > 1 {
		names := make([]string, len(pod.Spec.Containers))
		for i, c := range pod.Spec.Containers {
			names[i] = c.Name
		}
		inv.printf("Defaulted container %q out of: %s\n", names[0], strings.Join(names, ", "))
	}
	return pod.Spec.Containers[0].Name
}
