package kubelet

import (
	"reflect"
	"strconv"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Config is one kubelet's node.
type Config struct {
	NodeName   string
	PodCIDR    string // pod addresses come from here, e.g. "10.244.1.0/24"
	InternalIP string // reported as the pods' hostIP
	// Network is the cluster network containers and the node reach
	// (nslookup, curl, wget); nil leaves them without one.
	Network workload.Network
	// Volumes resolves nfs and persistentVolumeClaim volumes; nil leaves
	// them unmounted.
	Volumes VolumeResolver
	// Catalog is what the registries serve; nil serves the built-in images.
	Catalog *images.Catalog
}

// Kubelet runs the pods bound to one node. Not safe for concurrent use.
type Kubelet struct {
	cfg    Config
	keys   controllers.KeyBuffer // KeysFor's
	ipam   *ipam
	images map[string]bool // image references present on the node
	pods   map[objects.Key]*podRun
	// host is the node's own filesystem, which hostPath volumes mount.
	host *vfs.FS
	// pullBackoff is the image pull back-off, by pod UID and image (pull.go).
	pullBackoff map[string]*imageBackoff
	// name is Name's answer, built once: the loop asks for it on every event.
	name string
	// imageNameCache holds the names of the images containers ran, by
	// reference and tag (imageNames).
	imageNameCache map[[2]string]imageNames
	// scripts are the scripts the node's containers' shells parsed.
	scripts *workload.Scripts
	// imageCache holds the catalogue's answers by reference, for the
	// catalogue's generation imageGen (lookupImage).
	imageCache map[string]images.Image
	imageGen   uint64
	// refCache holds what each image reference says by itself (refFacts).
	refCache map[string]refFacts
	// searchCache holds the pods' DNS search paths by namespace (podSearch).
	searchCache map[string][]string
	// startMsgs holds the Created and Started messages by container name.
	startMsgs map[string]startMessages
	// lastUnready is the last Ready condition message naming unready
	// containers (unreadyMessage).
	lastUnready string
	// spare is where Reconcile built a status that equalled the reported
	// one: the next Reconcile builds its status there. It is never stored.
	spare *statusPod
}

// maxCachedImages bounds imageCache: references are few, but a run
// could name new ones without end.
const maxCachedImages = 256

// lookupImage is the catalogue's Lookup of ref, worked out once per
// reference while no image is added: every container start asks.
func (k *Kubelet) lookupImage(ref string) images.Image {
	if g := k.cfg.Catalog.Generation(); k.imageCache == nil || g != k.imageGen {
		k.imageCache, k.imageGen = map[string]images.Image{}, g
	}
	img, ok := k.imageCache[ref]
	if !ok {
		img = k.cfg.Catalog.Lookup(ref)
		if len(k.imageCache) < maxCachedImages {
			k.imageCache[ref] = img
		}
	}
	return img
}

// refFacts are what the kubelet works out from an image reference alone,
// once per reference and node: every pod's containers ask.
type refFacts struct {
	builtin  images.Image // images.Lookup's answer
	parseErr error        // images.ParseReference's error, if any
	// presentMsg is the Pulled event's message for an image the node has.
	presentMsg string
}

// refFacts returns ref's facts, remembered for up to maxCachedImages
// references.
func (k *Kubelet) refFacts(ref string) refFacts {
	f, ok := k.refCache[ref]
	if ok {
		return f
	}
	_, err := images.ParseReference(ref)
	f = refFacts{builtin: images.Lookup(ref), parseErr: err,
		presentMsg: "Container image " + strconv.Quote(ref) + " already present on machine"}
	if k.refCache == nil {
		k.refCache = map[string]refFacts{}
	}
	if len(k.refCache) < maxCachedImages {
		k.refCache[ref] = f
	}
	return f
}

var (
	_ controllers.Controller   = (*Kubelet)(nil)
	_ controllers.Placed       = (*Kubelet)(nil)
	_ controllers.EventSourcer = (*Kubelet)(nil)
)

// New returns the kubelet of an empty node.
func New(cfg Config) (*Kubelet, error) {
	a, err := newIPAM(cfg.PodCIDR)
	if err != nil {
		return nil, err
	}
	return &Kubelet{cfg: cfg, ipam: a, images: map[string]bool{}, pods: map[objects.Key]*podRun{}, host: vfs.New(),
		name: "kubelet/" + cfg.NodeName, imageNameCache: map[[2]string]imageNames{},
		scripts: workload.NewScripts()}, nil
}

// Name returns "kubelet/<node>".
func (k *Kubelet) Name() string { return k.name }

// Component returns controllers.Kubelet.
func (k *Kubelet) Component() string { return controllers.Kubelet }

// EventSource returns the kubelet's event source: component kubelet, host the node.
func (k *Kubelet) EventSource() objects.EventSource {
	return objects.EventSource{Component: "kubelet", Host: k.cfg.NodeName}
}

// NodeName returns the node this kubelet runs.
func (k *Kubelet) NodeName() string { return k.cfg.NodeName }

// HostFS returns the node's own filesystem (what hostPath volumes mount).
func (k *Kubelet) HostFS() *vfs.FS { return k.host }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// a kubelet watches the pods bound to its node.
func (*Kubelet) WatchedKinds() []string { return watchedKubelet }

var watchedKubelet = []string{"Pod"}

// KeysFor returns the pod's key when the pod is bound to this node, or was
// and is now gone.
func (k *Kubelet) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	pod, ok := ev.Object.(*objects.Pod)
	if !ok {
		return nil
	}
	key := objects.KeyOf(pod)
	pr := k.pods[key]
	if pr != nil && ev.Type == storage.Modified && pod == pr.wrote {
		// The kubelet's own status update coming back: the sync that wrote
		// it left the pod where it is, as upstream's pod config passes a
		// change of status alone on as a reconcile, not a sync.
		return nil
	}
	if pod.Spec.NodeName == k.cfg.NodeName || pr != nil {
		return k.keys.One(key)
	}
	return nil
}

