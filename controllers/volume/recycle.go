package volume

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// The Recycle reclaim policy, as upstream 1.37 still runs it
// (pv_controller.go reclaimVolume and recycleVolumeOperation; the NFS and
// hostPath plugins' Recycle in pkg/volume/nfs and pkg/volume/hostpath;
// pkg/volume/util/recyclerclient RecycleVolumeByWatchingPodUntilCompletion;
// pkg/volume/plugins.go NewPersistentVolumeRecyclerPodTemplate).
//
// Upstream runs the recycle in a goroutine that creates the scrubber pod
// "recycler-for-<pv>" in namespace default, watches it and the events about
// it until it succeeds or fails, forwards each new event to the volume as a
// RecyclerPod event, deletes the pod and then makes the volume Available
// (or Failed). kubesim keeps no goroutine: every step is read back from the
// store. The pod's existence says a recycle is under way, its phase says
// how it ended, and an event about it is forwarded unless the volume
// already has that RecyclerPod event from this attempt (upstream forwards
// only newly added events, so a repeat that bumps a count is not forwarded
// either).

// Event reasons and messages of recycling (pkg/controller/volume/events,
// pv_controller.go, recycler_client.go).
const (
	ReasonVolumeRecycled      = "VolumeRecycled"
	ReasonVolumeFailedRecycle = "VolumeFailedRecycle"
	ReasonRecyclerPod         = "RecyclerPod"
	msgVolumeRecycled         = "Volume recycled"
	msgVolumeUsedByPods       = "Volume is used by pods: %s"
	msgNoRecyclerPlugin       = "No recycler plugin found for the volume!"
	msgRecycleFailed          = "Recycle failed: %s"
	msgRecyclerFailed         = "failed to recycle volume: %s"
	msgRecyclerPodUnknown     = "pod failed, pod.Status.Message unknown"
	msgRecyclerPodEvent       = "Recycler pod: %s"
)

// The recycler pod template (NewPersistentVolumeRecyclerPodTemplate) and
// the name the recycler client gives it.
const (
	// RecyclerImage is the scrubber's image in upstream 1.37.
	RecyclerImage = "registry.k8s.io/build-image/debian-base:bookworm-v1.0.6"
	// RecyclerNamespace is where the scrubber pod runs.
	RecyclerNamespace = objects.NamespaceDefault
	// RecyclerPodPrefix starts the scrubber pod's name; the volume's name
	// follows ("recycler-for-pv-0"), replacing the plugins' generateName.
	RecyclerPodPrefix = "recycler-for-"
	recyclerContainer = "pv-recycler"
	recyclerVolume    = "vol"
	recyclerMountPath = "/scrub"
	recyclerScrub     = `test -e /scrub && find /scrub -mindepth 1 -delete && test -z "$(ls -A /scrub)" || exit 1`
)

// The scrubber's deadline, kube-controller-manager's defaults
// (--pv-recycler-minimum-timeout-nfs and friends, config/v1alpha1/defaults.go):
// the minimum, or the increment per whole Gi of capacity when that is more.
const (
	minimumTimeoutNFS        = 300
	incrementTimeoutNFS      = 30
	minimumTimeoutHostPath   = 60
	incrementTimeoutHostPath = 30
)

// resyncPeriod is the PV controller's --pvclaimbinder-sync-period. A
// recycle that could not run, or failed, is tried again on the next
// resync, as upstream's syncVolume re-runs reclaimVolume for Released and
// Failed volumes alike.
const resyncPeriod = 15 * time.Second

const kindEvent = "Event"

// RecyclerPodName is the name of the scrubber pod of volume pv.
func RecyclerPodName(pv string) string { return RecyclerPodPrefix + pv }

// recycledVolume returns the volume a pod scrubs, if it is a recycler pod.
func recycledVolume(pod *objects.Pod) (string, bool) {
	if pod.Namespace != RecyclerNamespace || !strings.HasPrefix(pod.Name, RecyclerPodPrefix) {
		return "", false
	}
	return strings.TrimPrefix(pod.Name, RecyclerPodPrefix), true
}

// recyclerEventVolume returns the volume whose recycler pod an event is about.
func recyclerEventVolume(ev *objects.Event) (string, bool) {
	ref := ev.InvolvedObject
	if ref.Kind != kindPod || ref.Namespace != RecyclerNamespace || !strings.HasPrefix(ref.Name, RecyclerPodPrefix) {
		return "", false
	}
	return strings.TrimPrefix(ref.Name, RecyclerPodPrefix), true
}

