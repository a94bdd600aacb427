package kubelet

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/objects"
)

// Pod status reasons the kubelet reports.
const (
	ReasonPodCompleted       = "PodCompleted"
	ReasonContainersNotReady = "ContainersNotReady"
	ReasonDeadlineExceeded   = "DeadlineExceeded"
)

// status is the pod status the kubelet reports at now. Parts equal to
// the reported status's are that status's own (shared, read-only), so
// that an unchanged status costs little to build and to compare.
func (pr *podRun) status(now time.Time) objects.PodStatus {
	pod := pr.pod
	old := &pod.Status
	st := objects.PodStatus{
		Phase:     pr.phase(),
		HostIP:    pr.k.cfg.InternalIP,
		StartTime: old.StartTime,
		QOSClass:  old.QOSClass,
	}
	// == rather than Equal: the very value, as the comparison with the
	// reported status (reflect.DeepEqual) sees it.
	if st.StartTime == nil || st.StartTime.Time != pr.seenAt {
		st.StartTime = objects.NewTimePtr(pr.seenAt)
	}
	if st.QOSClass == "" {
		st.QOSClass = qosClass(pod)
	}
	if pr.ip.IsValid() {
		st.PodIP = pr.ipText()
		st.PodIPs = old.PodIPs
		if len(st.PodIPs) != 1 || st.PodIPs[0] != (objects.PodIP{IP: st.PodIP}) {
			st.PodIPs = []objects.PodIP{{IP: st.PodIP}}
		}
	}
	if pr.deadline {
		st.Reason = ReasonDeadlineExceeded
		st.Message = "Pod was active on the node longer than the specified deadline"
	}
	if len(pr.containers) > 0 {
		st.ContainerStatuses = make([]objects.ContainerStatus, len(pr.containers))
		for i, c := range pr.containers {
			st.ContainerStatuses[i] = c.status()
			if i < len(old.ContainerStatuses) {
				shareUnchanged(&st.ContainerStatuses[i], &old.ContainerStatuses[i])
			}
		}
	}
	st.Conditions = pr.conditions(now, st)
	return st
}

// ipText is the pod's address as text, made once.
func (pr *podRun) ipText() string {
	if pr.ipString == "" {
		pr.ipString = pr.ip.String()
	}
	return pr.ipString
}

// shareUnchanged points cs's parts that equal those of was, the status
// reported before, at was's.
func shareUnchanged(cs, was *objects.ContainerStatus) {
	if cs.Started != nil && was.Started != nil && *cs.Started == *was.Started {
		cs.Started = was.Started
	}
	if s, w := cs.State.Running, was.State.Running; s != nil && w != nil && *s == *w {
		cs.State.Running = w
	}
	if s, w := cs.State.Waiting, was.State.Waiting; s != nil && w != nil && *s == *w {
		cs.State.Waiting = w
	}
}

// phase follows the kubelet's getPhase: Pending while a container has never
// started, Running while one runs or will restart, then Succeeded when every
// container exited 0 and Failed otherwise.
func (pr *podRun) phase() string {
	if pr.deadline {
		return objects.PodFailed
	}
	var waiting, running, stopped, succeeded int
	for _, c := range pr.containers {
		switch {
		case c.running:
			running++
		case !c.everStarted:
			waiting++
		default:
			stopped++
			if c.terminated != nil && c.terminated.ExitCode == 0 {
				succeeded++
			}
		}
	}
	switch {
	case pr.stopping && pr.finished() && running == 0 && stopped > 0:
		if stopped == succeeded && waiting == 0 {
			return objects.PodSucceeded
		}
		return objects.PodFailed
	case waiting > 0:
		return objects.PodPending
	case running > 0:
		return objects.PodRunning
	case pr.pod.Spec.RestartPolicy == objects.RestartPolicyAlways:
		return objects.PodRunning
	case stopped == succeeded:
		return objects.PodSucceeded
	case pr.pod.Spec.RestartPolicy == objects.RestartPolicyNever:
		return objects.PodFailed
	}
	return objects.PodRunning // OnFailure: a failed container will restart
}

// conditions computes the pod's conditions in upstream's order, keeping a
// condition's transition time while its status holds.
func (pr *podRun) conditions(now time.Time, st objects.PodStatus) []objects.PodCondition {
	terminal := st.Phase == objects.PodSucceeded || st.Phase == objects.PodFailed
	var unready []string
	for _, cs := range st.ContainerStatuses {
		if !cs.Ready {
			unready = append(unready, cs.Name)
		}
	}
	ready := objects.PodCondition{Type: objects.PodReady, Status: objects.ConditionTrue}
	switch {
	case terminal:
		ready = objects.PodCondition{Type: objects.PodReady, Status: objects.ConditionFalse, Reason: ReasonPodCompleted}
	case len(unready) > 0:
		ready = objects.PodCondition{Type: objects.PodReady, Status: objects.ConditionFalse, Reason: ReasonContainersNotReady,
			Message: "containers with unready status: [" + strings.Join(unready, " ") + "]"}
	}
	containersReady := ready
	containersReady.Type = objects.ContainersReady
	sandbox := objects.ConditionFalse
	if pr.sandboxUp && !(terminal && pr.stopping) {
		sandbox = objects.ConditionTrue
	}
	initialized := objects.PodCondition{Type: objects.PodInitialized, Status: objects.ConditionTrue}
	if terminal {
		initialized.Reason = ReasonPodCompleted
	}
	out := make([]objects.PodCondition, 4, 5) // and the scheduler's
	out[0] = objects.PodCondition{Type: objects.PodReadyToStartContainers, Status: sandbox}
	out[1], out[2], out[3] = initialized, ready, containersReady
	for _, c := range pr.pod.Status.Conditions {
		if c.Type == objects.PodScheduled {
			out = append(out, c) // the scheduler's
		}
	}
	for i := range out {
		out[i].LastTransitionTime = transitionTime(pr.pod.Status.Conditions, out[i], now)
	}
	return out
}

