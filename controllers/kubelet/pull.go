package kubelet

import (
	"fmt"
	"slices"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/objects"
)

// Image pull events and waiting reasons, as the kubelet's image manager
// (pkg/kubelet/images) and pkg/kubelet/events name them.
const (
	// ReasonInspectFailed is events.FailedToInspectImage.
	ReasonInspectFailed = "InspectFailed"
	// WaitingErrImagePull is images.ErrImagePull: the last pull failed.
	WaitingErrImagePull = "ErrImagePull"
	// WaitingImagePullBackOff is images.ErrImagePullBackOff: the kubelet
	// waits before pulling again.
	WaitingImagePullBackOff = "ImagePullBackOff"
	// WaitingInvalidImageName is images.ErrInvalidImageName.
	WaitingInvalidImageName = "InvalidImageName"
)

// The image pull back-off (kubelet.go imageBackOffPeriod and
// MaxImageBackOff): 10s after the first failure, doubling to 5 minutes; an
// entry untouched for twice the cap is forgotten (flowcontrol.Backoff).
const (
	imageBackoffBase = 10 * time.Second
	imageBackoffMax  = 5 * time.Minute
)

// pullState is the image manager's record of a container's image: the
// outcome of the pull in progress and of the last sync, and what the
// status shows.
type pullState struct {
	// failure is the registry's refusal of the pull in progress, if any.
	failure error
	// reason and message are the last sync's outcome (the kubelet's
	// reasonCache): ErrImagePull, ImagePullBackOff or InvalidImageName.
	reason, message string
	// shownReason and shownMessage are what the status reports. The
	// kubelet's SyncPod generates the status before it acts, so a sync's
	// outcome shows from the next sync on.
	shownReason, shownMessage string
}

// publish makes the last sync's outcome the status, as a sync begins.
func (p *pullState) publish() {
	p.shownReason, p.shownMessage = p.reason, p.message
}

// imageBackoff is one entry of the kubelet's image pull back-off.
type imageBackoff struct {
	delay      time.Duration
	lastUpdate time.Time
	// lastError is the failed pull's "ErrImagePull: <message>", which the
	// back-off message repeats (image_manager.go prevPullErrMsg).
	lastError string
}

// backoffKey is upstream's key: the pod's UID and the image, so each pod
// backs off each image on its own.
func backoffKey(pod *objects.Pod, image string) string {
	return fmt.Sprintf("%s_%s", pod.UID, image)
}

// expired is flowcontrol.Backoff's hasExpired: an entry not updated for
// twice the maximum delay starts over.
func (b *imageBackoff) expired(now time.Time) bool {
	return now.Sub(b.lastUpdate) > 2*imageBackoffMax
}

// inBackoff is IsInBackOffSinceUpdate: whether a pull at now must wait.
func (k *Kubelet) inBackoff(key string, now time.Time) bool {
	b := k.pullBackoff[key]
	return b != nil && !b.expired(now) && now.Sub(b.lastUpdate) < b.delay
}

// backoffNext is Backoff.Next after a failed pull at now: the first delay,
// or twice the last up to the cap. It reports whether the entry is new.
func (k *Kubelet) backoffNext(key string, now time.Time, lastError string) bool {
	if k.pullBackoff == nil {
		k.pullBackoff = map[string]*imageBackoff{}
	}
	b := k.pullBackoff[key]
	first := b == nil || b.expired(now)
	if first {
		b = &imageBackoff{delay: imageBackoffBase}
		k.pullBackoff[key] = b
	} else {
		b.delay = min(2*b.delay, imageBackoffMax)
	}
	b.lastUpdate, b.lastError = now, lastError
	return first
}

// backoffGC drops expired entries after a successful pull, as the image
// manager calls Backoff.GC.
func (k *Kubelet) backoffGC(now time.Time) {
	for key, b := range k.pullBackoff {
		if b.expired(now) {
			delete(k.pullBackoff, key)
		}
	}
}

// beginPull is one sync's attempt to get c's image (EnsureImageExists): at
// once when the node has it and the pull policy allows reuse; a refusal
// while the image is backing off; otherwise a download, or a registry
// check for a cached image with policy Always, that ends at pullDone.
func (c *container) beginPull(now time.Time, res *controllers.Result) {
	k, pod, ref := c.pr.k, c.pr.pod, c.spec.Image
	c.pull.publish()
	facts := k.refFacts(ref)
	if facts.parseErr != nil {
		c.invalidImage(now, facts.parseErr, res)
		return
	}
	present := k.images[ref]
	policy := c.spec.ImagePullPolicy
	switch {
	case present && policy != objects.PullAlways:
		// The container starts in this same sync: room for its Created
		// and Started events too.
		res.Events = append(slices.Grow(res.Events, 3), c.about(controllers.Normal(pod, ReasonPulled, facts.presentMsg)))
		c.image = k.lookupImage(ref)
		c.pullNote = ""
		c.pullDone = now
	case !present && policy == objects.PullNever:
		c.neverPull = true
		res.Events = append(res.Events, c.about(controllers.Warning(pod, ReasonErrImageNeverPull,
			fmt.Sprintf("Container image %q is not present with pull policy of Never", ref))))
		return
	case k.inBackoff(backoffKey(pod, ref), now):
		c.backOffPull(now, res)
		return
	default:
		res.Events = append(res.Events, c.about(controllers.Normal(pod, ReasonPulling, fmt.Sprintf("Pulling image %q", ref))))
		c.pullDone = now.Add(c.download(present))
	}
	c.pulling = true
}

