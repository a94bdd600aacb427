package deployment_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/controllers/deployment"
	"github.com/kubesim/kubesim/objects"
)

func TestAdoptedAny(t *testing.T) {
	d := &objects.Deployment{ObjectMeta: objects.ObjectMeta{Name: "web-1"}}
	rs := func(name string) *objects.ReplicaSet {
		return &objects.ReplicaSet{ObjectMeta: objects.ObjectMeta{Name: name}}
	}
	assert.False(t, deployment.AdoptedAny(d, []*objects.ReplicaSet{rs("web-1-5d4f7c9b8")}))
	assert.True(t, deployment.AdoptedAny(d, []*objects.ReplicaSet{rs("web-1-5d4f7c9b8"), rs("web-12-58ff64959f")}), "another Deployment's")
	assert.True(t, deployment.AdoptedAny(d, []*objects.ReplicaSet{rs("web-1-x-5d4f7c9b8")}), "the web-1-x Deployment's")
	assert.True(t, deployment.AdoptedAny(d, []*objects.ReplicaSet{rs("rs-3")}), "a bare ReplicaSet")
}
