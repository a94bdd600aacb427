package kubectl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// Kubectl runs kubectl command lines against a simulated cluster. It is not
// safe for concurrent use.
type Kubectl struct {
	c *sim.Cluster
	// dir is where relative -f paths are read from.
	dir string
	// files, while RunOn runs, is the machine kubectl runs on, where -f
	// paths are looked for first; term is its user's terminal, which
	// exec -it connects to the command.
	files Files
	term  sim.Terminal
}

// Files is a machine's filesystem as kubectl reads -f paths from it;
// relative paths are the machine's shell's (its working directory's).
type Files interface {
	// Stat reports whether path exists and whether it is a directory.
	Stat(path string) (exists, dir bool)
	// ReadFile reads a file.
	ReadFile(path string) ([]byte, error)
	// ReadDir lists a directory's entries' names in order.
	ReadDir(path string) ([]string, error)
}

// RunOn is Run on a machine, from a terminal: -f paths are read from its
// files when they are there, otherwise from kubectl's directory; exec -it
// connects term (nil: none) to the command, whose output then goes there
// as it comes rather than into the Result.
func (k *Kubectl) RunOn(files Files, term sim.Terminal, args []string, stdin string) Result {
	k.files, k.term = files, term
	defer func() { k.files, k.term = nil, nil }()
	return k.Run(args, stdin)
}

// New returns a kubectl for c that reads -f files relative to dir.
func New(c *sim.Cluster, dir string) *Kubectl { return &Kubectl{c: c, dir: dir} }

// Result is what one command printed and how it exited.
type Result struct {
	// Output is stdout and stderr as a terminal shows them, in order.
	Output   string
	ExitCode int
}

// verb is one kubectl subcommand.
type verb struct {
	flags []flagSpec
	run   func(k *Kubectl, inv *invocation) error
}

// verbs maps each subcommand to its handler. Example lines show what each
// accepts.
var verbs map[string]verb

func init() {
	verbs = map[string]verb{
		// kubectl create -f job.yaml | kubectl create secret generic s --from-literal=k=v
		"create": {flags: createFlags, run: (*Kubectl).create},
		// kubectl apply -f pv.yaml
		"apply": {flags: applyFlags, run: (*Kubectl).apply},
		// kubectl get pods -o wide | kubectl get job/pi -o json
		"get": {flags: getFlags, run: (*Kubectl).get},
		// kubectl describe jobs/pi
		"describe": {flags: describeFlags, run: (*Kubectl).describe},
		// kubectl logs pi-rq5rl | kubectl logs job/pi
		"logs": {flags: logsFlags, run: (*Kubectl).logs},
		// kubectl delete -f job.yaml | kubectl delete pod pi-rq5rl
		"delete": {flags: deleteFlags, run: (*Kubectl).delete},
		// kubectl scale deployment/web --replicas=3
		"scale": {flags: scaleFlags, run: (*Kubectl).scale},
		// kubectl exec -it mysql-0 -- mysql -uroot -p...
		"exec": {flags: execFlags, run: (*Kubectl).exec},
		// kubectl patch job pi -p '{"spec":{"suspend":true}}'
		"patch": {flags: patchFlags, run: (*Kubectl).patch},
		// kubectl wait job/pi --for=condition=Complete --timeout=5m
		"wait": {flags: waitFlags, run: (*Kubectl).wait},
		// kubectl label pod web tier=front
		"label": {flags: labelFlags, run: (*Kubectl).label},
		// kubectl rollout status deployment/nginx-deployment
		"rollout": {flags: rolloutFlags, run: (*Kubectl).rollout},
	}
}

// invocation is one command being run: its parsed words and its output.
type invocation struct {
	verb  string
	p     parsedArgs
	stdin string
	out   strings.Builder
	// warns reports whether the cluster's release sends an apiserver
	// warning (nil: every warning).
	warns func(text string) bool
}

func (inv *invocation) printf(format string, args ...any) { fmt.Fprintf(&inv.out, format, args...) }

// namespace is the -n flag or "default".
func (inv *invocation) namespace() string {
	if ns := inv.p.get("namespace"); ns != "" {
		return ns
	}
	return objects.NamespaceDefault
}

