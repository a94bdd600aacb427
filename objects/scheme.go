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
	register(KindInfo{Kind: "Pod", Version: "v1", Resource: "pods", ShortNames: []string{"po"}, Namespaced: true,
		New: func() Object { return &Pod{} }})
	register(KindInfo{Kind: "Node", Version: "v1", Resource: "nodes", ShortNames: []string{"no"},
		New: func() Object { return &Node{} }})
	register(KindInfo{Kind: "Namespace", Version: "v1", Resource: "namespaces", ShortNames: []string{"ns"},
		New: func() Object { return &Namespace{} }})
	register(KindInfo{Kind: "Service", Version: "v1", Resource: "services", ShortNames: []string{"svc"}, Namespaced: true,
		New: func() Object { return &Service{} }})
	register(KindInfo{Kind: "Endpoints", Version: "v1", Resource: "endpoints", Singular: "endpoints", ShortNames: []string{"ep"}, Namespaced: true,
		New: func() Object { return &Endpoints{} }})
	register(KindInfo{Kind: "EndpointSlice", Group: "discovery.k8s.io", Version: "v1", Resource: "endpointslices", Namespaced: true,
		New: func() Object { return &EndpointSlice{} }})
	register(KindInfo{Kind: "Event", Version: "v1", Resource: "events", ShortNames: []string{"ev"}, Namespaced: true,
		New: func() Object { return &Event{} }})
	register(KindInfo{Kind: "Secret", Version: "v1", Resource: "secrets", Namespaced: true,
		New: func() Object { return &Secret{} }})
	register(KindInfo{Kind: "PersistentVolume", Version: "v1", Resource: "persistentvolumes", ShortNames: []string{"pv"},
		New: func() Object { return &PersistentVolume{} }})
	register(KindInfo{Kind: "PersistentVolumeClaim", Version: "v1", Resource: "persistentvolumeclaims", ShortNames: []string{"pvc"}, Namespaced: true,
		New: func() Object { return &PersistentVolumeClaim{} }})
	register(KindInfo{Kind: "StorageClass", Group: "storage.k8s.io", Version: "v1", Resource: "storageclasses", ShortNames: []string{"sc"},
		New: func() Object { return &StorageClass{} }})
	register(KindInfo{Kind: "ConfigMap", Version: "v1", Resource: "configmaps", ShortNames: []string{"cm"}, Namespaced: true,
		New: func() Object { return &ConfigMap{} }})

	// Kinds tutorials apply that kubesim stores without modelling. Their scope
	// matters: it decides whether a namespace is defaulted.
	for _, k := range []KindInfo{
		{Kind: "ServiceAccount", Version: "v1", Resource: "serviceaccounts", ShortNames: []string{"sa"}, Namespaced: true},
		{Kind: "DaemonSet", Group: "apps", Version: "v1", Resource: "daemonsets", ShortNames: []string{"ds"}, Namespaced: true},
		{Kind: "LimitRange", Version: "v1", Resource: "limitranges", ShortNames: []string{"limits"}, Namespaced: true},
		{Kind: "ResourceQuota", Version: "v1", Resource: "resourcequotas", ShortNames: []string{"quota"}, Namespaced: true},
		{Kind: "Role", Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles", Namespaced: true},
		{Kind: "RoleBinding", Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings", Namespaced: true},
		{Kind: "ClusterRole", Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"},
		{Kind: "ClusterRoleBinding", Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterrolebindings"},
		{Kind: "PodDisruptionBudget", Group: "policy", Version: "v1", Resource: "poddisruptionbudgets", ShortNames: []string{"pdb"}, Namespaced: true},
		{Kind: "NetworkPolicy", Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies", ShortNames: []string{"netpol"}, Namespaced: true},
		{Kind: "Ingress", Group: "networking.k8s.io", Version: "v1", Resource: "ingresses", ShortNames: []string{"ing"}, Namespaced: true},
		{Kind: "PriorityClass", Group: "scheduling.k8s.io", Version: "v1", Resource: "priorityclasses", ShortNames: []string{"pc"}},
		{Kind: "CustomResourceDefinition", Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions", ShortNames: []string{"crd", "crds"}},
	} {
		register(k)
	}
}