// download starts fetching c's image and returns how long it takes: a
// registry check (the time to learn that the image does not exist, too),
// plus the transfer when the node lacks the image.
func (c *container) download(present bool) time.Duration {
	k, ref := c.pr.k, c.spec.Image
	c.pull.failure = k.cfg.Catalog.Resolve(ref)
	if c.pull.failure != nil {
		return registryCheck
	}
	c.image = k.lookupImage(ref)
	d := registryCheck
	if !present {
		d += time.Duration(c.image.SizeBytes * int64(time.Second) / pullBandwidth)
	}
	d = d.Round(time.Millisecond) // as the kubelet reports pull times
	c.pullNote = fmt.Sprintf("Successfully pulled image %q in %v (%v including waiting). Image size: %d bytes.",
		ref, d, d, c.image.SizeBytes)
	return d
}

// endPull finishes the pull that was due at now: a failure, or the image
// on the node and the container started.
func (c *container) endPull(now time.Time, res *controllers.Result) {
	if c.pull.failure != nil {
		c.pullFailed(now, res)
		return
	}
	c.pr.k.backoffGC(now)
	c.pull = pullState{}
	c.start(now, res)
}

// pullFailed records a failed pull as the image manager and kuberuntime's
// startContainer do: the runtime's error in a Failed event, then "Error:
// ErrImagePull", the next step of the pod's image back-off, and another
// sync after the pod worker's back-off. The first failure of an image in a
// pod is followed by a sync at once: that sync also created the sandbox or
// killed the old container, which the PLEG reports.
func (c *container) pullFailed(now time.Time, res *controllers.Result) {
	pod, ref := c.pr.pod, c.spec.Image
	msg := runtimePullError(c.pull.failure)
	res.Events = append(res.Events,
		c.about(controllers.Warning(pod, ReasonFailed, fmt.Sprintf("Failed to pull image %q: %s", ref, msg))),
		c.about(controllers.Warning(pod, ReasonFailed, "Error: "+WaitingErrImagePull)))
	first := c.pr.k.backoffNext(backoffKey(pod, ref), now, WaitingErrImagePull+": "+msg)
	c.pulling, c.crashLoop, c.pullNote = false, false, ""
	c.pull.failure = nil
	c.pull.reason, c.pull.message = WaitingErrImagePull, msg
	c.configErr, c.configRetryAt = "", now.Add(configRetry)
	if first {
		c.configRetryAt = now
	}
}

// backOffPull is a sync that finds the image backing off: a BackOff event,
// "Error: ImagePullBackOff", and a waiting message that repeats the last
// pull error.
func (c *container) backOffPull(now time.Time, res *controllers.Result) {
	pod, ref := c.pr.pod, c.spec.Image
	msg := fmt.Sprintf("Back-off pulling image %q", ref)
	res.Events = append(res.Events,
		c.about(controllers.Normal(pod, ReasonBackOff, msg)),
		c.about(controllers.Warning(pod, ReasonFailed, "Error: "+WaitingImagePullBackOff)))
	if b := c.pr.k.pullBackoff[backoffKey(pod, ref)]; b != nil && b.lastError != "" {
		msg += ": " + b.lastError
	}
	c.crashLoop = false
	c.pull.reason, c.pull.message = WaitingImagePullBackOff, msg
	c.configErr, c.configRetryAt = "", now.Add(configRetry)
}

// invalidImage is a sync that cannot parse the image reference: an
// InspectFailed event and the InvalidImageName waiting reason, tried again
// at every sync without back-off.
func (c *container) invalidImage(now time.Time, err error, res *controllers.Result) {
	pod := c.pr.pod
	msg := fmt.Sprintf("Failed to apply default image tag %q: %v", c.spec.Image, err)
	res.Events = append(res.Events,
		c.about(controllers.Warning(pod, ReasonInspectFailed, msg)),
		c.about(controllers.Warning(pod, ReasonFailed, "Error: "+WaitingInvalidImageName)))
	c.crashLoop = false
	c.pull.reason, c.pull.message = WaitingInvalidImageName, msg
	c.configErr, c.configRetryAt = "", now.Add(configRetry)
}

// imageChanged is a pod update that gave c, not running, another image:
// the update makes the kubelet sync at once, and a pull of the old image
// still in progress is dropped.
func (c *container) imageChanged() {
	c.pulling, c.pull.failure, c.configRetryAt = false, nil, time.Time{}
}

// runtimePullError is the error containerd's CRI returns for a refused
// pull, as the kubelet sees it: the gRPC status prefix stays for NotFound,
// while the CRI client strips it from Unknown errors (remote_image.go).
func runtimePullError(err error) string {
	pe, ok := err.(*images.PullError)
	if !ok {
		return err.Error()
	}
	msg := fmt.Sprintf("failed to pull and unpack image %q: failed to resolve reference %q: %v", pe.Ref, pe.Ref, pe)
	if pe.Kind == images.TagNotFound {
		return "rpc error: code = NotFound desc = " + msg
	}
	return msg
}

// waitingToStart is the kubelet's answer to a request for the log of a
// container that never started (validateContainerLogStatus): the usual
// image pull failures in words, any other waiting reason as it is.
func (c *container) waitingToStart(podName string) error {
	why := WaitingContainerCreating
	if w := c.status(nil).State.Waiting; w != nil && w.Reason != "" {
		why = w.Reason
	}
	switch why {
	case WaitingErrImagePull:
		why = "image can't be pulled"
	case WaitingImagePullBackOff:
		why = "trying and failing to pull image"
	}
	return fmt.Errorf("container %q in pod %q is waiting to start: %s", c.spec.Name, podName, why)
}

// pullWaiting is the waiting state of a container whose last sync could
// not get its image (pull.shownReason set).
func (c *container) pullWaiting() objects.ContainerStateWaiting {
	return objects.ContainerStateWaiting{Reason: c.pull.shownReason, Message: c.pull.shownMessage}
}