// Run executes one command line, given as words after "kubectl" (as a shell
// would split them), with stdin for `-f -`.
func (k *Kubectl) Run(args []string, stdin string) Result {
	name, rest := splitVerb(args)
	if name == "" {
		return Result{Output: "error: a command is required\nRun 'kubectl --help' for usage.\n", ExitCode: 1}
	}
	v, ok := verbs[name]
	if !ok {
		return Result{Output: fmt.Sprintf("error: unknown command %q for \"kubectl\"\nRun 'kubectl --help' for usage.\n", name), ExitCode: 1}
	}
	if !k.c.APIServerUp() {
		return Result{Output: fmt.Sprintf("The connection to the server %s was refused - did you specify the right host or port?\n",
			k.c.APIServerAddress()), ExitCode: 1}
	}
	inv := &invocation{verb: name, stdin: stdin, warns: k.c.SendsWarning}
	p, err := parseFlags(name, rest, v.flags)
	if err == nil {
		inv.p = p
		err = v.run(k, inv)
	}
	code := 0
	if err != nil {
		code = 1
		var ec *exitCodeError
		if errors.As(err, &ec) {
			code = ec.code
		}
		msg := err.Error()
		if msg != "" {
			inv.out.WriteString(strings.TrimSuffix(msg, "\n") + "\n")
		}
	}
	return Result{Output: inv.out.String(), ExitCode: code}
}

// splitVerb finds the subcommand, allowing global flags before it
// (kubectl -n demo get pods).
func splitVerb(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			rest := append(append([]string(nil), args[:i]...), args[i+1:]...)
			return a, rest
		}
		if (a == "-n" || a == "--namespace") && i+1 < len(args) {
			i++
		}
	}
	return "", nil
}

// exitCodeError ends a command with a given exit code (exec relays the
// remote command's).
type exitCodeError struct {
	msg  string
	code int
}

func (e *exitCodeError) Error() string { return e.msg }

// plainError prints "error: msg".
func plainError(format string, args ...any) error {
	return errors.New("error: " + fmt.Sprintf(format, args...))
}

// serverError formats an error from the cluster as kubectl does. context,
// when set, says what was being done ("error when creating \"job.yaml\": ").
func serverError(err error, context string) error {
	var se *storage.StatusError
	if errors.As(err, &se) {
		if se.Reason == storage.ReasonInvalid && len(se.Causes) > 0 {
			return errors.New(invalidMessage(se))
		}
		reason := string(se.Reason)
		if reason == "" {
			reason = "InternalError"
		}
		return fmt.Errorf("Error from server (%s): %s%s", reason, context, se.Message)
	}
	var de *objects.DecodeError
	if errors.As(err, &de) {
		return decodeError(de, context)
	}
	return errors.New("error: " + err.Error())
}

// invalidMessage is kubectl's rendering of an Invalid error: one cause on
// the same line, several as a bulleted list.
func invalidMessage(se *storage.StatusError) string {
	head := fmt.Sprintf("The %s %q is invalid: ", se.Kind, se.Name)
	if len(se.Causes) == 1 {
		return head + se.Causes[0].Error()
	}
	lines := []string{head}
	for _, c := range se.Causes {
		lines = append(lines, "* "+c.Error())
	}
	return strings.Join(lines, "\n")
}

// decodeError formats a manifest that did not decode.
func decodeError(de *objects.DecodeError, context string) error {
	switch de.Reason {
	case objects.DecodeSyntax:
		return fmt.Errorf("error: error parsing %s: %s", strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(context, "error when creating "), "error when applying "), ": "), de.Message)
	case objects.DecodeMissingKind, objects.DecodeMissingVersion:
		return fmt.Errorf("error: unable to decode %s: %s", sourceOf(context), de.Message)
	case objects.DecodeNoKindMatch:
		return fmt.Errorf("error: resource mapping not found for name: %q namespace: %q from %s: %s\nensure CRDs are installed first",
			de.Name, de.Namespace, sourceOf(context), de.Error())
	}
	return fmt.Errorf("Error from server (BadRequest): %s%s", context, de.Error())
}

// sourceOf extracts the quoted file name from a context string.
func sourceOf(context string) string {
	if i := strings.Index(context, `"`); i >= 0 {
		if j := strings.LastIndex(context, `"`); j > i {
			return context[i : j+1]
		}
	}
	return `"STDIN"`
}

// resourceName is how kubectl names an object in messages:
// "job.batch/pi", "pod/pi-rq5rl".
func resourceName(obj objects.Object) string {
	return qualifiedSingular(resourceInfo(obj)) + "/" + obj.GetObjectMeta().Name
}

// resourceInfo describes obj's kind.
func resourceInfo(obj objects.Object) objects.KindInfo {
	return objects.KindInfoFor(obj.GetTypeMeta().Kind, obj.GetTypeMeta().APIVersion)
}

// qualifiedSingular is the kind's singular resource with its group: "job.batch".
func qualifiedSingular(info objects.KindInfo) string {
	if info.Group == "" {
		return info.Singular
	}
	return info.Singular + "." + info.Group
}
