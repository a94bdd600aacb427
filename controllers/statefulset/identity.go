package statefulset

import (
	"regexp"
	"strconv"

	"github.com/kubesim/kubesim/objects"
)

// statefulPodRegex is upstream's statefulPodRegex: a parent name and an ordinal.
var statefulPodRegex = regexp.MustCompile("(.*)-([0-9]+)$")

// PodName is getPodName: "<set>-<ordinal>".
func PodName(set *objects.StatefulSet, ordinal int) string {
	return set.Name + "-" + strconv.Itoa(ordinal)
}

// ClaimName is getPersistentVolumeClaimName: "<template>-<set>-<ordinal>".
func ClaimName(set *objects.StatefulSet, template string, ordinal int) string {
	return template + "-" + PodName(set, ordinal)
}

// parentAndOrdinal is getParentNameAndOrdinal: the set name and ordinal a
// pod name encodes, or ordinal -1 when it encodes none.
func parentAndOrdinal(name string) (string, int) {
	m := statefulPodRegex.FindStringSubmatch(name)
	if m == nil {
		return "", -1
	}
	i, err := strconv.ParseInt(m[2], 10, 32)
	if err != nil {
		return "", -1
	}
	return m[1], int(i)
}

// OrdinalOf returns the ordinal of a pod of set, or -1 when the pod's name
// is not "<set>-<ordinal>" (isMemberOf).
func OrdinalOf(set *objects.StatefulSet, pod *objects.Pod) int {
	parent, ord := parentAndOrdinal(pod.Name)
	if parent != set.Name {
		return -1
	}
	return ord
}

// startOrdinal is getStartOrdinal: spec.ordinals.start, or 0.
func startOrdinal(set *objects.StatefulSet) int {
	if set.Spec.Ordinals != nil {
		return int(set.Spec.Ordinals.Start)
	}
	return 0
}

// replicasOf is spec.replicas, 1 when unset.
func replicasOf(set *objects.StatefulSet) int {
	if set.Spec.Replicas == nil {
		return objects.DefaultStatefulSetReplicas
	}
	return int(*set.Spec.Replicas)
}

// inRange reports whether ordinal is one of the set's replicas
// (start <= ordinal <= start+replicas-1).
func inRange(set *objects.StatefulSet, ordinal int) bool {
	start := startOrdinal(set)
	return ordinal >= start && ordinal < start+replicasOf(set)
}

// controllerRefTo returns the owner reference of the set's pods.
func controllerRefTo(set *objects.StatefulSet) objects.OwnerReference {
	yes := true
	return objects.OwnerReference{APIVersion: "apps/v1", Kind: "StatefulSet", Name: set.Name, UID: set.UID,
		Controller: &yes, BlockOwnerDeletion: &yes}
}

// newPod is newVersionedStatefulSetPod: the template's pod named for its
// ordinal (initIdentity), its claims mounted (updateStorage), labelled
// with revision, controlled by the set.
func newPod(set *objects.StatefulSet, template *objects.PodTemplateSpec, revision string, ordinal int) *objects.Pod {
	t := template.DeepCopy()
	name := PodName(set, ordinal)
	labels := t.Labels
	if labels == nil {
		labels = map[string]string{}
	}
	labels[objects.StatefulSetPodNameLabel] = name
	labels[objects.PodIndexLabel] = strconv.Itoa(ordinal)
	labels[objects.ControllerRevisionHashLabelKey] = revision
	pod := &objects.Pod{
		TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: objects.ObjectMeta{Name: name, Namespace: set.Namespace, Labels: labels,
			Annotations: t.Annotations, Finalizers: t.Finalizers,
			OwnerReferences: []objects.OwnerReference{controllerRefTo(set)}},
		Spec: t.Spec,
	}
	pod.Spec.Hostname = name
	pod.Spec.Subdomain = set.Spec.ServiceName
	pod.Spec.Volumes = claimVolumes(set, pod.Spec.Volumes, ordinal)
	return pod
}

// claimVolumes is updateStorage: the template's volumes with one volume
// per claim template, named as the template and bound to the ordinal's
// claim, replacing a template volume of the same name.
func claimVolumes(set *objects.StatefulSet, volumes []objects.Volume, ordinal int) []objects.Volume {
	if len(set.Spec.VolumeClaimTemplates) == 0 {
		return volumes
	}
	claimed := map[string]bool{}
	var out []objects.Volume
	for _, t := range set.Spec.VolumeClaimTemplates {
		claimed[t.Name] = true
		out = append(out, objects.Volume{Name: t.Name,
			PersistentVolumeClaim: &objects.PersistentVolumeClaimVolumeSource{ClaimName: ClaimName(set, t.Name, ordinal)}})
	}
	for _, v := range volumes {
		if !claimed[v.Name] {
			out = append(out, v)
		}
	}
	return out
}

// newClaims is getPersistentVolumeClaims: the ordinal's claims, one per
// template, labelled with the template's labels overlaid with the
// selector's matchLabels.
func newClaims(set *objects.StatefulSet, ordinal int) []*objects.PersistentVolumeClaim {
	var out []*objects.PersistentVolumeClaim
	for i := range set.Spec.VolumeClaimTemplates {
		t := &set.Spec.VolumeClaimTemplates[i]
		c := &objects.PersistentVolumeClaim{
			TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
			ObjectMeta: objects.ObjectMeta{Name: ClaimName(set, t.Name, ordinal), Namespace: set.Namespace,
				Labels: claimLabels(set, t), Annotations: copyMap(t.Annotations)},
			Spec: *t.Spec.DeepCopy(),
		}
		out = append(out, c)
	}
	return out
}

// claimLabels are a claim template's labels overlaid with the set's
// selector's matchLabels.
func claimLabels(set *objects.StatefulSet, t *objects.PersistentVolumeClaim) map[string]string {
	labels := copyMap(t.Labels)
	if set.Spec.Selector == nil || set.Spec.Selector.MatchLabels == nil {
		return labels
	}
	if labels == nil {
		labels = map[string]string{}
	}
	for k, v := range set.Spec.Selector.MatchLabels {
		labels[k] = v
	}
	return labels
}

// copyMap returns a copy of m, nil for nil.
func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
