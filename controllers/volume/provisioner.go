package volume

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// ProvisionerName is the NFS provisioner controller's name, also the source
// component of its events (upstream's is "<provisioner>_<pod>_<uuid>").
const ProvisionerName = "nfs-subdir-external-provisioner"

// Event reasons and messages of the external provisioner library
// (sig-storage-lib-external-provisioner controller.go) and the NFS
// provisioner (nfs-subdir-external-provisioner provisioner.go).
const (
	ReasonProvisioning          = "Provisioning"
	ReasonProvisioningSucceeded = "ProvisioningSucceeded"
	msgProvisioning             = "External provisioner is provisioning volume for claim %q"
	msgProvisioningSucceeded    = "Successfully provisioned volume %s"
	msgProvisioningFailed       = "failed to provision volume with StorageClass %q: %v"
	msgSelectorUnsupported      = "claim Selector is not supported"
	msgNoStorageClass           = "volume has no storage class"
	// Environment variables of the provisioner's container.
	envProvisionerName = "PROVISIONER_NAME"
	envNFSServer       = "NFS_SERVER"
	envNFSPath         = "NFS_PATH"
	// Class parameters the provisioner reads.
	paramArchiveOnDelete = "archiveOnDelete"
	paramOnDelete        = "onDelete"
	archivedPrefix       = "archived-"
	provisionedDirMode   = 0o777
)

// provisionerImages are the image names (last path element) the
// provisioner's Deployment runs: the current one and its predecessor.
var provisionerImages = []string{"nfs-subdir-external-provisioner", "nfs-client-provisioner"}

// Exports gives the provisioner the NFS servers' filesystems.
type Exports interface {
	// Export returns the filesystem of the machine serving NFS at server,
	// after checking it exports dir; the error is the mount's failure.
	Export(server, dir string) (*vfs.FS, error)
}

// ClaimReferences is the apiserver as the old nfs-client-provisioner's
// library (quay.io/external_storage) needs it: it makes a claim's object
// reference from metadata.selfLink, which apiservers stopped setting in
// 1.20. An Exports that implements it answers for the pod about to
// provision a claim; the error is the library's (and is in the pod's log).
type ClaimReferences interface {
	ClaimReference(pod objects.Key, image string, claim *objects.PersistentVolumeClaim, now time.Time) error
}

// claimReferenceRetry is how soon a claim whose reference could not be
// made is tried again (the library's queue retries it).
const claimReferenceRetry = 15 * time.Second

// Provisioner is the nfs-subdir-external-provisioner: it provisions claims
// of the classes whose provisioner a Running provisioner pod names, and
// deletes the Released volumes it provisioned. It changes the NFS servers'
// directories as it reconciles. Not safe for concurrent use.
type Provisioner struct {
	exports Exports
}

var (
	_ controllers.Controller   = (*Provisioner)(nil)
	_ controllers.EventSourcer = (*Provisioner)(nil)
)

// NewProvisioner returns an NFS provisioner working on exports.
func NewProvisioner(exports Exports) *Provisioner { return &Provisioner{exports: exports} }

// Name returns "nfs-subdir-external-provisioner".
func (p *Provisioner) Name() string { return ProvisionerName }

// EventSource returns the provisioner's event source.
func (p *Provisioner) EventSource() objects.EventSource {
	return objects.EventSource{Component: ProvisionerName}
}

// nfsConfig is what a running provisioner pod declares, and the pod.
type nfsConfig struct {
	name, server, path string
	pod                objects.Key
	image              string
}

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the provisioner watches claims, volumes and its own pods.
func (*Provisioner) WatchedKinds() []string { return watchedProvisioner }

var watchedProvisioner = []string{kindPVC, kindPV, "Pod"}

// KeysFor returns changed claims and volumes; when a provisioner pod
// changes, every Pending claim and Released volume.
func (p *Provisioner) KeysFor(ev storage.WatchEvent, r storage.Reader) []objects.Key {
	switch o := ev.Object.(type) {
	case *objects.PersistentVolumeClaim:
		return []objects.Key{objects.KeyOf(o)}
	case *objects.PersistentVolume:
		if ev.Type != storage.Deleted && o.Status.Phase == objects.VolumeReleased {
			return []objects.Key{objects.KeyOf(o)}
		}
	case *objects.Pod:
		if _, ok := provisionerConfig(o); ok {
			keys := pendingClaims(r)
			r.Scan(kindPV, "", func(x objects.Object) bool {
				if x.(*objects.PersistentVolume).Status.Phase == objects.VolumeReleased {
					keys = append(keys, objects.KeyOf(x))
				}
				return true
			})
			return keys
		}
	}
	return nil
}

// Reconcile provisions the claim or deletes the volume at key.
func (p *Provisioner) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	obj = obj.DeepCopyObject() // the store's objects are shared and read-only: work on a copy
	switch o := obj.(type) {
	case *objects.PersistentVolumeClaim:
		if cfg, ok := runningProvisioner(r, o.Annotations[objects.AnnBetaStorageProvisioner]); ok {
			return p.provision(now, r, cfg, o)
		}
	case *objects.PersistentVolume:
		if cfg, ok := runningProvisioner(r, o.Annotations[objects.AnnDynamicallyProvisioned]); ok && shouldDelete(o) {
			return p.delete(r, cfg, o)
		}
	}
	return controllers.Result{}
}