// recycle runs recycleStep, keeping when a failed recycle is tried again:
// a Failed volume is scrubbed anew on the resync after the failure, not as
// soon as the failed scrubber pod is gone.
func (b *Binder) recycle(now time.Time, r storage.Reader, pv *objects.PersistentVolume) controllers.Result {
	if b.retryAt == nil {
		b.retryAt = map[string]time.Time{}
	}
	pod := getPod(r, RecyclerNamespace, RecyclerPodName(pv.Name))
	switch {
	case pod != nil && pod.DeletionTimestamp == nil && pod.Status.Phase == objects.PodFailed:
		b.retryAt[pv.Name] = now.Add(resyncPeriod)
	case pod != nil && pod.DeletionTimestamp == nil && pod.Status.Phase == objects.PodSucceeded:
		delete(b.retryAt, pv.Name)
	case pod == nil && pv.Status.Phase == objects.VolumeFailed && now.Before(b.retryAt[pv.Name]):
		return controllers.Requeue(b.retryAt[pv.Name].Sub(now))
	}
	return recycleStep(r, pv, pod)
}

// recycleStep is recycleVolumeOperation for a Released (or Failed) volume
// whose policy is Recycle, given its scrubber pod (nil when there is none):
// follow the pod when there is one; otherwise wait while pods still use the
// claim, fail when no plugin recycles the volume's type, and start the
// scrubber.
func recycleStep(r storage.Reader, pv *objects.PersistentVolume, pod *objects.Pod) controllers.Result {
	if pod != nil {
		return followRecycler(r, pv, pod)
	}
	// A claim of the same name that exists is a new claim (the volume is
	// known to be released), which may be used while the volume is scrubbed.
	ref := pv.Spec.ClaimRef
	if users := podsUsingClaim(r, ref.Namespace, ref.Name); len(users) > 0 && getClaim(r, ref.Namespace, ref.Name) == nil {
		return controllers.Result{
			Events:       []controllers.Event{controllers.Normal(pv, ReasonVolumeFailedRecycle, fmt.Sprintf(msgVolumeUsedByPods, strings.Join(users, ",")))},
			RequeueAfter: resyncPeriod,
		}
	}
	pod, ok := recyclerPod(pv)
	if !ok {
		// Upstream retries on every resync, but with the phase already
		// Failed a retry changes nothing, so none is scheduled.
		return failVolume(pv, msgNoRecyclerPlugin)
	}
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Create, Object: pod}}}
}

// followRecycler is waitForPod and what follows it: forward the pod's new
// events; once it has succeeded, delete it and make the volume Available;
// once it has failed, delete it and mark the volume Failed. A pod being
// deleted is a previous attempt's, going away: its deletion wakes the
// volume's sync, which then starts afresh.
func followRecycler(r storage.Reader, pv *objects.PersistentVolume, pod *objects.Pod) controllers.Result {
	if pod.DeletionTimestamp != nil {
		return controllers.Result{}
	}
	res := controllers.Result{Events: unforwardedEvents(r, pv, pod)}
	switch pod.Status.Phase {
	case objects.PodSucceeded:
		done := unbind(pv)
		res.Actions = append([]controllers.Action{deleteRecycler(pod)}, done.Actions...)
		res.Events = append(res.Events, controllers.Normal(pv, ReasonVolumeRecycled, msgVolumeRecycled))
	case objects.PodFailed:
		msg := pod.Status.Message
		if msg == "" {
			msg = msgRecyclerPodUnknown
		}
		failed := failVolume(pv, fmt.Sprintf(msgRecycleFailed, fmt.Sprintf(msgRecyclerFailed, msg)))
		res.Actions = append([]controllers.Action{deleteRecycler(pod)}, failed.Actions...)
		res.Events = append(res.Events, failed.Events...)
		res.RequeueAfter = resyncPeriod
	}
	return res
}

// failVolume is updateVolumePhaseWithEvent to Failed: the phase, message
// and Warning VolumeFailedRecycle event, only when the volume is not
// Failed already (a retry that fails again changes nothing).
func failVolume(pv *objects.PersistentVolume, msg string) controllers.Result {
	if pv.Status.Phase == objects.VolumeFailed {
		return controllers.Result{}
	}
	return controllers.Result{Actions: []controllers.Action{volumePhaseAction(pv, objects.VolumeFailed, msg)},
		Events: []controllers.Event{controllers.Warning(pv, ReasonVolumeFailedRecycle, msg)}}
}

// deleteRecycler deletes the scrubber pod, as the recycler client does in
// all cases once the pod has finished.
func deleteRecycler(pod *objects.Pod) controllers.Action {
	return controllers.Action{Verb: controllers.Delete, Key: objects.KeyOf(pod)}
}

