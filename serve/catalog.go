package serve

import (
	"sort"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// resource is one REST resource of one group version, as discovery lists
// it: a kind the cluster stores, under the version this entry serves.
type resource struct {
	info    objects.KindInfo
	version string // the version served at this path ("v1beta1" for batch/v1beta1 cronjobs)
	status  bool   // has a status subresource
	scale   bool   // has a scale subresource
	pod     bool   // has log, exec, attach, binding, eviction
	// custom marks a custom resource, defined by a stored CRD.
	custom bool
	// createOnly marks a resource that is only created, answered without
	// storing it: the reviews and bindings (see reviews.go).
	createOnly bool
	// components marks componentstatuses (see componentstatus.go).
	components bool
	// eventsV1 marks events.k8s.io/v1 Events, core Events under other
	// field names (see eventsv1.go).
	eventsV1   bool
	categories []string
}

// groupVersion returns "group/version", or "version" for the core group.
func (r *resource) groupVersion() string { return joinGV(r.info.Group, r.version) }

// apiVersion is the apiVersion objects of this resource carry when read
// through it.
func (r *resource) apiVersion() string { return r.groupVersion() }

func joinGV(group, version string) string {
	if group == "" {
		return version
	}
	return group + "/" + version
}

// groupInfo is one API group and the versions it serves, preferred first.
type groupInfo struct {
	name     string
	versions []string
}

// catalog is what the API serves right now: the built-in kinds and the
// custom resources of the stored CustomResourceDefinitions.
type catalog struct {
	groups []groupInfo
	// byGV maps "group/version" to its resources, ordered by name.
	byGV map[string][]*resource
}

// lookup finds a resource by group, version and plural name.
func (c *catalog) lookup(group, version, plural string) *resource {
	for _, r := range c.byGV[joinGV(group, version)] {
		if r.info.Resource == plural {
			return r
		}
	}
	return nil
}

// servesGV reports whether the group version exists.
func (c *catalog) servesGV(group, version string) bool {
	_, ok := c.byGV[joinGV(group, version)]
	return ok
}

// Kinds with subresources of their own, and the categories kubectl get all
// expands (upstream registers "all" for these in their REST storages).
var (
	scaleKinds    = map[string]bool{"Deployment": true, "ReplicaSet": true, "StatefulSet": true, "ReplicationController": true}
	allCategories = map[string]bool{"Pod": true, "Service": true, "Deployment": true, "ReplicaSet": true,
		"StatefulSet": true, "DaemonSet": true, "Job": true, "CronJob": true, "ReplicationController": true,
		"HorizontalPodAutoscaler": true}
	// statusKinds are the kinds upstream serves with a status subresource
	// that kubesim keeps unstructured (the typed ones say so themselves).
	statusKinds = map[string]bool{"ReplicationController": true, "ResourceQuota": true, "DaemonSet": true,
		"HorizontalPodAutoscaler": true, "PodDisruptionBudget": true, "Ingress": true,
		"CustomResourceDefinition": true, "CertificateSigningRequest": true, "APIService": true}
)

// groupOrder is the order upstream's /apis lists its groups in (the
// aggregator's priorities); kubectl prefers a resource name's first match
// in this order. Custom groups follow, by name.
var groupOrder = []string{"", "apiregistration.k8s.io", "apps", "events.k8s.io", "authentication.k8s.io",
	"authorization.k8s.io", "autoscaling", "batch", "certificates.k8s.io", "networking.k8s.io", "policy",
	"rbac.authorization.k8s.io", "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io",
	"scheduling.k8s.io", "coordination.k8s.io", "node.k8s.io", "discovery.k8s.io", "flowcontrol.apiserver.k8s.io",
	"resource.k8s.io", "storagemigration.k8s.io"}

// catalog builds the catalog from the built-in kinds and the stored
// CustomResourceDefinitions. The caller holds the lock.
func (s *Server) catalog() *catalog {
	return buildCatalog(s.c.Store())
}

func buildCatalog(r storage.Reader) *catalog {
	cat := &catalog{byGV: map[string][]*resource{}}
	versions := map[string][]string{}
	addVersion := func(group, version string) {
		for _, v := range versions[group] {
			if v == version {
				return
			}
		}
		versions[group] = append(versions[group], version)
	}
	for _, k := range objects.Kinds() {
		if !objects.ServesVersion(k.Kind, k.APIVersion()) {
			continue // registered for decoding only
		}
		for _, v := range append([]string{k.Version}, k.OtherVersions...) {
			addVersion(k.Group, v)
			res := builtinResource(k, v)
			cat.byGV[joinGV(k.Group, v)] = append(cat.byGV[joinGV(k.Group, v)], res)
		}
	}
	addCreateOnly(cat, addVersion)
	addComponentStatuses(cat)
	addEventsV1(cat, addVersion)
	for _, crd := range customResources(r) {
		for _, v := range crd.versions {
			addVersion(crd.info.Group, v)
			res := &resource{info: crd.info, version: v, custom: true, status: crd.status[v], scale: false}
			gv := joinGV(crd.info.Group, v)
			if existing := lookupIn(cat.byGV[gv], crd.info.Resource); existing == nil {
				cat.byGV[gv] = append(cat.byGV[gv], res)
			}
		}
	}
	for gv := range cat.byGV {
		list := cat.byGV[gv]
		sort.Slice(list, func(i, j int) bool { return list[i].info.Resource < list[j].info.Resource })
	}
	for _, g := range orderedGroups(versions) {
		cat.groups = append(cat.groups, groupInfo{name: g, versions: versions[g]})
	}
	return cat
}

func lookupIn(list []*resource, plural string) *resource {
	for _, r := range list {
		if r.info.Resource == plural {
			return r
		}
	}
	return nil
}

// builtinResource describes a built-in kind served under version.
func builtinResource(k objects.KindInfo, version string) *resource {
	res := &resource{info: k, version: version, scale: scaleKinds[k.Kind], pod: k.Kind == "Pod"}
	if obj, ok := objects.NewObject(k.Kind); ok {
		res.status = storage.HasStatusSubresource(obj)
	} else {
		res.status = statusKinds[k.Kind]
	}
	if allCategories[k.Kind] {
		res.categories = []string{"all"}
	}
	return res
}

// orderedGroups lists the groups: upstream's order first, then the others
// (custom resources' groups) by name.
func orderedGroups(versions map[string][]string) []string {
	var out []string
	known := map[string]bool{}
	for _, g := range groupOrder {
		known[g] = true
		if _, ok := versions[g]; ok {
			out = append(out, g)
		}
	}
	var rest []string
	for g := range versions {
		if !known[g] {
			rest = append(rest, g)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// customResource is what a stored CustomResourceDefinition defines.
type customResource struct {
	info     objects.KindInfo
	versions []string
	status   map[string]bool
}

// customResources reads the stored CustomResourceDefinitions: group,
// names, served versions and their status subresources. Custom resources
// are always namespaced in kubesim's store, whatever the definition's
// scope (see README).
func customResources(r storage.Reader) []customResource {
	var out []customResource
	for _, o := range r.List("CustomResourceDefinition", "", nil) {
		u, ok := o.(*objects.Unstructured)
		if !ok {
			continue
		}
		spec, _ := u.Content["spec"].(map[string]any)
		group, _ := spec["group"].(string)
		names, _ := spec["names"].(map[string]any)
		kind, _ := names["kind"].(string)
		plural, _ := names["plural"].(string)
		singular, _ := names["singular"].(string)
		if group == "" || kind == "" || plural == "" {
			continue
		}
		if singular == "" {
			singular = strings.ToLower(kind)
		}
		cr := customResource{info: objects.KindInfo{Kind: kind, Group: group, Resource: plural,
			Singular: singular, ShortNames: stringList(names["shortNames"]), Namespaced: true},
			status: map[string]bool{}}
		list, _ := spec["versions"].([]any)
		for _, item := range list {
			v, _ := item.(map[string]any)
			name, _ := v["name"].(string)
			if served, _ := v["served"].(bool); !served || name == "" {
				continue
			}
			cr.versions = append(cr.versions, name)
			if sub, _ := v["subresources"].(map[string]any); sub != nil {
				_, cr.status[name] = sub["status"]
			}
			if storageVersion, _ := v["storage"].(bool); storageVersion || cr.info.Version == "" {
				cr.info.Version = name
			}
		}
		if len(cr.versions) > 0 {
			out = append(out, cr)
		}
	}
	return out
}

// stringList reads a JSON list of strings, skipping other values.
func stringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, item := range list {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