// provisionerConfig reads a provisioner pod's declaration: its image is a
// provisioner's and its first container sets PROVISIONER_NAME.
func provisionerConfig(pod *objects.Pod) (nfsConfig, bool) {
	for _, c := range pod.Spec.Containers {
		if !isProvisionerImage(c.Image) {
			continue
		}
		cfg := nfsConfig{pod: objects.KeyOf(pod), image: c.Image}
		for _, e := range c.Env {
			switch e.Name {
			case envProvisionerName:
				cfg.name = e.Value
			case envNFSServer:
				cfg.server = e.Value
			case envNFSPath:
				cfg.path = e.Value
			}
		}
		return cfg, cfg.name != ""
	}
	return nfsConfig{}, false
}

// isProvisionerImage reports whether image is one of the provisioner's.
func isProvisionerImage(image string) bool {
	name, _, _ := strings.Cut(image, "@")
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		name = name[:i]
	}
	name = name[strings.LastIndexByte(name, '/')+1:]
	for _, p := range provisionerImages {
		if name == p {
			return true
		}
	}
	return false
}

// runningProvisioner finds a Running, not deleted provisioner pod named
// name, first in store order.
func runningProvisioner(r storage.Reader, name string) (nfsConfig, bool) {
	var found nfsConfig
	ok := false
	if name == "" {
		return found, false
	}
	r.Scan(kindPod, "", func(o objects.Object) bool {
		pod := o.(*objects.Pod)
		if pod.Status.Phase != objects.PodRunning || pod.DeletionTimestamp != nil {
			return true
		}
		if cfg, is := provisionerConfig(pod); is && cfg.name == name {
			found, ok = cfg, true
		}
		return !ok
	})
	return found, ok
}

// provision is the library's provisionClaimOperation with the NFS
// provisioner's Provision: a ${namespace}-${pvcName}-${pvName} directory
// on the share and a volume pre-bound to the claim.
func (p *Provisioner) provision(now time.Time, r storage.Reader, cfg nfsConfig, c *objects.PersistentVolumeClaim) controllers.Result {
	className := objects.PersistentVolumeClaimClass(c)
	class := getClass(r, className)
	pvName := "pvc-" + c.UID
	if c.Spec.VolumeName != "" || c.DeletionTimestamp != nil || class == nil || getVolume(r, pvName) != nil {
		return controllers.Result{}
	}
	if derefString(class.VolumeBindingMode) == objects.VolumeBindingWaitForFirstConsumer && c.Annotations[objects.AnnSelectedNode] == "" {
		return controllers.Result{}
	}
	if refs, ok := p.exports.(ClaimReferences); ok {
		if err := refs.ClaimReference(cfg.pod, cfg.image, c, now); err != nil {
			// Without a reference the library records no event either.
			return controllers.Requeue(claimReferenceRetry)
		}
	}
	started := controllers.Normal(c, ReasonProvisioning, fmt.Sprintf(msgProvisioning, c.Namespace+"/"+c.Name))
	dir, err := p.makeDirectory(now, cfg, c, pvName)
	if err != nil {
		return controllers.Result{Events: []controllers.Event{started,
			controllers.Warning(c, ReasonProvisioningFailed, fmt.Sprintf(msgProvisioningFailed, className, err))}}
	}
	pv := provisionedVolume(cfg, class, c, pvName, dir)
	// Then records both events, so that Provisioning comes first.
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Create, Object: pv,
		Then: func(_ objects.Object, err error) []controllers.Event {
			if err != nil {
				return []controllers.Event{started}
			}
			return []controllers.Event{started,
				controllers.Normal(c, ReasonProvisioningSucceeded, fmt.Sprintf(msgProvisioningSucceeded, pvName))}
		}}}}
}

// makeDirectory creates the claim's directory on the share, returning its
// path on the server.
func (p *Provisioner) makeDirectory(now time.Time, cfg nfsConfig, c *objects.PersistentVolumeClaim, pvName string) (string, error) {
	if c.Spec.Selector != nil {
		return "", fmt.Errorf("%s", msgSelectorUnsupported)
	}
	fsys, err := p.exports.Export(cfg.server, cfg.path)
	if err != nil {
		return "", err
	}
	dir := path.Join(cfg.path, strings.Join([]string{c.Namespace, c.Name, pvName}, "-"))
	if err := fsys.MkdirAll(dir, provisionedDirMode, now); err != nil {
		return "", fmt.Errorf("unable to create directory to provision new pv: %v", err)
	}
	return dir, fsys.Chmod(dir, provisionedDirMode)
}

