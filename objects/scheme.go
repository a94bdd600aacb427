package objects

import (
	"sort"
	"strings"
)

// KindInfo describes one kind: its API group and version, its REST resource
// names as kubectl accepts them, and whether it lives in a namespace.
//
// +kubebuilder:object:generate=false
type KindInfo struct {
	Kind    string // "Job"
	Group   string // "batch"; "" for the core group
	Version string // "v1"
	// OtherVersions are further versions of Group that manifests may name
	// ("v1beta1" for batch/v1beta1); decoding accepts them and converts to Version.
	OtherVersions []string
	Resource      string   // plural resource name, "jobs"
	Singular      string   // "job"
	ShortNames    []string // "cj", "sts"...
	Namespaced    bool
	// New returns an empty typed object, or is nil for kinds kubesim stores
	// without modelling them (kept as Unstructured).
	New func() Object
}

// APIVersion returns "group/version", or "version" for the core group.
func (k KindInfo) APIVersion() string {
	if k.Group == "" {
		return k.Version
	}
	return k.Group + "/" + k.Version
}

// GroupResource returns the resource qualified by its group as the apiserver
// names it in errors: "pods", "jobs.batch".
func (k KindInfo) GroupResource() string {
	if k.Group == "" {
		return k.Resource
	}
	return k.Resource + "." + k.Group
}

// Modelled reports whether kubesim has a typed model of the kind.
func (k KindInfo) Modelled() bool { return k.New != nil }

var kinds = map[string]KindInfo{}

// register adds a kind to the scheme; later registrations of a kind replace earlier ones.
func register(k KindInfo) {
	if k.Singular == "" {
		k.Singular = strings.ToLower(k.Kind)
	}
	kinds[k.Kind] = k
}

// LookupKind returns the registered description of kind.
func LookupKind(kind string) (KindInfo, bool) {
	k, ok := kinds[kind]
	return k, ok
}

// KindInfoFor returns the description of kind, inventing one for a kind
// nobody registered: namespaced, its resource the lower-cased kind plus "s".
// Unknown kinds are stored, never rejected.
func KindInfoFor(kind, apiVersion string) KindInfo {
	if k, ok := kinds[kind]; ok {
		return k
	}
	group, version := "", apiVersion
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		group, version = apiVersion[:i], apiVersion[i+1:]
	}
	lower := strings.ToLower(kind)
	return KindInfo{Kind: kind, Group: group, Version: version, Resource: lower + "s", Singular: lower, Namespaced: true}
}

// LookupResource finds a kind by any name kubectl accepts for it: the plural
// resource, the singular, a short name, the kind itself (any case), or those
// qualified by group ("jobs.batch").
func LookupResource(name string) (KindInfo, bool) {
	lower := strings.ToLower(name)
	base, group, qualified := strings.Cut(lower, ".")
	for _, k := range Kinds() {
		if qualified && k.Group != group {
			continue
		}
		if base == k.Resource || base == k.Singular || base == strings.ToLower(k.Kind) {
			return k, true
		}
		for _, s := range k.ShortNames {
			if base == s {
				return k, true
			}
		}
	}
	return KindInfo{}, false
}

// Kinds lists every registered kind, ordered by kind name.
func Kinds() []KindInfo {
	out := make([]KindInfo, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// NewObject returns an empty typed object of kind with its TypeMeta set, or
// false when kubesim does not model the kind.
func NewObject(kind string) (Object, bool) {
	k, ok := kinds[kind]
	if !ok || k.New == nil {
		return nil, false
	}
	obj := k.New()
	*obj.GetTypeMeta() = TypeMeta{APIVersion: k.APIVersion(), Kind: k.Kind}
	return obj, true
}

func init() {
	for _, k := range servedKinds {
		register(k)
	}
}
