package controllers

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/objects"
)

// setMatches agrees with the selector objects.SelectorFromSet makes.
func TestSetMatchesAsASelectorFromTheSet(t *testing.T) {
	labels := map[string]string{"app": "web", "tier": "front"}
	for _, set := range []map[string]string{
		{}, {"app": "web"}, {"app": "web", "tier": "front"}, {"app": "db"}, {"zone": "a"}, {"app": ""},
	} {
		want := objects.SelectorFromSet(set).Matches(labels)
		assert.Equal(t, want, setMatches(set, labels), "%v", set)
	}
	assert.False(t, setMatches(map[string]string{"app": "web"}, nil))
}
