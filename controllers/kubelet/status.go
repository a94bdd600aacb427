package kubelet

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
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

// statusPod is a pod version the kubelet may write, with room for its
// status's lists: the usual pod's status is one allocation.
type statusPod struct {
	pod        objects.Pod
	containers [2]objects.ContainerStatus
	conditions [5]objects.PodCondition // four of the kubelet's, the scheduler's
}

// own moves the status's lists into b's room where they fit: a written
// version must not share a list with the version before it, which would
// keep every earlier version's statusPod alive.
func (b *statusPod) own() {
	st := &b.pod.Status
	if n := len(st.ContainerStatuses); n > 0 && n <= len(b.containers) && &st.ContainerStatuses[0] != &b.containers[0] {
		st.ContainerStatuses = b.containers[:copy(b.containers[:], st.ContainerStatuses):n]
	}
	if n := len(st.Conditions); n > 0 && n <= len(b.conditions) && &st.Conditions[0] != &b.conditions[0] {
		st.Conditions = b.conditions[:copy(b.conditions[:], st.Conditions)]
	}
}

// status writes the pod status the kubelet reports at now into b. Parts
// equal to the reported status's are that status's own (shared, read-only)
// and are not built anew, so that an unchanged status costs little to
// build and to compare; new lists are built in b's room.
func (pr *podRun) status(now time.Time, b *statusPod) {
	pod := pr.pod
	old := &pod.Status
	st := &b.pod.Status
	*st = objects.PodStatus{
		Phase:     pr.phase(),
		HostIP:    pr.k.cfg.InternalIP,
		StartTime: old.StartTime,
		QOSClass:  old.QOSClass,
	}
	// == rather than Equal: the very value, as the comparison with the
	// reported status (reflect.DeepEqual) sees it.
	if st.StartTime == nil || *st.StartTime != *pr.startTime {
		st.StartTime = pr.startTime
	}
	if st.QOSClass == "" {
		st.QOSClass = qosClass(pod)
	}
	if pr.ip.IsValid() {
		st.PodIP = pr.ipText()
		st.PodIPs = old.PodIPs
		if len(st.PodIPs) != 1 || st.PodIPs[0] != (objects.PodIP{IP: st.PodIP}) {
			st.PodIPs = pr.podIPs()
		}
	}
	if pr.deadline {
		st.Reason = ReasonDeadlineExceeded
		st.Message = "Pod was active on the node longer than the specified deadline"
	}
	st.ContainerStatuses = pr.containerStatuses(old.ContainerStatuses, b.containers[:0])
	st.Conditions = pr.conditions(now, st, b.conditions[:0])
}

// ipText is the pod's address as text, made once.
func (pr *podRun) ipText() string {
	if pr.ipString == "" {
		pr.ipString = pr.ip.String()
	}
	return pr.ipString
}

// podIPs is status.podIPs for the pod's address, made once per address
// (startSandbox forgets it); the statuses that report it share it.
func (pr *podRun) podIPs() []objects.PodIP {
	if pr.ipList == nil {
		pr.ipList = []objects.PodIP{{IP: pr.ipText()}}
	}
	return pr.ipList
}

// containerStatuses is the containers' statuses: was itself when every
// one equals the status reported before, else a new list, in room when it
// fits.
func (pr *podRun) containerStatuses(was, room []objects.ContainerStatus) []objects.ContainerStatus {
	if len(pr.containers) == 0 {
		return nil
	}
	buf := make([]objects.ContainerStatus, 0, 4) // on the stack for most pods
	same := len(was) == len(pr.containers)
	for i, c := range pr.containers {
		var prev *objects.ContainerStatus
		if i < len(was) {
			prev = &was[i]
		}
		cs := c.status(prev)
		same = same && cs == was[i]
		buf = append(buf, cs)
	}
	if same {
		return was
	}
	if len(buf) > cap(room) {
		room = make([]objects.ContainerStatus, 0, len(buf))
	}
	return append(room, buf...)[:len(buf):len(buf)]
}

