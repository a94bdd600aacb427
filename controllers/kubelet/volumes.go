package kubelet

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// This file mounts the volumes whose storage lives outside the node: nfs
// volumes and claims bound to NFS or hostPath PersistentVolumes. Where they
// live is the cluster's business, asked through Config.Volumes.

// VolumeMount is where a pod volume's files live.
type VolumeMount struct {
	// FS is the filesystem holding the volume, Dir the directory of it the
	// volume is.
	FS  *vfs.FS
	Dir string
	// SpecName names the volume in mount errors: the PersistentVolume for a
	// claim, the pod volume otherwise.
	SpecName string
	ReadOnly bool
}

// VolumeResolver finds the storage behind a pod's nfs and
// persistentVolumeClaim volumes.
type VolumeResolver interface {
	// ResolveVolume returns the mount of volume v of pod, reading claims
	// and volumes from r; handled is false for sources it does not
	// resolve. A non-nil error is the mount's failure, worded as the volume
	// plugin's, with VolumeMount.SpecName set.
	ResolveVolume(r storage.Reader, pod *objects.Pod, v objects.Volume, now time.Time) (m VolumeMount, handled bool, err error)
}

// mountExternalVolumes mounts the pod's nfs and claim volumes through the
// resolver, reporting a failure as a FailedMount event retried with back-off.
func (pr *podRun) mountExternalVolumes(now time.Time, res *controllers.Result) bool {
	resolver := pr.k.cfg.Volumes
	if resolver == nil {
		return true
	}
	for _, v := range pr.pod.Spec.Volumes {
		if _, done := pr.volumes[v.Name]; done {
			continue
		}
		m, handled, err := resolver.ResolveVolume(pr.r, pr.pod, v, now)
		if !handled {
			continue
		}
		if err != nil {
			res.Events = append(res.Events, controllers.Warning(pr.pod, ReasonFailedMount,
				fmt.Sprintf("MountVolume.SetUp failed for volume %q : %v", m.SpecName, err)))
			pr.mountBackoff = nextMountBackoff(pr.mountBackoff)
			pr.sandboxAt = now.Add(pr.mountBackoff)
			return false
		}
		pr.volumes[v.Name] = m.FS
		pr.volumeDirs[v.Name] = m.Dir
		pr.readOnlyVolumes[v.Name] = m.ReadOnly
	}
	return true
}
