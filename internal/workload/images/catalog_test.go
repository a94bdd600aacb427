package images

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// containerd's normal form: Docker Hub and "library" filled in, "latest"
// when there is neither tag nor digest.
func TestParseReference(t *testing.T) {
	cases := map[string]string{
		"nginx":                        "docker.io/library/nginx:latest",
		"nginx:1.25":                   "docker.io/library/nginx:1.25",
		"myrepo/app:1.0":               "docker.io/myrepo/app:1.0",
		"index.docker.io/busybox":      "docker.io/library/busybox:latest",
		"daocloud.io/library/busybox":  "daocloud.io/library/busybox:latest",
		"localhost:5000/team/app":      "localhost:5000/team/app:latest",
		"quay.io/a/b:v1-x":             "quay.io/a/b:v1-x",
		"nginx@sha256:" + hex64:        "docker.io/library/nginx@sha256:" + hex64,
		"nginx:1.25@sha256:" + hex64:   "docker.io/library/nginx:1.25@sha256:" + hex64,
		"MyRegistry/app":               "MyRegistry/app:latest", // capitals make it a registry
		"registry.k8s.io/pause:3.9":    "registry.k8s.io/pause:3.9",
		"nginx:LATEST":                 "docker.io/library/nginx:LATEST",
		"my-repo/my_app__x.y:1.0-rc.1": "docker.io/my-repo/my_app__x.y:1.0-rc.1",
	}
	for ref, want := range cases {
		r, err := ParseReference(ref)
		require.NoError(t, err, ref)
		assert.Equal(t, want, r.String(), ref)
	}
	bad := map[string]string{
		"Nginx":          `couldn't parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase`,
		"myrepo/App:1":   `couldn't parse image name "myrepo/App:1": invalid reference format: repository name (myrepo/App) must be lowercase`,
		"nginx:1.25:x":   `couldn't parse image name "nginx:1.25:x": invalid reference format`,
		"nginx@sha256:z": `couldn't parse image name "nginx@sha256:z": invalid reference format`,
		"":               `couldn't parse image name "": invalid reference format`,
		"a//b":           `couldn't parse image name "a//b": invalid reference format`,
		"nginx:-x":       `couldn't parse image name "nginx:-x": invalid reference format`,
	}
	for ref, want := range bad {
		_, err := ParseReference(ref)
		assert.EqualError(t, err, want, ref)
	}
}

const hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// Which images exist: the built-in repositories' tags, their mirrors and
// digests; a missing tag of a known repository is not found; an unknown
// Docker Hub repository is refused; other registries answer not found.
func TestCatalogResolve(t *testing.T) {
	var c *Catalog // the built-in images only
	for _, ref := range []string{
		"nginx", "nginx:latest", "nginx:1.25", "nginx:1.25.3", "nginx:1.14.2", "nginx:1", "nginx:1.25-alpine",
		"nginx:1.25.3-alpine3.18", "nginx:stable-alpine", "nginx:alpine-slim", "docker.io/library/nginx:1.24",
		"daocloud.io/library/nginx", "busybox", "busybox:1.36", "busybox:1.24", "busybox:1.36.1-musl",
		"daocloud.io/library/busybox", "mysql:5.7", "mysql:8", "daocloud.io/library/mysql:5.7", "ubuntu:22.04",
		"ubuntu:jammy", "debian:bookworm-slim", "debian:12", "debian:12.5", "alpine:3.19", "perl:5.34.0",
		"perl", "perl:5.36", "centos:7", "resouer/ubuntu-bc", "quay.io/external_storage/nfs-client-provisioner:latest",
		"registry.k8s.io/sig-storage/nfs-subdir-external-provisioner:v4.0.2",
		"k8s.gcr.io/sig-storage/nfs-subdir-external-provisioner:v4.0.2", "registry.k8s.io/pause:3.9",
		"nginx@sha256:" + hex64,
	} {
		assert.NoError(t, c.Resolve(ref), ref)
	}
	notFound := map[string]string{
		"nginx:99.99":            "docker.io/library/nginx:99.99: not found",
		"nginx:1.25.6":           "docker.io/library/nginx:1.25.6: not found",
		"nginx:latestt":          "docker.io/library/nginx:latestt: not found",
		"nginx:1.25-arm":         "docker.io/library/nginx:1.25-arm: not found",
		"busybox:2":              "docker.io/library/busybox:2: not found",
		"ubuntu:22":              "docker.io/library/ubuntu:22: not found",
		"nginx:1.025":            "docker.io/library/nginx:1.025: not found",
		"resouer/ubuntu-bc:v2":   "docker.io/resouer/ubuntu-bc:v2: not found",
		"quay.io/someone/app":    "quay.io/someone/app:latest: not found",
		"registry.example.com/x": "registry.example.com/x:latest: not found",
		"daocloud.io/busybox":    "daocloud.io/busybox:latest: not found", // a mirror is not Docker Hub
	}
	for ref, want := range notFound {
		err := c.Resolve(ref)
		var pe *PullError
		require.True(t, errors.As(err, &pe), ref)
		assert.Equal(t, TagNotFound, pe.Kind, ref)
		assert.EqualError(t, err, want, ref)
	}
	for _, ref := range []string{"nginxx:latestt", "myrepo/app:1.0", "docker.io/team/app"} {
		err := c.Resolve(ref)
		var pe *PullError
		require.True(t, errors.As(err, &pe), ref)
		assert.Equal(t, AccessDenied, pe.Kind, ref)
		assert.EqualError(t, err, "pull access denied, repository does not exist or may require authorization: "+
			"server message: insufficient_scope: authorization failed", ref)
	}
	assert.EqualError(t, c.Resolve("Nginx"),
		`couldn't parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase`)
}