// provisionedVolume is the volume the library creates for a claim.
func provisionedVolume(cfg nfsConfig, class *objects.StorageClass, c *objects.PersistentVolumeClaim, name, dir string) *objects.PersistentVolume {
	pv := &objects.PersistentVolume{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: kindPV},
		ObjectMeta: objects.ObjectMeta{Name: name, Annotations: map[string]string{objects.AnnDynamicallyProvisioned: cfg.name}},
		Spec: objects.PersistentVolumeSpec{
			Capacity:                      objects.ResourceList{objects.ResourceStorage: c.Spec.Resources.Requests[objects.ResourceStorage]},
			PersistentVolumeSource:        objects.PersistentVolumeSource{NFS: &objects.NFSVolumeSource{Server: cfg.server, Path: dir}},
			AccessModes:                   append([]string(nil), c.Spec.AccessModes...),
			ClaimRef:                      claimRef(c),
			PersistentVolumeReclaimPolicy: derefString(class.ReclaimPolicy),
			StorageClassName:              objects.PersistentVolumeClaimClass(c),
			MountOptions:                  append([]string(nil), class.MountOptions...),
			VolumeMode:                    c.Spec.VolumeMode,
		},
	}
	return pv.DeepCopy()
}

// shouldDelete is the library's shouldDelete: a Released volume with
// policy Delete, not already being deleted.
func shouldDelete(pv *objects.PersistentVolume) bool {
	return pv.DeletionTimestamp == nil && pv.Status.Phase == objects.VolumeReleased &&
		pv.Spec.PersistentVolumeReclaimPolicy == objects.ReclaimDelete
}

// delete is the NFS provisioner's Delete followed by the library's delete
// of the volume object; a failure is a VolumeFailedDelete warning.
func (p *Provisioner) delete(r storage.Reader, cfg nfsConfig, pv *objects.PersistentVolume) controllers.Result {
	if err := p.removeDirectory(r, cfg, pv); err != nil {
		return controllers.Result{Events: []controllers.Event{controllers.Warning(pv, ReasonVolumeFailedDelete, err.Error())}}
	}
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Delete, Key: objects.KeyOf(pv),
		DeleteOptions: storage.DeleteOptions{Preconditions: &storage.Preconditions{UID: pv.UID}}}}}
}

// removeDirectory removes or archives the volume's directory as the
// class's onDelete and archiveOnDelete parameters say: onDelete "delete"
// removes, "retain" keeps; else archiveOnDelete false removes, true or
// absent renames it to archived-<dir>. A missing directory is no error.
func (p *Provisioner) removeDirectory(r storage.Reader, cfg nfsConfig, pv *objects.PersistentVolume) error {
	if pv.Spec.NFS == nil {
		return nil
	}
	className := objects.PersistentVolumeClass(pv)
	if className == "" {
		return fmt.Errorf("%s", msgNoStorageClass)
	}
	class := getClass(r, className)
	if class == nil {
		return fmt.Errorf(msgStorageClassNotFound, className)
	}
	fsys, err := p.exports.Export(cfg.server, cfg.path)
	if err != nil {
		return err
	}
	dir := path.Join(cfg.path, path.Base(pv.Spec.NFS.Path))
	if _, err := fsys.Stat(dir); err != nil {
		return nil
	}
	switch class.Parameters[paramOnDelete] {
	case "delete":
		return fsys.RemoveAll(dir)
	case "retain":
		return nil
	}
	if v, ok := class.Parameters[paramArchiveOnDelete]; ok {
		archive, err := strconv.ParseBool(v)
		if err != nil {
			return err
		}
		if !archive {
			return fsys.RemoveAll(dir)
		}
	}
	return moveTree(fsys, dir, path.Join(cfg.path, archivedPrefix+path.Base(dir)))
}

// moveTree renames the directory from to to, copying what it holds.
func moveTree(fsys *vfs.FS, from, to string) error {
	if err := copyTree(fsys, from, to); err != nil {
		return err
	}
	return fsys.RemoveAll(from)
}

// copyTree copies directory from, recursively, to to.
func copyTree(fsys *vfs.FS, from, to string) error {
	info, err := fsys.Stat(from)
	if err != nil {
		return err
	}
	if err := fsys.MkdirAll(to, info.Mode.Perm(), info.ModTime); err != nil {
		return err
	}
	entries, err := fsys.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		src, dst := path.Join(from, e.Name), path.Join(to, e.Name)
		if e.IsDir() {
			err = copyTree(fsys, src, dst)
		} else {
			err = copyFile(fsys, src, dst, e)
		}
		if err != nil {
			return err
		}
	}
	_ = fsys.Chown(to, info.UID, info.GID)
	return fsys.Chmod(to, info.Mode.Perm())
}

// copyFile copies one file with its mode and owner.
func copyFile(fsys *vfs.FS, src, dst string, info vfs.Info) error {
	data, err := fsys.ReadFile(src)
	if err != nil {
		return err
	}
	if err := fsys.WriteFile(dst, data, info.Mode.Perm(), info.ModTime); err != nil {
		return err
	}
	return fsys.Chown(dst, info.UID, info.GID)
}