// shared returns was when it points at v, else a new pointer to v: a
// status part that did not change stays the reported status's own.
func shared[T comparable](v T, was *T) *T {
	if was != nil && *was == v {
		return was
	}
	p := new(T)
	*p = v
	return p
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
// condition's transition time while its status holds. They are the
// reported status's own list when every one is unchanged, else a new
// list, in room when it fits.
func (pr *podRun) conditions(now time.Time, st *objects.PodStatus, room []objects.PodCondition) []objects.PodCondition {
	prev := pr.pod.Status.Conditions
	terminal := st.Phase == objects.PodSucceeded || st.Phase == objects.PodFailed
	ready := objects.PodCondition{Type: objects.PodReady, Status: objects.ConditionTrue}
	switch {
	case terminal:
		ready = objects.PodCondition{Type: objects.PodReady, Status: objects.ConditionFalse, Reason: ReasonPodCompleted}
	case !allReady(st.ContainerStatuses):
		ready = objects.PodCondition{Type: objects.PodReady, Status: objects.ConditionFalse, Reason: ReasonContainersNotReady,
			Message: unreadyMessage(st.ContainerStatuses, conditionMessage(prev, objects.PodReady), pr.k.lastUnready)}
		pr.k.lastUnready = ready.Message
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
	out := make([]objects.PodCondition, 4, 5) // and the scheduler's; on the stack
	out[0] = objects.PodCondition{Type: objects.PodReadyToStartContainers, Status: sandbox}
	out[1], out[2], out[3] = initialized, ready, containersReady
	for _, c := range prev {
		if c.Type == objects.PodScheduled {
			out = append(out, c) // the scheduler's
		}
	}
	for i := range out {
		out[i].LastTransitionTime = transitionTime(prev, out[i], now)
	}
	if slices.Equal(out, prev) {
		return prev
	}
	if len(out) > cap(room) {
		room = make([]objects.PodCondition, 0, len(out))
	}
	return append(room, out...)
}

// allReady reports whether every container is ready.
func allReady(statuses []objects.ContainerStatus) bool {
	for i := range statuses {
		if !statuses[i].Ready {
			return false
		}
	}
	return true
}

// unreadyMessage is the Ready condition's message naming the containers
// that are not ready: one of known (the message reported before, the
// last one the node made) when it is the same text, so that the pods of a
// Job share theirs.
func unreadyMessage(statuses []objects.ContainerStatus, known ...string) string {
	var buf [128]byte
	b := append(buf[:0], "containers with unready status: ["...)
	first := true
	for i := range statuses {
		if statuses[i].Ready {
			continue
		}
		if !first {
			b = append(b, ' ')
		}
		b, first = append(b, statuses[i].Name...), false
	}
	b = append(b, ']')
	for _, k := range known {
		if string(b) == k {
			return k
		}
	}
	return string(b)
}

// conditionMessage is the message of the condition of type t in conds.
func conditionMessage(conds []objects.PodCondition, t string) string {
	for i := range conds {
		if conds[i].Type == t {
			return conds[i].Message
		}
	}
	return ""
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

// status is the container's status as the kubelet reports it. Its
// pointers are was's (the status reported before, or nil) where they
// point at equal values, so that an unchanged status allocates nothing.
func (c *container) status(was *objects.ContainerStatus) objects.ContainerStatus {
	var prev objects.ContainerStatus
	if was != nil {
		prev = *was
	}
	cs := objects.ContainerStatus{
		Name: c.spec.Name, Ready: c.ready, RestartCount: c.restarts, Started: shared(c.running, prev.Started),
		Image: c.spec.Image,
	}
	if c.everStarted {
		names := c.pr.k.imageNames(c.image)
		cs.Image, cs.ImageID = names.full, names.digest
	}
	waiting := func(w objects.ContainerStateWaiting) *objects.ContainerStateWaiting {
		return shared(w, prev.State.Waiting)
	}
	switch {
	case c.running:
		cs.State.Running = shared(objects.ContainerStateRunning{StartedAt: objects.NewTime(c.current.started)}, prev.State.Running)
		cs.ContainerID = c.containerID()
		cs.LastState.Terminated = c.last
	case c.crashLoop:
		cs.State.Waiting = waiting(objects.ContainerStateWaiting{Reason: WaitingCrashLoopBackOff, Message: c.waitingMessage})
		cs.LastState.Terminated = c.terminated
	case c.configErr != "" && !c.pulling:
		cs.State.Waiting = waiting(objects.ContainerStateWaiting{Reason: WaitingCreateContainerConfigError, Message: c.configErr})
		cs.LastState.Terminated = c.terminated
	case c.pull.shownReason != "":
		cs.State.Waiting = waiting(c.pullWaiting())
		cs.LastState.Terminated = c.terminated
	case c.terminated != nil && c.restartAt.IsZero() && !c.pulling:
		cs.State.Terminated = c.terminated
		cs.ContainerID = c.terminated.ContainerID
		cs.LastState.Terminated = c.last
	case c.neverPull:
		cs.State.Waiting = waiting(objects.ContainerStateWaiting{Reason: WaitingErrImageNeverPull,
			Message: fmt.Sprintf("Container image %q is not present with pull policy of Never", c.spec.Image)})
	default:
		cs.State.Waiting = waiting(objects.ContainerStateWaiting{Reason: WaitingContainerCreating})
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
