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

// status is the pod status the kubelet reports at now.
func (pr *podRun) status(now time.Time) objects.PodStatus {
	pod := pr.pod
	st := objects.PodStatus{
		Phase:     pr.phase(),
		HostIP:    pr.k.cfg.InternalIP,
		StartTime: objects.NewTimePtr(pr.seenAt),
		QOSClass:  pod.Status.QOSClass,
	}
	if st.QOSClass == "" {
		st.QOSClass = qosClass(pod)
	}
	if pr.ip.IsValid() {
		st.PodIP = pr.ip.String()
		st.PodIPs = []objects.PodIP{{IP: st.PodIP}}
	}
	if pr.deadline {
		st.Reason = ReasonDeadlineExceeded
		st.Message = "Pod was active on the node longer than the specified deadline"
	}
	for _, c := range pr.containers {
		st.ContainerStatuses = append(st.ContainerStatuses, c.status())
	}
	st.Conditions = pr.conditions(now, st)
	return st
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
			Message: fmt.Sprintf("containers with unready status: [%s]", strings.Join(unready, " "))}
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
	out := []objects.PodCondition{
		{Type: objects.PodReadyToStartContainers, Status: sandbox},
		initialized, ready, containersReady,
	}
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
		cs.Image = fullImageName(c.image)
		cs.ImageID = c.imageID()
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

// imageDigest is a stable, made-up digest reference for the image.
func imageDigest(img images.Image) string {
	full := fullImageName(img)
	return full[:strings.LastIndex(full, ":")] + "@sha256:" + hexID("image", full)
}

// hexID derives a stable 64-hex-digit ID from its parts.
func hexID(parts ...any) string {
	sum := sha256.Sum256([]byte(fmt.Sprint(parts...)))
	return hex.EncodeToString(sum[:])
}

func joinPath(base, sub string) string { return path.Join("/", base, sub) }
