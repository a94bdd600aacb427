package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/kubesim/kubesim/controllers/kubelet"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/host"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// The NFS model. The cluster's machines are its NFS servers: a machine
// serves, at its InternalIP, the directories of its own disk (the one
// `host <machine> -- ...` works on). A machine on which nfs-utils was
// installed serves as CentOS 7 does (package host): only while nfs-server
// runs, only what its export table lists (/etc/exports after exportfs -r
// or the service's start), to the clients the line allows, read-only
// unless it says rw. A machine on which nfs-utils never was is kubesim's
// stand-in server: every directory, to everyone, read-write. A server
// address no machine has times out.

// nfsMountStatus is mount(8)'s exit status for a failed NFS mount.
const nfsMountStatus = 32

// errNFS is the kind of every NFS mount failure.
var errNFS = errors.New("mount failed")

// volumes resolves pod volumes and NFS exports against the cluster's machines.
type volumes struct{ c *Cluster }

// Export returns the disk of the machine at server if it has dir, for the
// NFS provisioner, whose own pod's mount of the export already passed the
// server's checks.
func (v volumes) Export(server, dir string) (*vfs.FS, error) {
	h := v.c.machineAt(server)
	if h == nil {
		return nil, fmt.Errorf("mount.nfs: %v", host.ErrNFSTimeout)
	}
	if info, err := h.Disk.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("mount.nfs: access denied by server while mounting %s:%s", server, dir)
	}
	return h.Disk, nil
}

// serve asks the machine at server to serve dir to the node client: its
// disk and whether the export is read-only, or mount.nfs's complaint.
func (v volumes) serve(server, dir, client string) (*vfs.FS, bool, error) {
	h := v.c.machineAt(server)
	if h == nil {
		return nil, false, fmt.Errorf("mount.nfs: %v", host.ErrNFSTimeout)
	}
	clientIP := ""
	for _, n := range v.c.cfg.Nodes {
		if n.Name == client {
			clientIP = n.InternalIP
		}
	}
	ro, err := h.ServeNFS(dir, clientIP, client)
	if err != nil {
		return nil, false, fmt.Errorf("mount.nfs: %v", err)
	}
	return h.Disk, ro, nil
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
	fsys, ro, err := v.serve(src.Server, src.Path, pod.Spec.NodeName)
	if err != nil {
		return m, fmt.Errorf("%w: exit status %d\nMounting command: mount\nMounting arguments: -t nfs %s:%s /var/lib/kubelet/pods/%s/volumes/kubernetes.io~nfs/%s\nOutput: %v",
			errNFS, nfsMountStatus, src.Server, src.Path, pod.UID, specName, err)
	}
	m.FS, m.ReadOnly = fsys, ro
	return m, nil
}

// mountHostPath mounts a directory of the pod's node, created if missing.
func (v volumes) mountHostPath(pod *objects.Pod, specName, dir string, now time.Time) (kubelet.VolumeMount, error) {
	k := v.c.kubelets[pod.Spec.NodeName]
	if k == nil {
		return kubelet.VolumeMount{SpecName: specName}, fmt.Errorf("node %q not found", pod.Spec.NodeName)
	}
	v.c.machines.hostTable() // the node's disk is provisioned before a pod writes to it
	_ = k.HostFS().MkdirAll(dir, 0o755, now)
	return kubelet.VolumeMount{FS: k.HostFS(), Dir: dir, SpecName: specName}, nil
}
