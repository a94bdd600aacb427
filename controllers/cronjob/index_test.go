package cronjob

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/objects"
)

// The Jobs-by-owner index follows each Job's controller reference through
// creation, re-ownership and deletion, and keeps each owner's Jobs in key
// order whatever order they come in.
func TestJobIndexFollowsControllerReferences(t *testing.T) {
	c := New(nil)
	yes := true
	job := func(name, owner string) *objects.Job {
		j := &objects.Job{TypeMeta: objects.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
			ObjectMeta: objects.ObjectMeta{Name: name, Namespace: "default"}}
		if owner != "" {
			j.OwnerReferences = []objects.OwnerReference{{APIVersion: "batch/v1", Kind: "CronJob", Name: owner, UID: owner, Controller: &yes}}
		}
		return j
	}
	key := func(name string) objects.Key { return objects.Key{Kind: "Job", Namespace: "default", Name: name} }
	for _, n := range []string{"hello-3", "hello-1", "hello-2"} {
		c.index(job(n, "a"), false)
	}
	c.index(job("other-1", "b"), false)
	c.index(job("hello-2", "a"), false) // a status change: indexed as it was
	assert.Equal(t, []objects.Key{key("hello-1"), key("hello-2"), key("hello-3")}, c.jobsByOwner["a"])

	c.index(job("hello-1", "b"), false) // adopted by another owner
	c.index(job("hello-3", ""), false)  // released
	assert.Equal(t, []objects.Key{key("hello-2")}, c.jobsByOwner["a"])
	assert.Equal(t, []objects.Key{key("hello-1"), key("other-1")}, c.jobsByOwner["b"])
	assert.NotContains(t, c.ownerOf, key("hello-3"))

	c.index(job("hello-2", "a"), true)
	assert.NotContains(t, c.jobsByOwner, "a", "an owner without Jobs is forgotten")
	assert.Len(t, c.ownerOf, 2)
}
