package sh_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/internal/workload/proc"
)

// recyclerScrub is the command of upstream's PV recycler pod
// (pkg/volume/plugins.go NewPersistentVolumeRecyclerPodTemplate).
const recyclerScrub = `test -e /scrub && find /scrub -mindepth 1 -delete && test -z "$(ls -A /scrub)" || exit 1`

// scrubView is a container view with export mounted at /scrub, as the
// kubelet mounts an NFS volume: the export is a directory of another
// machine's filesystem.
func scrubView(t *testing.T, export *vfs.FS, readOnly bool) *vfs.View {
	t.Helper()
	img := images.Lookup("registry.k8s.io/build-image/debian-base:bookworm-v1.0.6")
	v := vfs.NewView(img.RootFS(testStart))
	require.NoError(t, v.Mount("/scrub", export, "/mnt/data", readOnly))
	return v
}

func scrubExport(t *testing.T) *vfs.FS {
	t.Helper()
	export := vfs.New()
	require.NoError(t, export.MkdirAll("/mnt/data/db/tables", 0o755, testStart))
	require.NoError(t, export.WriteFile("/mnt/data/db/tables/t1", []byte("rows"), 0o640, testStart))
	require.NoError(t, export.WriteFile("/mnt/data/.lock", nil, 0o600, testStart))
	require.NoError(t, export.WriteFile("/mnt/data/index.html", []byte("hi"), 0o644, testStart))
	return export
}

// TestScrubDeletesEverythingBelowTheMount runs the recycler's command on a
// mounted export and applies its writes to the server's filesystem, as the
// kubelet does: the server's directory is left empty but in place.
func TestScrubDeletesEverythingBelowTheMount(t *testing.T) {
	export := scrubExport(t)
	p := workload.Process{Argv: []string{"/bin/sh", "-c", recyclerScrub}, Hostname: "recycler-for-pv-0", Start: testStart,
		FS: scrubView(t, export, false), Image: images.Lookup("registry.k8s.io/build-image/debian-base:bookworm-v1.0.6")}
	res := workload.Run(p, time.Minute)
	require.True(t, res.Exited)
	assert.Equal(t, 0, res.ExitCode)
	assert.Empty(t, res.Output)

	view := scrubView(t, export, false)
	for _, w := range res.Writes {
		require.NoError(t, w.Apply(view, testStart), "%v %s", w.Op, w.Path)
	}
	entries, err := export.ReadDir("/mnt/data")
	require.NoError(t, err)
	assert.Empty(t, entries, "the export is empty")
	// Children go before their parents, as -delete implies -depth.
	var removed []string
	for _, w := range res.Writes {
		assert.Equal(t, proc.OpRemove, w.Op)
		removed = append(removed, w.Path)
	}
	assert.Equal(t, []string{"/scrub/.lock", "/scrub/db/tables/t1", "/scrub/db/tables", "/scrub/db", "/scrub/index.html"}, removed)
}

// TestScrubOfReadOnlyMountFails: GNU find reports each file it cannot
// delete and exits 1, so the scrub command exits 1.
func TestScrubOfReadOnlyMountFails(t *testing.T) {
	p := workload.Process{Argv: []string{"/bin/sh", "-c", recyclerScrub}, Hostname: "recycler-for-pv-0", Start: testStart,
		FS: scrubView(t, scrubExport(t), true), Image: images.Lookup("registry.k8s.io/build-image/debian-base:bookworm-v1.0.6")}
	res := workload.Run(p, time.Minute)
	require.True(t, res.Exited)
	assert.Equal(t, 1, res.ExitCode)
	assert.Equal(t, "find: cannot delete '/scrub/.lock': Read-only file system\n"+
		"find: cannot delete '/scrub/db/tables/t1': Read-only file system\n"+
		"find: cannot delete '/scrub/db/tables': Read-only file system\n"+
		"find: cannot delete '/scrub/db': Read-only file system\n"+
		"find: cannot delete '/scrub/index.html': Read-only file system\n", streamText(res.Output, proc.Stderr))
	assert.Empty(t, res.Writes)
}