// Reconcile brings the pod at key to where its containers are at now and
// reports its status; it asks to run again at the next moment something
// will happen (an image pulled, a process exiting, a back-off ending).
func (k *Kubelet) Reconcile(now time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		k.forget(key)
		return controllers.Result{}
	}
	pod := obj.(*objects.Pod)
	if pod.Spec.NodeName != k.cfg.NodeName {
		return controllers.Result{}
	}
	pr := k.pods[key]
	if pr != nil && pr.uid != pod.UID {
		k.forget(key) // the name was reused by a new pod
		pr = nil
	}
	if pr == nil {
		if isTerminal(pod) {
			return controllers.Result{} // nothing left to run
		}
		pr = k.admit(now, pod)
	}
	if pr.removed {
		return controllers.Result{}
	}
	pr.pod = pod
	pr.r = r
	defer func() { pr.r = nil }()
	var res controllers.Result
	pr.advance(now, &res)
	if pr.finished() && isTerminalPhase(pr.phase()) {
		pr.tearDown()
	}
	// The status is built in the pod that would carry it, kept for the
	// next sync when it is not written.
	b := k.spare
	if b == nil {
		b = new(statusPod)
	}
	pr.status(now, b)
	if reflect.DeepEqual(&b.pod.Status, &pod.Status) {
		k.spare = b
	} else {
		// A new version sharing the spec and metadata (the store never
		// changes a stored object, nor one it is given): only the status
		// is new.
		k.spare = nil
		b.own()
		updated := &b.pod
		status := updated.Status
		*updated = *pod
		updated.Status = status
		pr.wrote = updated
		res.Actions = append(res.Actions, controllers.Action{Verb: controllers.UpdateStatus, Object: updated})
	}
	if pr.finished() && pod.DeletionTimestamp != nil {
		// Every container has stopped: remove the pod for good.
		zero := int64(0)
		res.Actions = append(res.Actions, controllers.Action{Verb: controllers.Delete, Key: key,
			DeleteOptions: storage.DeleteOptions{GracePeriodSeconds: &zero,
				Preconditions: &storage.Preconditions{UID: pod.UID}}})
		pr.removed = true
	}
	if next, ok := pr.nextWake(now); ok {
		res.RequeueAfter = next.Sub(now)
	}
	return res
}

// forget drops the runtime state of a pod that is gone.
func (k *Kubelet) forget(key objects.Key) {
	if pr := k.pods[key]; pr != nil {
		if pr.ip.IsValid() && !pr.sandboxGone {
			k.ipam.release(pr.ip)
		}
		delete(k.pods, key)
	}
}

func isTerminal(pod *objects.Pod) bool { return isTerminalPhase(pod.Status.Phase) }

func isTerminalPhase(phase string) bool {
	return phase == objects.PodSucceeded || phase == objects.PodFailed
}
