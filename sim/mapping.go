package sim

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// Mapper tells which kinds the cluster's API serves, as kubectl's REST
// mapper learns them from discovery: the built-in kinds of a 1.37 apiserver
// (objects.ServesVersion) and the kinds defined by the
// CustomResourceDefinitions stored when the Mapper was made. Like kubectl's
// discovery, a Mapper made before a manifest is applied does not know the
// kinds that manifest's own CustomResourceDefinitions define: their
// objects are refused with "ensure CRDs are installed first" until the
// next command.
type Mapper struct {
	// custom maps "kind.group" to the versions a CustomResourceDefinition
	// serves for it.
	custom map[string][]string
}

// Mapper returns a Mapper for the kinds the cluster serves now.
func (c *Cluster) Mapper() *Mapper {
	m := &Mapper{custom: map[string][]string{}}
	for _, o := range c.store.List(crdKind, "", nil) {
		u, ok := o.(*objects.Unstructured)
		if !ok {
			continue
		}
		group, kind, versions := crdServes(u)
		if group != "" && kind != "" {
			key := kind + "." + group
			m.custom[key] = append(m.custom[key], versions...)
		}
	}
	return m
}

// crdKind is the kind of a CustomResourceDefinition.
const crdKind = "CustomResourceDefinition"

// Check returns nil when the API serves obj's kind in obj's apiVersion, and
// otherwise the error kubectl's mapper gives, a *objects.DecodeError with
// reason DecodeNoKindMatch: `no matches for kind "Deploymnet" in version
// "apps/v1"`. An object that names no kind or apiVersion (a typed Go
// object) is left for the store to resolve.
func (m *Mapper) Check(obj objects.Object) error {
	tm := obj.GetTypeMeta()
	if tm.Kind == "" || tm.APIVersion == "" || m.serves(tm.Kind, tm.APIVersion) {
		return nil
	}
	meta := obj.GetObjectMeta()
	return &objects.DecodeError{Reason: objects.DecodeNoKindMatch, ListIndex: -1,
		Kind: tm.Kind, Version: tm.APIVersion, Name: meta.Name, Namespace: meta.Namespace,
		Message: fmt.Sprintf("no matches for kind %q in version %q", tm.Kind, tm.APIVersion)}
}

// serves reports whether kind is served in apiVersion.
func (m *Mapper) serves(kind, apiVersion string) bool {
	if _, builtin := objects.LookupKind(kind); builtin {
		return objects.ServesVersion(kind, apiVersion)
	}
	group, version, ok := strings.Cut(apiVersion, "/")
	if !ok {
		return false // custom resources always have a group
	}
	for _, v := range m.custom[kind+"."+group] {
		if v == version {
			return true
		}
	}
	return false
}

// crdServes reads a CustomResourceDefinition's group, kind and served
// versions (spec.group, spec.names.kind, spec.versions[].name where
// served is true). Fields of the wrong shape read as absent.
func crdServes(crd *objects.Unstructured) (group, kind string, versions []string) {
	spec, _ := crd.Content["spec"].(map[string]any)
	group, _ = spec["group"].(string)
	names, _ := spec["names"].(map[string]any)
	kind, _ = names["kind"].(string)
	list, _ := spec["versions"].([]any)
	for _, item := range list {
		v, _ := item.(map[string]any)
		name, _ := v["name"].(string)
		if served, _ := v["served"].(bool); served && name != "" {
			versions = append(versions, name)
		}
	}
	return group, kind, versions
}
