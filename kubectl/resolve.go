package kubectl

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// target is one kind a command addresses, with the names given (none means
// all of that kind).
type target struct {
	info  objects.KindInfo
	names []string
	// namespace, when set, is where a manifest (-f) placed the object; it
	// wins over -n, as kubectl reads it from the file.
	namespace string
}

// msgTypeWithSlashName is kubectl's complaint about a resource type given
// both on its own and in resource/name form.
const msgTypeWithSlashName = "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"

// resolveTargets reads kubectl's ways of naming objects: `pods`, `pod a b`,
// `pod/a job/b`, `pods,jobs`.
func resolveTargets(args []string) ([]target, error) {
	if len(args) == 0 {
		return nil, nil
	}
	if strings.Contains(args[0], "/") {
		var out []target
		for _, a := range args {
			typ, name, ok := strings.Cut(a, "/")
			switch {
			case !ok:
				return nil, plainError("%s", msgTypeWithSlashName)
			case strings.Contains(name, "/"):
				// splitResourceTypeName: "job/job.batch/pi", as
				// `kubectl logs job/$(kubectl get jobs -o name)` gives.
				return nil, plainError("arguments in resource/name form may not have more than one slash")
			case typ == "" || name == "":
				return nil, plainError("arguments in resource/name form must have a single resource and name")
			}
			info, err := lookupKind(typ)
			if err != nil {
				return nil, err
			}
			out = append(out, target{info: info, names: []string{name}})
		}
		return out, nil
	}
	var out []target
	for _, typ := range strings.Split(args[0], ",") {
		info, err := lookupKind(typ)
		if err != nil {
			return nil, err
		}
		out = append(out, target{info: info, names: args[1:]})
	}
	for _, a := range args[1:] {
		if strings.Contains(a, "/") {
			return nil, plainError("%s", msgTypeWithSlashName)
		}
	}
	if len(out) > 1 && len(args) > 1 {
		return nil, plainError("you must specify only one resource")
	}
	return out, nil
}

// lookupKind resolves a resource type as kubectl's RESTMapper does.
func lookupKind(typ string) (objects.KindInfo, error) {
	info, ok := objects.LookupResource(typ)
	if !ok {
		return objects.KindInfo{}, fmt.Errorf("error: the server doesn't have a resource type %q", typ)
	}
	return info, nil
}

// keyFor names an object of info in namespace ns.
func keyFor(info objects.KindInfo, ns, name string) objects.Key {
	if !info.Namespaced {
		ns = ""
	}
	return objects.Key{Kind: info.Kind, Namespace: ns, Name: name}
}
