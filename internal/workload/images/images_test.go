package images

import (
	"io/fs"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookupImage(t *testing.T) {
	cases := []struct {
		ref, name, tag string
		server         ServerKind
		argv           []string
	}{
		{"nginx", "nginx", "latest", Nginx, []string{"/docker-entrypoint.sh", "nginx", "-g", "daemon off;"}},
		{"nginx:1.14.2", "nginx", "1.14.2", Nginx, []string{"nginx", "-g", "daemon off;"}},
		{"docker.io/library/nginx:1.25-alpine", "nginx", "1.25-alpine", Nginx, []string{"/docker-entrypoint.sh", "nginx", "-g", "daemon off;"}},
		{"mysql:5.6", "mysql", "5.6", MySQL, []string{"docker-entrypoint.sh", "mysqld"}},
		{"busybox", "busybox", "latest", NoServer, []string{"sh"}},
		{"daocloud.io/library/busybox", "busybox", "latest", NoServer, []string{"sh"}},
		{"ubuntu:22.04", "ubuntu", "22.04", NoServer, []string{"/bin/bash"}},
		{"resouer/ubuntu-bc", "resouer/ubuntu-bc", "latest", NoServer, []string{"/bin/bash"}},
		{"localhost:5000/team/app@sha256:abc", "team/app", "sha256:abc", NoServer, []string{"sh"}},
	}
	for _, tc := range cases {
		img := Lookup(tc.ref)
		assert.Equal(t, tc.ref, img.Ref)
		assert.Equal(t, tc.name, img.Name, tc.ref)
		assert.Equal(t, tc.tag, img.Tag, tc.ref)
		assert.Equal(t, tc.server, img.Server, tc.ref)
		assert.Equal(t, tc.argv, ResolveArgv(img, nil, nil), tc.ref)
		assert.Positive(t, img.SizeBytes)
	}
	assert.Less(t, Lookup("busybox").SizeBytes, Lookup("nginx").SizeBytes)
	assert.Equal(t, "nginx", Nginx.String())
	assert.Equal(t, "none", NoServer.String())
}

func TestResolveArgv(t *testing.T) {
	img := Image{Entrypoint: []string{"/ep.sh"}, Cmd: []string{"serve", "--port=80"}}
	cases := []struct {
		command, args, want []string
	}{
		{nil, nil, []string{"/ep.sh", "serve", "--port=80"}},
		{nil, []string{"other"}, []string{"/ep.sh", "other"}},
		{[]string{"sh", "-c"}, nil, []string{"sh", "-c"}},
		{[]string{"sh", "-c"}, []string{"echo hi"}, []string{"sh", "-c", "echo hi"}},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, ResolveArgv(img, tc.command, tc.args))
	}
	got := ResolveArgv(img, nil, nil)
	got[0] = "changed"
	assert.Equal(t, "/ep.sh", img.Entrypoint[0], "the image is not aliased")
}

func TestRootFS(t *testing.T) {
	f := Lookup("nginx").RootFS(testStart)
	data, err := f.ReadFile("/usr/share/nginx/html/index.html")
	require.NoError(t, err)
	assert.Contains(t, string(data), "Welcome to nginx!")
	assert.True(t, f.Readable("/usr/share/nginx/html/index.html"))
	info, err := f.Stat("/tmp")
	require.NoError(t, err)
	assert.Equal(t, fs.ModeDir|fs.ModeSticky|0o777, info.Mode)
	assert.Equal(t, testStart, info.ModTime)
	again := Lookup("nginx").RootFS(testStart)
	_, err = again.Stat("/") // a deferred FS is built on first use
	require.NoError(t, err)
	assert.Equal(t, again, f, "deterministic")
}

var testStart = time.Date(2023, 12, 22, 0, 1, 0, 0, time.UTC)

func TestMysqlPasswordHash(t *testing.T) {
	// MySQL's documented example: PASSWORD('mypass').
	assert.Equal(t, "*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4", mysqlPasswordHash("mypass"))
	assert.Equal(t, "", mysqlPasswordHash(""))
}
