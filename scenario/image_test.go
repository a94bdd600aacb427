package scenario

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/sim"
)

// `image add` registers an image; bad arguments stop the run with an error
// naming the line, and change nothing.
func TestImageAddCommand(t *testing.T) {
	r, err := NewRunner(sim.Config{}, ".")
	require.NoError(t, err)
	run := func(text string) error {
		_, err := r.Exec("f.txt", Command{Line: 7, Text: text})
		return err
	}
	require.NoError(t, run("image add myrepo/app:1.0 --size 50MB --like busybox"))
	require.NoError(t, run("image add myrepo/web:1.0 --like=nginx:1.25"))
	assert.NoError(t, r.Cluster().AddImage(sim.ImageConfig{Ref: "myrepo/app:2.0"}))

	bad := map[string]string{
		"image":                              "f.txt:7: usage: image add REF [--size SIZE] [--like IMAGE]",
		"image remove myrepo/app:1.0":        "f.txt:7: usage: image add REF [--size SIZE] [--like IMAGE]",
		"image add myrepo/x:1 --size":        "f.txt:7: image: --size needs a value",
		"image add myrepo/x:1 --size big":    `f.txt:7: image: --size: invalid size "big" (want bytes, or a number with kB, MB, GB, KiB, MiB or GiB)`,
		"image add myrepo/x:1 --size 0":      `f.txt:7: image: --size: invalid size "0" (want bytes, or a number with kB, MB, GB, KiB, MiB or GiB)`,
		"image add myrepo/x:1 --like nginxx": "f.txt:7: image add: image myrepo/x:1: cannot be like nginxx: no such image",
		"image add myrepo/app:1.0":           "f.txt:7: image add: image myrepo/app:1.0 already exists",
		"image add myrepo/x:1 --tag 2":       `f.txt:7: image: unknown flag "--tag" (usage: image add REF [--size SIZE] [--like IMAGE])`,
		"image add Bad/Name":                 `f.txt:7: image add: couldn't parse image name "Bad/Name": invalid reference format: repository name (Name) must be lowercase`,
	}
	for text, want := range bad {
		err := run(text)
		var ce *CommandError
		require.True(t, errors.As(err, &ce), text)
		assert.EqualError(t, err, want, text)
	}
	assert.NoError(t, r.Cluster().AddImage(sim.ImageConfig{Ref: "myrepo/x:1"}), "no failed command added it")
}

func TestParseSize(t *testing.T) {
	cases := map[string]int64{"4300000": 4_300_000, "50MB": 50_000_000, "1.5GB": 1_500_000_000,
		"187MiB": 187 << 20, "2GiB": 2 << 30, "300kB": 300_000, "512B": 512}
	for s, want := range cases {
		got, err := parseSize(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", "MB", "-5MB", "5TB", "1e30"} {
		_, err := parseSize(s)
		assert.Error(t, err, s)
	}
}
