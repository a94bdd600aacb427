package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/kubesim/kubesim/controllers/kubelet"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// The NFS model. The cluster's machines are its NFS servers: a machine
// serves, at its InternalIP, the directories of its own filesystem (the
// one `host <machine> -- ...` works on). A directory is exported when it
// exists; /etc/exports is not read, so the tutorial's `vim /etc/exports`
// and `exportfs -r` need no counterpart, and every client may write
// (no_root_squash). A server address no machine has times out.

// nfsMountStatus is mount(8)'s exit status for a failed NFS mount.
const nfsMountStatus = 32

// errNFS is the kind of every NFS mount failure.
var errNFS = errors.New("mount failed")

// volumes resolves pod volumes and NFS exports against the cluster's machines.
type volumes struct{ c *Cluster }

// Export returns the filesystem of the machine at server if it has dir.
func (v volumes) Export(server, dir string) (*vfs.FS, error) {
	fsys := v.machineAt(server)
	if fsys == nil {
		return nil, fmt.Errorf("mount.nfs: Connection timed out")
	}
	if info, err := fsys.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("mount.nfs: access denied by server while mounting %s:%s", server, dir)
	}
	return fsys, nil
}

// machineAt returns the filesystem of the machine whose InternalIP is ip.
func (v volumes) machineAt(ip string) *vfs.FS {
	_, fs := v.c.machineAt(ip)
	return fs
}

// ResolveVolume mounts nfs and hostPath volumes and claims bound to NFS or
// hostPath volumes, as the kubelet's nfs and host_path plugins do.
func (v volumes) ResolveVolume(r storage.Reader, pod *objects.Pod, vol objects.Volume, now time.Time) (kubelet.VolumeMount, bool, error) {
	switch {
	case vol.HostPath != nil:
		m, err := v.mountHostPath(pod, vol.Name, vol.HostPath.Path, now)
		return m, true, err
	case vol.NFS != nil:
		m, err := v.mountNFS(pod, vol.Name, vol.NFS)
		m.ReadOnly = m.ReadOnly || vol.NFS.ReadOnly
		return m, true, err
	case vol.PersistentVolumeClaim != nil:
		m, err := v.mountClaim(r, pod, vol, now)
		m.ReadOnly = m.ReadOnly || vol.PersistentVolumeClaim.ReadOnly
		return m, true, err
	}
	return kubelet.VolumeMount{}, false, nil
}

// mountClaim mounts the volume bound to a pod's claim.
func (v volumes) mountClaim(r storage.Reader, pod *objects.Pod, vol objects.Volume, now time.Time) (kubelet.VolumeMount, error) {
	name := vol.PersistentVolumeClaim.ClaimName
	m := kubelet.VolumeMount{SpecName: vol.Name}
	o, err := r.Get(objects.Key{Kind: "PersistentVolumeClaim", Namespace: pod.Namespace, Name: name})
	if err != nil {
		return m, fmt.Errorf("persistentvolumeclaim %q not found", name)
	}
	c := o.(*objects.PersistentVolumeClaim)
	if c.Spec.VolumeName == "" || c.Status.Phase != objects.ClaimBound {
		return m, fmt.Errorf("PVC %s/%s has non-bound phase (%q) or empty pvc.Spec.VolumeName (%q)",
			c.Namespace, c.Name, c.Status.Phase, c.Spec.VolumeName)
	}
	o, err = r.Get(objects.Key{Kind: "PersistentVolume", Name: c.Spec.VolumeName})
	if err != nil {
		return m, fmt.Errorf("persistentvolume %q not found", c.Spec.VolumeName)
	}
	pv := o.(*objects.PersistentVolume)
	switch {
	case pv.Spec.NFS != nil:
		return v.mountNFS(pod, pv.Name, pv.Spec.NFS)
	case pv.Spec.HostPath != nil:
		return v.mountHostPath(pod, pv.Name, pv.Spec.HostPath.Path, now)
	}
	return kubelet.VolumeMount{SpecName: pv.Name}, nil
}

// mountNFS mounts server:path, failing as mount(8) does.
func (v volumes) mountNFS(pod *objects.Pod, specName string, src *objects.NFSVolumeSource) (kubelet.VolumeMount, error) {
	m := kubelet.VolumeMount{SpecName: specName, Dir: src.Path}
	fsys, err := v.Export(src.Server, src.Path)
	if err != nil {
		return m, fmt.Errorf("%w: exit status %d\nMounting command: mount\nMounting arguments: -t nfs %s:%s /var/lib/kubelet/pods/%s/volumes/kubernetes.io~nfs/%s\nOutput: %v",
			errNFS, nfsMountStatus, src.Server, src.Path, pod.UID, specName, err)
	}
	m.FS = fsys
	return m, nil
}

// mountHostPath mounts a directory of the pod's node, created if missing.
func (v volumes) mountHostPath(pod *objects.Pod, specName, dir string, now time.Time) (kubelet.VolumeMount, error) {
	k := v.c.kubelets[pod.Spec.NodeName]
	if k == nil {
		return kubelet.VolumeMount{SpecName: specName}, fmt.Errorf("node %q not found", pod.Spec.NodeName)
	}
	_ = k.HostFS().MkdirAll(dir, 0o755, now)
	return kubelet.VolumeMount{FS: k.HostFS(), Dir: dir, SpecName: specName}, nil
}