// Every release line of the table reads as a version.
func TestBuiltinRepositoriesAreWellFormed(t *testing.T) {
	for name, repo := range builtinRepositories {
		_, err := ParseReference(name)
		assert.NoError(t, err, name)
		for _, line := range repo.lines {
			_, ok := parseVersion(line)
			assert.True(t, ok, "%s: %s", name, line)
		}
		assert.NotEmpty(t, append(repo.lines, repo.named...), name)
	}
}

// Added images exist (under any spelling of the reference), run like their
// model with their own name and size, and make their repository known.
func TestCatalogAdd(t *testing.T) {
	c := NewCatalog()
	require.NoError(t, c.Add("myrepo/app:1.0", 50_000_000, ""))
	require.NoError(t, c.Add("registry.example.com/team/web", 0, "nginx:1.25"))
	assert.NoError(t, c.Resolve("docker.io/myrepo/app:1.0"))
	assert.NoError(t, c.Resolve("registry.example.com/team/web:latest"))
	assert.EqualError(t, c.Resolve("myrepo/app:2.0"), "docker.io/myrepo/app:2.0: not found")

	app := c.Lookup("docker.io/myrepo/app:1.0")
	assert.Equal(t, "docker.io/myrepo/app:1.0", app.Ref)
	assert.Equal(t, "myrepo/app", app.Name)
	assert.Equal(t, "1.0", app.Tag)
	assert.Equal(t, int64(50_000_000), app.SizeBytes)
	assert.Equal(t, Lookup("busybox").Cmd, app.Cmd)
	web := c.Lookup("registry.example.com/team/web")
	assert.Equal(t, Nginx, web.Server)
	assert.Equal(t, Lookup("nginx:1.25").SizeBytes, web.SizeBytes)
	assert.Equal(t, Lookup("nginx:1.25").Env, web.Env)

	// Like an added image: its model, not a busybox.
	require.NoError(t, c.Add("registry.example.com/team/web:2.0", 0, "registry.example.com/team/web"))
	assert.Equal(t, Nginx, c.Lookup("registry.example.com/team/web:2.0").Server)

	assert.EqualError(t, c.Add("nginx:1.25", 0, ""), "image nginx:1.25 already exists")
	assert.EqualError(t, c.Add("myrepo/app:1.0", 0, ""), "image myrepo/app:1.0 already exists")
	assert.EqualError(t, c.Add("myrepo/app:3.0", 0, "nginxx"), "image myrepo/app:3.0: cannot be like nginxx: no such image")
	assert.EqualError(t, c.Add("myrepo/app:3.0", -1, ""), "image myrepo/app:3.0: size -1 is negative")
	assert.EqualError(t, c.Add("MyRepo/App", 0, ""),
		`couldn't parse image name "MyRepo/App": invalid reference format: repository name (App) must be lowercase`)
	assert.Error(t, (*Catalog)(nil).Add("x", 0, ""))
	assert.Error(t, c.Resolve("myrepo/app:3.0"), "a failed Add adds nothing")

	// Other catalogues are not affected.
	assert.Error(t, NewCatalog().Resolve("myrepo/app:1.0"))
}
