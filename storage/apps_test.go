package storage_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// deploymentObj is a valid apps/v1 Deployment.
func deploymentObj(ns, name string) *objects.Deployment {
	return &objects.Deployment{
		TypeMeta:   objects.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: objects.ObjectMeta{Namespace: ns, Name: name},
		Spec: objects.DeploymentSpec{Selector: &objects.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: objects.PodTemplateSpec{ObjectMeta: objects.ObjectMeta{Labels: map[string]string{"app": name}},
				Spec: objects.PodSpec{Containers: []objects.Container{{Name: "c", Image: "nginx:1.24"}}}}},
	}
}

func TestDeploymentAnnotationChangeBumpsGenerationOnlyThroughMainEndpoint(t *testing.T) {
	f := newFixture(t)
	d := f.mustCreate(t, deploymentObj("default", "web")).(*objects.Deployment)
	require.Equal(t, int64(1), d.Generation)

	d.Annotations = map[string]string{"deployment.kubernetes.io/revision": "1"}
	out, err := f.s.UpdateStatus(d)
	require.NoError(t, err)
	d = out.(*objects.Deployment)
	require.Equal(t, int64(1), d.Generation, "the controller's revision annotation goes through status")
	require.Equal(t, "1", d.Annotations["deployment.kubernetes.io/revision"])

	d.Annotations["team"] = "web"
	out, err = f.s.Update(d)
	require.NoError(t, err)
	require.Equal(t, int64(2), out.GetObjectMeta().Generation, "a user's annotation change bumps generation")
}
