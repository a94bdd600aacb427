package kubectl

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

var execFlags = []flagSpec{
	{long: "container", short: "c", hasValue: true},
	{long: "stdin", short: "i"},
	{long: "tty", short: "t"},
	{long: "quiet", short: "q"},
}

// exec handles `exec [-it] POD [-c C] -- COMMAND...`: the command runs in
// the workload model against the container's files and environment.
func (k *Kubectl) exec(inv *invocation) error {
	if len(inv.p.args) == 0 {
		return &usageError{msg: "expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command", verb: "exec"}
	}
	command := inv.p.dashArgs
	if !inv.p.sawDash {
		command = inv.p.args[1:]
	}
	if len(command) == 0 {
		return &usageError{msg: "you must specify at least one command for the container", verb: "exec"}
	}
	typ, name, typed := strings.Cut(inv.p.args[0], "/")
	if !typed {
		typ, name = "pod", inv.p.args[0]
	}
	obj, err := k.getObject(inv, typ, name)
	if err != nil {
		return err
	}
	pod, ok := obj.(*objects.Pod)
	if !ok {
		pods, err := k.podFor(inv, obj)
		if err != nil {
			return err
		}
		pod = pods[0]
	}
	if pod.Status.Phase == objects.PodSucceeded || pod.Status.Phase == objects.PodFailed {
		return plainError("cannot exec into a container in a completed pod; current phase is %s", pod.Status.Phase)
	}
	container := inv.p.get("container")
	if container == "" && len(pod.Spec.Containers) > 0 {
		if len(pod.Spec.Containers) > 1 {
			names := make([]string, len(pod.Spec.Containers))
			for i, c := range pod.Spec.Containers {
				names[i] = c.Name
			}
			inv.printf("Defaulted container %q out of: %s\n", names[0], strings.Join(names, ", "))
		}
		container = pod.Spec.Containers[0].Name
	}
	stdin := ""
	if inv.p.bool("stdin") {
		stdin = inv.stdin
	}
	res, err := k.c.Exec(pod.Namespace, pod.Name, container, command, stdin)
	if err != nil {
		return fmt.Errorf("error: %v", err)
	}
	for _, l := range res.Output {
		inv.printf("%s\n", l)
	}
	if res.ExitCode != 0 {
		return &exitCodeError{msg: fmt.Sprintf("command terminated with exit code %d", res.ExitCode), code: res.ExitCode}
	}
	return nil
}
