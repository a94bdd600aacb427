package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/sim"
)

// Config.Images adds images the registries serve; a pod naming one pulls
// it in a time set by its size and runs like the image it resembles.
func TestConfigImagesArePulledAndRunLikeTheirModel(t *testing.T) {
	c, err := sim.New(sim.Config{Images: []sim.ImageConfig{{Ref: "myrepo/calc:1.0", SizeBytes: 90_000_000}}})
	require.NoError(t, err)
	_, err = c.Apply([]byte(`apiVersion: v1
kind: Pod
metadata: {name: calc}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: myrepo/calc:1.0
    command: ["sh", "-c", "echo 42"]
`))
	require.NoError(t, err)
	start := c.Now()
	require.True(t, c.RunUntil(phaseIs("calc", "Succeeded"), time.Minute))
	// sandbox 1s, registry 1s, 90 MB at 30 MB/s 3s
	assert.Equal(t, 5*time.Second, c.Now().Sub(start))
	logs, err := c.Logs("default", "calc", "", false)
	require.NoError(t, err)
	assert.Equal(t, []string{"42"}, logs)
}

// A pod naming an image nobody serves stays Pending with ErrImagePull,
// then ImagePullBackOff.
func TestUnknownImageStaysPending(t *testing.T) {
	c := newCluster(t)
	_, err := c.Apply([]byte(podManifest("calc", "Never", "echo 42")))
	require.NoError(t, err)
	_, err = c.Apply([]byte(`apiVersion: v1
kind: Pod
metadata: {name: typo}
spec:
  containers:
  - name: main
    image: busybx:1.36
`))
	require.NoError(t, err)
	c.Advance(5 * time.Second)
	pod := getPod(t, c, "typo")
	assert.Equal(t, "Pending", pod.Status.Phase)
	assert.Equal(t, "ErrImagePull", pod.Status.ContainerStatuses[0].State.Waiting.Reason)
	c.Advance(10 * time.Second)
	pod = getPod(t, c, "typo")
	assert.Equal(t, "ImagePullBackOff", pod.Status.ContainerStatuses[0].State.Waiting.Reason)
	assert.Equal(t, "Succeeded", getPod(t, c, "calc").Status.Phase, "busybox:1.36 exists")
}

// Bad images in the config are refused with the entry named; AddImage
// refuses the same way and adds nothing.
func TestConfigImagesValidated(t *testing.T) {
	cases := map[string]sim.ImageConfig{
		"sim: images[0]: image nginx:1.25 already exists":                                                                       {Ref: "nginx:1.25"},
		"sim: images[0]: image myrepo/app:1: cannot be like nginxx: no such image":                                              {Ref: "myrepo/app:1", Like: "nginxx"},
		"sim: images[0]: image myrepo/app:1: size -5 is negative":                                                               {Ref: "myrepo/app:1", SizeBytes: -5},
		`sim: images[0]: couldn't parse image name "My/App": invalid reference format: repository name (App) must be lowercase`: {Ref: "My/App"},
	}
	for want, img := range cases {
		_, err := sim.New(sim.Config{Images: []sim.ImageConfig{img}})
		assert.EqualError(t, err, want)
	}
	_, err := sim.New(sim.Config{Images: []sim.ImageConfig{{Ref: "a/b:1"}, {Ref: "a/b:1"}}})
	assert.EqualError(t, err, "sim: images[1]: image a/b:1 already exists")

	c := newCluster(t)
	assert.EqualError(t, c.AddImage(sim.ImageConfig{Ref: "a/b:1", Like: "nope"}), "image a/b:1: cannot be like nope: no such image")
	assert.NoError(t, c.AddImage(sim.ImageConfig{Ref: "a/b:1"}))
}
