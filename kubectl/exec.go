package kubectl

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
)

var execFlags = []flagSpec{
	{long: "container", short: "c", hasValue: true},
	{long: "stdin", short: "i"},
	{long: "tty", short: "t"},
	{long: "quiet", short: "q"},
}

// oldExecFormWarning is what kubectl up to 1.30 said about `kubectl exec
// POD COMMAND` (without "--") before it ran the command anyway.
const oldExecFormWarning = "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n"

// exec handles `exec [-it] POD [-c C] -- COMMAND...`: the command runs in
// the workload model against the container's files and environment.
func (k *Kubectl) exec(inv *invocation) error {
	if len(inv.p.args) == 0 {
		return &usageError{msg: "expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command", verb: "exec"}
	}
	command, deprecated := inv.p.dashArgs, false
	if !inv.p.sawDash && len(inv.p.args) > 1 {
		// The tutorial's `kubectl exec -it mysql-0 /bin/bash` form was
		// deprecated (with a warning) and then removed from kubectl (1.31);
		// it now refuses it so.
		if !k.c.OldExecForm() {
			return plainError("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead")
		}
		command, deprecated = inv.p.args[1:], true
	}
	if len(command) == 0 {
		return &usageError{msg: "you must specify at least one command for the container", verb: "exec"}
	}
	pod, err := k.podNamed(inv, inv.p.args[0])
	if err != nil {
		return err
	}
	if pod.Status.Phase == objects.PodSucceeded || pod.Status.Phase == objects.PodFailed {
		return plainError("cannot exec into a container in a completed pod; current phase is %s", pod.Status.Phase)
	}
	container := defaultContainer(inv, pod)
	if inv.p.bool("stdin") && inv.p.bool("tty") && k.term != nil {
		if deprecated {
			// kubectl says it before it connects the terminal.
			k.term.Write(oldExecFormWarning)
		}
		code, err := k.c.ExecTTY(pod.Namespace, pod.Name, container, command, k.term)
		if err != nil {
			return fmt.Errorf("error: %v", err)
		}
		if code != 0 {
			return &exitCodeError{msg: fmt.Sprintf("command terminated with exit code %d", code), code: code}
		}
		return nil
	}
	if deprecated {
		inv.printf("%s", oldExecFormWarning)
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
	if res.Unfinished {
		// A real kubectl exec would wait for ever; kubesim stops waiting.
		return plainError("kubesim: the command was still running after %v of virtual time, the longest kubesim waits for kubectl exec; it was stopped", sim.ExecLimit)
	}
	if res.ExitCode != 0 {
		return &exitCodeError{msg: fmt.Sprintf("command terminated with exit code %d", res.ExitCode), code: res.ExitCode}
	}
	return nil
}
