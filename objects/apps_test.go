package objects

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appsDeployment is a minimal valid Deployment manifest's object.
func appsDeployment() *Deployment {
	return &Deployment{
		TypeMeta:   TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: ObjectMeta{Namespace: "default", Name: "web"},
		Spec: DeploymentSpec{Selector: &LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: PodTemplateSpec{ObjectMeta: ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec: PodSpec{Containers: []Container{{Name: "nginx", Image: "nginx:1.24"}}}}},
	}
}

func TestDeploymentDefaults(t *testing.T) {
	d := appsDeployment()
	SchemeDefault(d)
	require.Equal(t, int32(1), *d.Spec.Replicas)
	require.Equal(t, RollingUpdateDeploymentStrategyType, d.Spec.Strategy.Type)
	require.Equal(t, "25%", d.Spec.Strategy.RollingUpdate.MaxSurge.String())
	require.Equal(t, "25%", d.Spec.Strategy.RollingUpdate.MaxUnavailable.String())
	require.Equal(t, int32(10), *d.Spec.RevisionHistoryLimit)
	require.Equal(t, int32(600), *d.Spec.ProgressDeadlineSeconds)
	require.Equal(t, RestartPolicyAlways, d.Spec.Template.Spec.RestartPolicy)

	r := appsDeployment()
	r.Spec.Strategy.Type = RecreateDeploymentStrategyType
	SchemeDefault(r)
	require.Nil(t, r.Spec.Strategy.RollingUpdate, "Recreate gets no rollingUpdate")
}

func TestDeploymentValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*Deployment)
		want   []string
	}{
		{"valid", func(*Deployment) {}, nil},
		{"no selector", func(d *Deployment) { d.Spec.Selector = nil }, []string{
			"spec.selector: Required value",
			"spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"}},
		{"mismatch", func(d *Deployment) { d.Spec.Selector.MatchLabels["app"] = "other" }, []string{
			"spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"}},
		{"both zero", func(d *Deployment) {
			zero := FromInt(0)
			d.Spec.Strategy.RollingUpdate = &RollingUpdateDeployment{MaxSurge: &zero, MaxUnavailable: &zero}
		}, []string{"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"}},
		{"restart never", func(d *Deployment) { d.Spec.Template.Spec.RestartPolicy = RestartPolicyNever }, []string{
			`spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`}},
		{"negative replicas", func(d *Deployment) { d.Spec.Replicas = ptrTo(int32(-1)) }, []string{
			"spec.replicas: Invalid value: -1: must be greater than or equal to 0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := appsDeployment()
			tc.mutate(d)
			SchemeDefault(d)
			var got []string
			for _, e := range ValidateCreate(d) {
				got = append(got, e.Error())
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestDeploymentSelectorIsImmutable(t *testing.T) {
	old := appsDeployment()
	SchemeDefault(old)
	d := old.DeepCopy()
	d.Spec.Selector.MatchLabels["tier"] = "front"
	d.Spec.Template.Labels["tier"] = "front"
	errs := ValidateUpdate(d, old)
	require.Len(t, errs, 1)
	require.Contains(t, errs[0].Error(), "spec.selector: Invalid value")
	require.Contains(t, errs[0].Error(), "field is immutable")
}

func TestAppsKindsRegistered(t *testing.T) {
	for _, name := range []string{"deploy", "deployments", "rs", "replicaset.apps"} {
		k, ok := LookupResource(name)
		require.True(t, ok, name)
		require.True(t, k.Modelled(), name)
	}
}

func TestEqualIgnoreHash(t *testing.T) {
	a := appsDeployment().Spec.Template
	b := *a.DeepCopy()
	b.Labels[DefaultDeploymentUniqueLabelKey] = "abc"
	require.True(t, EqualIgnoreHash(&a, &b))
	b.Spec.Containers[0].Image = "nginx:1.25"
	require.False(t, EqualIgnoreHash(&a, &b))
}

// The labels count as upstream's comparison counts them: the hash label
// on either side set aside, nil and empty alike, any other label or value
// a difference.
func TestEqualIgnoreHashLabels(t *testing.T) {
	h := DefaultDeploymentUniqueLabelKey
	for _, c := range []struct {
		a, b  map[string]string
		equal bool
	}{
		{nil, map[string]string{}, true},
		{nil, map[string]string{h: "abc"}, true},
		{map[string]string{h: "x"}, map[string]string{h: "y"}, true},
		{map[string]string{"app": "web", h: "x"}, map[string]string{"app": "web"}, true},
		{map[string]string{"app": "web"}, map[string]string{"app": "api"}, false},
		{map[string]string{"app": "web"}, map[string]string{"app": "web", "tier": "front"}, false},
		{map[string]string{"app": "web", "tier": "front"}, map[string]string{"app": "web", h: "x"}, false},
		{map[string]string{"app": "web", h: "x"}, map[string]string{"tier": "web", h: "x"}, false},
	} {
		a := appsDeployment().Spec.Template
		b := *a.DeepCopy()
		a.Labels, b.Labels = c.a, c.b
		assert.Equal(t, c.equal, EqualIgnoreHash(&a, &b), "%v against %v", c.a, c.b)
		assert.Equal(t, c.equal, EqualIgnoreHash(&b, &a), "%v against %v", c.b, c.a)
	}
}

// Templates whose containers differ in number, name or image are not
// equal, and the quick test that says so agrees with the full comparison.
func TestEqualIgnoreHashContainers(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(*PodSpec)
		equal  bool
	}{
		{"the same", func(*PodSpec) {}, true},
		{"another image", func(s *PodSpec) { s.Containers[0].Image = "nginx:1.26" }, false},
		{"another name", func(s *PodSpec) { s.Containers[0].Name = "other" }, false},
		{"one more container", func(s *PodSpec) { s.Containers = append(s.Containers, s.Containers[0]) }, false},
		{"no containers", func(s *PodSpec) { s.Containers = nil }, false},
		{"another command, same image", func(s *PodSpec) { s.Containers[0].Command = []string{"sleep", "1"} }, false},
	} {
		a := appsDeployment().Spec.Template
		b := *a.DeepCopy()
		c.change(&b.Spec)
		require.NotEmpty(t, a.Spec.Containers)
		assert.Equal(t, c.equal, EqualIgnoreHash(&a, &b), c.name)
		assert.Equal(t, c.equal, EqualIgnoreHash(&b, &a), c.name+", reversed")
		ca, cb := a, b
		ca.Labels, cb.Labels = nil, nil
		assert.Equal(t, c.equal, semanticDeepEqual(&ca, &cb), c.name+": as the full comparison has it")
	}
}