// unforwardedEvents returns, as RecyclerPod events on the volume, the
// events about the scrubber pod that the volume has not had since the pod
// was created, oldest first.
func unforwardedEvents(r storage.Reader, pv *objects.PersistentVolume, pod *objects.Pod) []controllers.Event {
	var podEvents []*objects.Event
	forwarded := map[string]bool{}
	since := pod.CreationTimestamp.Time
	r.Scan(kindEvent, RecyclerNamespace, func(o objects.Object) bool {
		e := o.(*objects.Event)
		ref := e.InvolvedObject
		switch {
		case ref.Kind == kindPod && ref.Name == pod.Name && ref.UID == pod.UID:
			podEvents = append(podEvents, e)
		case ref.Kind == kindPV && ref.Name == pv.Name && ref.UID == pv.UID && e.Reason == ReasonRecyclerPod &&
			e.Source.Component == EventComponent && !e.LastTimestamp.Time.Before(since):
			forwarded[e.Type+"\x00"+e.Message] = true
		}
		return true
	})
	sort.SliceStable(podEvents, func(i, j int) bool {
		return podEvents[i].FirstTimestamp.Time.Before(podEvents[j].FirstTimestamp.Time)
	})
	var out []controllers.Event
	for _, e := range podEvents {
		msg := fmt.Sprintf(msgRecyclerPodEvent, e.Message)
		if forwarded[e.Type+"\x00"+msg] {
			continue
		}
		forwarded[e.Type+"\x00"+msg] = true
		out = append(out, controllers.Event{Regarding: controllers.RefTo(pv), Type: e.Type, Reason: ReasonRecyclerPod, Message: msg})
	}
	return out
}

// podsUsingClaim is isVolumeUsed: the pods, as sorted "namespace/name",
// that name the claim and have not terminated.
func podsUsingClaim(r storage.Reader, namespace, claim string) []string {
	var out []string
	r.Scan(kindPod, namespace, func(o objects.Object) bool {
		pod := o.(*objects.Pod)
		if PodUsesClaim(pod, claim) && !podTerminated(pod) {
			out = append(out, pod.Namespace+"/"+pod.Name)
		}
		return true
	})
	sort.Strings(out)
	return out
}

// podTerminated is IsPodTerminated: the pod has finished, or is being
// deleted with no container running.
func podTerminated(pod *objects.Pod) bool {
	if pod.Status.Phase == objects.PodSucceeded || pod.Status.Phase == objects.PodFailed {
		return true
	}
	if pod.DeletionTimestamp == nil {
		return false
	}
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.State.Running != nil {
			return false
		}
	}
	return true
}

// recyclerPod is the scrubber pod the volume's plugin would run
// (nfsPlugin.Recycle, hostPathPlugin.Recycle), or false when no in-tree
// plugin recycles the volume's type.
func recyclerPod(pv *objects.PersistentVolume) (*objects.Pod, bool) {
	var src objects.Volume
	var timeout int64
	switch {
	case pv.Spec.NFS != nil:
		src.NFS = &objects.NFSVolumeSource{Server: pv.Spec.NFS.Server, Path: pv.Spec.NFS.Path}
		timeout = recyclerTimeout(pv, minimumTimeoutNFS, incrementTimeoutNFS)
	case pv.Spec.HostPath != nil:
		src.HostPath = &objects.HostPathVolumeSource{Path: pv.Spec.HostPath.Path}
		timeout = recyclerTimeout(pv, minimumTimeoutHostPath, incrementTimeoutHostPath)
	default:
		return nil, false
	}
	src.Name = recyclerVolume
	return &objects.Pod{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: kindPod},
		ObjectMeta: objects.ObjectMeta{Name: RecyclerPodName(pv.Name), Namespace: RecyclerNamespace},
		Spec: objects.PodSpec{
			ActiveDeadlineSeconds: &timeout,
			RestartPolicy:         objects.RestartPolicyNever,
			Volumes:               []objects.Volume{src},
			Containers: []objects.Container{{
				Name:         recyclerContainer,
				Image:        RecyclerImage,
				Command:      []string{"/bin/sh"},
				Args:         []string{"-c", recyclerScrub},
				VolumeMounts: []objects.VolumeMount{{Name: recyclerVolume, MountPath: recyclerMountPath}},
			}},
		},
	}, true
}

// recyclerTimeout is CalculateTimeoutForVolume: increment seconds per
// whole Gi of the volume's capacity, at least minimum.
func recyclerTimeout(pv *objects.PersistentVolume, minimum, increment int64) int64 {
	const gi = 1 << 30
	size := pv.Spec.Capacity[objects.ResourceStorage]
	return max(minimum, size.Value()/gi*increment)
}

// getPod returns the pod namespace/name, or nil.
func getPod(r storage.Reader, namespace, name string) *objects.Pod {
	o, err := r.Get(objects.Key{Kind: kindPod, Namespace: namespace, Name: name})
	if err != nil {
		return nil
	}
	return o.(*objects.Pod)
}
