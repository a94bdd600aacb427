package controllers_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
)

func TestKeyBufferReusesItsRoom(t *testing.T) {
	var b controllers.KeyBuffer
	a, c := objects.Key{Kind: "Pod", Name: "a"}, objects.Key{Kind: "Pod", Name: "c"}
	assert.Equal(t, []objects.Key{a}, b.One(a))
	assert.Empty(t, b.Empty())

	grown := b.Keep(append(b.Empty(), a, c, a, c, a))
	assert.Equal(t, []objects.Key{a, c, a, c, a}, grown)
	again := b.One(c)
	assert.Equal(t, []objects.Key{c}, again)
	assert.Same(t, &grown[0], &again[0], "the grown room is kept for the next call")
	assert.Zero(t, testing.AllocsPerRun(100, func() { b.Keep(append(b.Empty(), a, c)) }))
}
