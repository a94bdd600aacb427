package scheduler

import (
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/objects"
)

// podUpdated compares label and annotation maps by content, as
// reflect.DeepEqual did before it, nil differing from empty; a change of
// status, resourceVersion or finalizers alone is no update.
func TestPodUpdatedComparesMapsAsDeepEqual(t *testing.T) {
	base := &objects.Pod{ObjectMeta: objects.ObjectMeta{Name: "pi-abcde", Namespace: "default",
		ResourceVersion: "7", Labels: map[string]string{"job-name": "pi"},
		Annotations: map[string]string{"a": "1"}}}
	with := func(change func(p *objects.Pod)) *objects.Pod {
		p := base.DeepCopy()
		change(p)
		return p
	}
	cases := []struct {
		name    string
		cur     *objects.Pod
		updated bool
	}{
		{"same version", base, false},
		{"maps copied, same content", with(func(p *objects.Pod) {}), false},
		{"status, version and finalizers only", with(func(p *objects.Pod) {
			p.ResourceVersion, p.Finalizers = "8", []string{"batch.kubernetes.io/job-tracking"}
			p.Status.Phase = objects.PodPending
		}), false},
		{"a label added", with(func(p *objects.Pod) { p.Labels["x"] = "y" }), true},
		{"a label's value changed", with(func(p *objects.Pod) { p.Labels["job-name"] = "other" }), true},
		{"labels emptied but not nil", with(func(p *objects.Pod) { p.Labels = map[string]string{} }), true},
		{"annotations nil", with(func(p *objects.Pod) { p.Annotations = nil }), true},
		{"an annotation changed", with(func(p *objects.Pod) { p.Annotations = maps.Clone(p.Annotations); p.Annotations["a"] = "2" }), true},
		{"another field of metadata", with(func(p *objects.Pod) { p.GenerateName = "pi-" }), true},
		{"the spec", with(func(p *objects.Pod) { p.Spec.NodeName = "node1" }), true},
	}
	for _, c := range cases {
		assert.Equal(t, c.updated, podUpdated(base, c.cur), c.name)
		assert.Equal(t, c.updated, podUpdated(c.cur, base), c.name+", reversed")
	}
	empty := with(func(p *objects.Pod) { p.Labels = map[string]string{} })
	none := with(func(p *objects.Pod) { p.Labels = nil })
	assert.True(t, podUpdated(empty, none), "nil labels differ from empty ones, as for DeepEqual")
}
