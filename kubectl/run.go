package kubectl

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// This file is kubectl run (k8s.io/kubectl pkg/cmd/run) without attaching:
// it creates the Pod (and with --expose its Service) and prints
// "pod/NAME created". -i, -t, --attach and --rm, which attach the
// terminal, are refused with a clear error.

var runFlags = []flagSpec{
	{long: "image", hasValue: true},
	{long: "restart", hasValue: true},
	{long: "command"},
	{long: "env", hasValue: true, repeat: true},
	{long: "labels", short: "l", hasValue: true},
	{long: "annotations", hasValue: true, repeat: true},
	{long: "port", hasValue: true},
	{long: "expose"},
	{long: "image-pull-policy", hasValue: true},
	{long: "privileged"},
	{long: "quiet", short: "q"},
	{long: "stdin", short: "i"},
	{long: "tty", short: "t"},
	{long: "attach"},
	{long: "rm"},
}

// msgRunAttach says what kubesim's kubectl run does not do.
const msgRunAttach = "kubesim's kubectl run does not attach a terminal (-i, -t, --attach, --rm): create the pod, then use kubectl exec -it or kubectl logs"

// imageReference is distribution's reference.ReferenceRegexp, which
// kubectl run checks --image against.
var imageReference = func() *regexp.Regexp {
	const (
		alnum     = `[a-z0-9]+`
		separator = `(?:[._]|__|[-]+)`
		component = alnum + `(?:` + separator + alnum + `)*`
		domainCmp = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
		domain    = `(?:` + domainCmp + `(?:\.` + domainCmp + `)*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?`
		name      = `(?:` + domain + `/)?` + component + `(?:/` + component + `)*`
		tag       = `[\w][\w.-]{0,127}`
		digest    = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`
	)
	return regexp.MustCompile(`^(` + name + `)(?::(` + tag + `))?(?:@(` + digest + `))?$`)
}()

// restartPolicies are the values --restart takes.
var restartPolicies = map[string]bool{"Always": true, "OnFailure": true, "Never": true}

// run handles `run NAME --image=IMAGE [--restart=...] [--env=K=V]...
// [--labels=...] [--port=P [--expose]] [--command] [-- ARGS...]`: the
// words after -- are the container's args, or its command with --command.
func (k *Kubectl) run(inv *invocation) error {
	labels, err := parseRunLabels(inv.p.get("labels"))
	if err != nil {
		return err
	}
	env, err := parseRunEnv(inv.p.all("env"))
	if err != nil {
		return err
	}
	restart := inv.p.get("restart")
	if restart == "" {
		restart = "Always"
	}
	if !restartPolicies[restart] {
		return plainError("invalid restart policy: %s, valid values are: Always, OnFailure, Never", restart)
	}
	pull := inv.p.get("image-pull-policy")
	if pull != "" && pull != "Always" && pull != "IfNotPresent" && pull != "Never" {
		return plainError("invalid image pull policy: %s, valid values are: Always, IfNotPresent, Never", pull)
	}
	if len(inv.p.args) == 0 {
		return plainError("NAME is required for run")
	}
	image := inv.p.get("image")
	if image == "" {
		return plainError("--image is required")
	}
	if !imageReference.MatchString(image) {
		return plainError("invalid image name %q: invalid reference format", image)
	}
	if inv.p.bool("stdin") || inv.p.bool("tty") || inv.p.bool("attach") || inv.p.bool("rm") {
		return plainError(msgRunAttach)
	}
	port := inv.p.get("port")
	if inv.p.bool("expose") && port == "" {
		return plainError("--port must be set when exposing a service")
	}
	portNo, err := strconv.Atoi(port)
	if port != "" && err != nil {
		return plainError("--port must be a number")
	}
	name := inv.p.args[0]
	args := stringList(append(inv.p.args[1:len(inv.p.args):len(inv.p.args)], inv.p.dashArgs...))
	if len(labels) == 0 {
		labels = map[string]any{"run": name}
	}
	if err := k.createRunObject(inv, runPod(inv, name, image, restart, pull, labels, env, args, port, portNo)); err != nil {
		return err
	}
	if inv.p.bool("expose") {
		return k.createRunObject(inv, runService(inv, name, labels, portNo))
	}
	return nil
}

// runPod is createPod: labels run=NAME unless --labels, one container
// named NAME, dnsPolicy ClusterFirst.
func runPod(inv *invocation, name, image, restart, pull string, labels map[string]any, env, args []any, port string, portNo int) map[string]any {
	c := map[string]any{"name": name, "image": image}
	if len(env) > 0 {
		c["env"] = env
	}
	if pull != "" {
		c["imagePullPolicy"] = pull
	}
	if inv.p.bool("privileged") {
		c["securityContext"] = map[string]any{"privileged": true}
	}
	if len(args) > 0 {
		field := "args"
		if inv.p.bool("command") {
			field = "command"
		}
		c[field] = args
	}
	if port != "" {
		c["ports"] = []any{map[string]any{"containerPort": portNo}}
	}
	meta := metadata(inv, name)
	meta["labels"] = labels
	if ann := inv.p.all("annotations"); len(ann) > 0 {
		a := map[string]any{}
		for _, pair := range ann {
			k, v, _ := strings.Cut(pair, "=")
			a[k] = v
		}
		meta["annotations"] = a
	}
	return map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": meta,
		"spec": map[string]any{"containers": []any{c}, "dnsPolicy": "ClusterFirst", "restartPolicy": restart}}
}

// runService is createService: a ClusterIP Service selecting the pod's
// labels, on --port to the same target port.
func runService(inv *invocation, name string, labels map[string]any, port int) map[string]any {
	meta := metadata(inv, name)
	if l := inv.p.get("labels"); l != "" {
		meta["labels"] = labels
	}
	return map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": meta,
		"spec": map[string]any{"selector": labels,
			"ports": []any{map[string]any{"port": port, "protocol": "TCP", "targetPort": port}}}}
}

// createRunObject sends one of run's objects; a refusal is the
// apiserver's error as it is.
func (k *Kubectl) createRunObject(inv *invocation, tree map[string]any) error {
	b, err := json.Marshal(tree)
	if err != nil {
		return plainError("%v", err)
	}
	obj, err := objects.DecodeOne(b)
	if err != nil {
		return serverError(err, "")
	}
	return k.createObject(inv, obj)
}

// parseRunLabels is run's parseLabels: "k=v,k2=v2".
func parseRunLabels(s string) (map[string]any, error) {
	if s == "" {
		return nil, nil
	}
	labels := map[string]any{}
	for _, spec := range strings.Split(s, ",") {
		parts := strings.Split(spec, "=")
		if len(parts) != 2 {
			return nil, plainError("unexpected label spec: %s", spec)
		}
		if parts[0] == "" {
			return nil, plainError("unexpected empty label key")
		}
		labels[parts[0]] = parts[1]
	}
	return labels, nil
}

// parseRunEnv is run's parseEnvs: NAME=VALUE, NAME a valid variable name.
func parseRunEnv(envs []string) ([]any, error) {
	var out []any
	for _, e := range envs {
		name, value, found := strings.Cut(e, "=")
		if !found || name == "" || len(objects.IsStrictEnvVarName(name)) > 0 {
			return nil, plainError("invalid env: %v", e)
		}
		out = append(out, map[string]any{"name": name, "value": value})
	}
	return out, nil
}