// transitionTime keeps the previous transition time of a condition whose
// status did not change.
func transitionTime(prev []objects.PodCondition, c objects.PodCondition, now time.Time) objects.Time {
	for _, p := range prev {
		if p.Type == c.Type && p.Status == c.Status && !p.LastTransitionTime.IsZero() {
			return p.LastTransitionTime
		}
	}
	if !c.LastTransitionTime.IsZero() {
		return c.LastTransitionTime
	}
	return objects.NewTime(now)
}

// status is the container's status as the kubelet reports it.
func (c *container) status() objects.ContainerStatus {
	started := c.running
	cs := objects.ContainerStatus{
		Name: c.spec.Name, Ready: c.ready, RestartCount: c.restarts, Started: &started,
		Image: c.spec.Image,
	}
	if c.everStarted {
		names := c.pr.k.imageNames(c.image)
		cs.Image, cs.ImageID = names.full, names.digest
	}
	switch {
	case c.running:
		cs.State.Running = &objects.ContainerStateRunning{StartedAt: objects.NewTime(c.current.started)}
		cs.ContainerID = c.containerID()
		cs.LastState.Terminated = c.last
	case c.crashLoop:
		cs.State.Waiting = &objects.ContainerStateWaiting{Reason: WaitingCrashLoopBackOff, Message: c.waitingMessage}
		cs.LastState.Terminated = c.terminated
	case c.configErr != "" && !c.pulling:
		cs.State.Waiting = &objects.ContainerStateWaiting{Reason: WaitingCreateContainerConfigError, Message: c.configErr}
		cs.LastState.Terminated = c.terminated
	case c.pullWaiting() != nil:
		cs.State.Waiting = c.pullWaiting()
		cs.LastState.Terminated = c.terminated
	case c.terminated != nil && c.restartAt.IsZero() && !c.pulling:
		cs.State.Terminated = c.terminated
		cs.ContainerID = c.terminated.ContainerID
		cs.LastState.Terminated = c.last
	case c.neverPull:
		cs.State.Waiting = &objects.ContainerStateWaiting{Reason: WaitingErrImageNeverPull,
			Message: fmt.Sprintf("Container image %q is not present with pull policy of Never", c.spec.Image)}
	default:
		cs.State.Waiting = &objects.ContainerStateWaiting{Reason: WaitingContainerCreating}
		cs.LastState.Terminated = c.terminated
	}
	return cs
}

// qosClass classifies a pod as upstream's GetPodQOS does.
func qosClass(pod *objects.Pod) string {
	any, guaranteed := false, true
	for _, c := range pod.Spec.Containers {
		for _, name := range []string{objects.ResourceCPU, objects.ResourceMemory} {
			req, hasReq := c.Resources.Requests[name]
			lim, hasLim := c.Resources.Limits[name]
			if hasReq || hasLim {
				any = true
			}
			if !hasLim || (hasReq && req.Cmp(lim) != 0) {
				guaranteed = false
			}
		}
	}
	switch {
	case !any:
		return "BestEffort"
	case guaranteed:
		return "Guaranteed"
	}
	return "Burstable"
}

// fullImageName is the image as the runtime reports it:
// "docker.io/library/nginx:latest" for "nginx".
func fullImageName(img images.Image) string {
	ref := img.Ref
	name := ref
	if i := strings.LastIndex(ref, "@"); i >= 0 {
		name = ref[:i]
	} else if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		name = ref[:i]
	}
	first, _, hasSlash := strings.Cut(name, "/")
	switch {
	case !hasSlash:
		name = "docker.io/library/" + name
	case !strings.ContainsAny(first, ".:") && first != "localhost":
		name = "docker.io/" + name
	}
	tag := img.Tag
	if tag == "" {
		tag = "latest"
	}
	return name + ":" + tag
}

// imageNames are an image's names in a container's status: its full name
// and its digest reference.
type imageNames struct{ full, digest string }

// imageNames returns img's names, worked out once per image and node:
// status is reported on every sync.
func (k *Kubelet) imageNames(img images.Image) imageNames {
	key := [2]string{img.Ref, img.Tag}
	names, ok := k.imageNameCache[key]
	if !ok {
		names = imageNames{full: fullImageName(img), digest: imageDigest(img)}
		k.imageNameCache[key] = names
	}
	return names
}

// imageDigest is a stable, made-up digest reference for the image.
func imageDigest(img images.Image) string {
	full := fullImageName(img)
	return full[:strings.LastIndex(full, ":")] + "@sha256:" + hexID("image", full)
}

// hexID derives a stable 64-hex-digit ID from its parts.
func hexID(parts ...any) string {
	sum := sha256.Sum256(fmt.Append(nil, parts...))
	return hex.EncodeToString(sum[:])
}

func joinPath(base, sub string) string { return path.Join("/", base, sub) }
