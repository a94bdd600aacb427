package kubelet

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/mutant"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/objects"
)

// Kubelet event reasons, as upstream records them (pkg/kubelet/events).
const (
	ReasonPulling           = "Pulling"
	ReasonPulled            = "Pulled"
	ReasonCreated           = "Created"
	ReasonStarted           = "Started"
	ReasonKilling           = "Killing"
	ReasonBackOff           = "BackOff"
	ReasonErrImageNeverPull = "ErrImageNeverPull"
	ReasonUnhealthy         = "Unhealthy"
)

// Container waiting reasons (the STATUS kubectl shows).
const (
	WaitingContainerCreating = "ContainerCreating"
	WaitingCrashLoopBackOff  = "CrashLoopBackOff"
	WaitingErrImageNeverPull = "ErrImageNeverPull"
)

// instance is one run of a container: from start until it exited or was
// killed (end zero while running). Its process runs live, as far as the
// kubelet's clock: what it writes lands in the container's files at the
// virtual time it writes it.
type instance struct {
	started time.Time
	end     time.Time
	proc    *workload.Proc
}

// exited reports whether the process has exited by itself, with its
// status and when.
func (in *instance) exited() (code int32, at time.Time, ok bool) {
	c, d, ok := in.proc.Exited()
	return int32(c), in.started.Add(d), ok
}

// runTo lets the process run up to at.
func (in *instance) runTo(at time.Time, net workload.Network) {
	in.proc.RunUntil(at.Sub(in.started), net)
}

// wake is when the process next has something to do by itself.
func (in *instance) wake() (time.Time, bool) {
	d, ok := in.proc.NextWake()
	return in.started.Add(d), ok
}

// container is the node's state for one container of a pod.
type container struct {
	pr   *podRun
	spec objects.Container
	// fieldPath is the container's in its pod's events (about).
	fieldPath string
	image     images.Image
	fs        *vfs.View

	everStarted bool
	// pulling is set while an image pull (or registry check) runs.
	pulling  bool
	pullDone time.Time
	pullNote string // the Pulled event's message, sent when the pull ends
	// restartAt, when set, is when a stopped container starts again.
	restartAt      time.Time
	crashLoop      bool
	waitingMessage string
	neverPull      bool
	// pull is the image manager's record of the image (pull.go).
	pull pullState
	// configErr, when set, is why the container's configuration could not
	// be generated (a missing Secret, ConfigMap or key). configRetryAt is
	// the pod worker's next sync after one that failed to start the
	// container (that, or its image could not be pulled).
	configErr     string
	configRetryAt time.Time
	// env is the environment of the current run, fixed when it started.
	env []workload.EnvVar
	// replace marks a container killed because its definition changed: it
	// starts again at once, whatever the restart policy and back-off.
	replace bool

	running  bool
	current  *instance
	previous *instance
	// stopAt, when set, is when a signalled container exits, with stopCode;
	// graceful says its server stops cleanly on SIGTERM then.
	stopAt   time.Time
	graceful bool
	stopCode int32

	terminated *objects.ContainerStateTerminated
	last       *objects.ContainerStateTerminated
	restarts   int32
	backoff    time.Duration

	ready                  bool
	nextProbe              time.Time
	probeOK, probeFailures int32

	// id caches containerID, for the restart count it was made for.
	id    string
	idFor int32
}

// newContainer is the node's state for a container of pr not yet started.
func newContainer(pr *podRun, spec objects.Container) container {
	return container{pr: pr, spec: spec, image: pr.k.refFacts(spec.Image).builtin}
}

// step makes the first transition of c that is due at or before now and
// reports whether it made one.
func (c *container) step(now time.Time, mayStart bool, res *controllers.Result) bool {
	switch {
	case c.running && c.exitedBy(now):
		code, at, _ := c.current.exited()
		c.exit(at, code, res)
	case c.running && !c.stopAt.IsZero() && !now.Before(c.stopAt):
		if c.graceful && c.fs != nil {
			c.image.Stopped(c.fs, c.stopAt)
		}
		c.exit(c.stopAt, c.stopCode, res)
	case c.running && c.wakeDue(now):
		c.current.runTo(now, c.pr.k.cfg.Network)
	case c.running && c.spec.ReadinessProbe != nil && !now.Before(c.nextProbe):
		c.probe(now, res)
	case c.pulling && !now.Before(c.pullDone):
		c.endPull(now, res)
	case !c.running && !c.pulling && mayStart && c.wantsStart(now):
		c.beginPull(now, res)
	default:
		return false
	}
	return true
}

// exitedBy reports whether the running process exits by itself at or
// before now (or before a pending kill), running it that far first.
func (c *container) exitedBy(now time.Time) bool {
	limit := now
	if !c.stopAt.IsZero() && c.stopAt.Before(limit) {
		limit = c.stopAt
	}
	if c.wakeDue(limit) {
		c.current.runTo(limit, c.pr.k.cfg.Network)
	}
	_, at, ok := c.current.exited()
	return ok && !at.After(limit)
}

// wakeDue reports whether the running process has something to do at or
// before now.
func (c *container) wakeDue(now time.Time) bool {
	at, ok := c.current.wake()
	return ok && !at.After(now)
}

// wantsStart reports whether c should start now: its first start, or a
// restart whose back-off has ended.
func (c *container) wantsStart(now time.Time) bool {
	if c.neverPull || now.Before(c.configRetryAt) {
		return false
	}
	if !c.everStarted {
		return true
	}
	return !c.restartAt.IsZero() && !now.Before(c.restartAt)
}

// willRun reports whether c is not running but will start (again).
func (c *container) willRun() bool {
	return !c.running && (!c.everStarted || c.pulling || !c.restartAt.IsZero())
}

// about makes ev about c rather than its pod as a whole, as the kubelet's
// container events are: the pod's reference with the container's field
// path (kubecontainer.GenerateContainerRef), which `kubectl get events -o
// wide` shows as SUBOBJECT.
func (c *container) about(ev controllers.Event) controllers.Event {
	if c.fieldPath == "" {
		c.fieldPath = c.pr.k.startMessages(c.spec.Name).fieldPath
	}
	ev.Regarding.FieldPath = c.fieldPath
	return ev
}

// start creates and starts the container once its image is there.
func (c *container) start(now time.Time, res *controllers.Result) {
	pod := c.pr.pod
	c.pr.k.images[c.spec.Image] = true
	if c.pullNote != "" {
		res.Events = append(res.Events, c.about(controllers.Normal(pod, ReasonPulled, c.pullNote)))
	}
	env, err := c.pr.env(c.spec)
	if err != nil {
		c.configFailed(now, err, res)
		return
	}
	c.env, c.configErr, c.configRetryAt = env, "", time.Time{}
	msgs := c.pr.k.startMessages(c.spec.Name)
	res.Events = append(res.Events,
		c.about(controllers.Normal(pod, ReasonCreated, msgs.created)),
		c.about(controllers.Normal(pod, ReasonStarted, msgs.started)))
	if c.everStarted {
		c.restarts++
		c.last = c.terminated
	}
	c.pulling, c.everStarted, c.crashLoop = false, true, false
	c.restartAt = time.Time{}
	c.terminated = nil
	c.fs = c.pr.view(c.spec, c.image, now)
	c.dropPrevious()
	c.previous = c.current
	c.current = &instance{started: now, proc: workload.Start(c.process(now))}
	c.current.runTo(now, c.pr.k.cfg.Network)
	c.running = true
	c.ready = c.spec.ReadinessProbe == nil
	c.probeOK, c.probeFailures = 0, 0
	if p := c.spec.ReadinessProbe; p != nil {
		c.nextProbe = now.Add(time.Duration(p.InitialDelaySeconds) * time.Second)
	}
}

// startMessages are the Created and Started events' messages for a
// container name.
type startMessages struct{ created, started, fieldPath string }

// maxCachedNames bounds Kubelet.startMsgs.
const maxCachedNames = 256

// startMessages returns the messages (and the field path) for name, made
// once per name and node (up to maxCachedNames names): a Job's pods share
// their names.
func (k *Kubelet) startMessages(name string) startMessages {
	m, ok := k.startMsgs[name]
	if !ok {
		m = startMessages{created: "Created container: " + name, started: "Started container " + name,
			fieldPath: "spec.containers{" + name + "}"}
		if k.startMsgs == nil {
			k.startMsgs = map[string]startMessages{}
		}
		if len(k.startMsgs) < maxCachedNames {
			k.startMsgs[name] = m
		}
	}
	return m
}

// configFailed records a container whose configuration could not be
// generated, as kuberuntime's startContainer does: a Failed event, the
// CreateContainerConfigError waiting state, and another try after the pod
// worker's back-off.
func (c *container) configFailed(now time.Time, err error, res *controllers.Result) {
	c.pulling, c.crashLoop, c.pullNote = false, false, ""
	c.configErr = err.Error()
	c.configRetryAt = now.Add(configRetry)
	res.Events = append(res.Events, c.about(controllers.Warning(c.pr.pod, ReasonFailed, "Error: "+c.configErr)))
}

// process describes the container's main process to the workload model.
func (c *container) process(start time.Time) workload.Process {
	p := workload.Process{
		Argv:      images.ResolveArgv(c.image, c.spec.Command, c.spec.Args),
		Env:       c.env,
		Hostname:  c.pr.hostname(),
		FS:        c.fs,
		Start:     start,
		Image:     c.image,
		Net:       c.pr.k.cfg.Network,
		DNSSearch: c.pr.k.podSearch(c.pr.pod),
		Scripts:   c.pr.k.scripts,
	}
	if s, ok := c.pr.pod.Annotations[DurationAnnotation]; ok {
		if d, err := time.ParseDuration(s); err == nil && d >= 0 {
			p.DurationOverride = &d
		}
	}
	return p
}

// dropPrevious frees the process of the run before the current one, which
// a new start makes unreachable (kubectl logs --previous shows only the
// last run).
func (c *container) dropPrevious() {
	if c.previous != nil {
		c.previous.proc.Kill()
	}
}

// exit ends the current run at time at with code, then applies the
// restart policy.
func (c *container) exit(at time.Time, code int32, res *controllers.Result) {
	c.current.end = at
	run := c.current.proc.Result()
	c.current.proc.Kill() // a kill ends it now; an exit has already ended it
	reason, message := "Completed", ""
	switch {
	case run.Stop == workload.StopStartError && c.stopAt.IsZero():
		reason, message = "StartError", run.StartError
	case code != 0:
		reason = "Error"
	}
	c.terminated = &objects.ContainerStateTerminated{ExitCode: code, Reason: reason, Message: message,
		StartedAt: objects.NewTime(c.current.started), FinishedAt: objects.NewTime(at),
		ContainerID: c.containerID()}
	c.running, c.ready = false, false
	c.stopAt, c.graceful = time.Time{}, false
	if c.replace && !c.pr.stopping {
		c.replace = false
		c.restartAt = at
		return
	}
	if c.pr.stopping || !c.restartsAfter(code) {
		return
	}
	c.scheduleRestart(at, res)
}

// restartsAfter reports whether the pod's restart policy restarts an exit with code.
func (c *container) restartsAfter(code int32) bool {
	switch c.pr.pod.Spec.RestartPolicy {
	case objects.RestartPolicyNever:
		return mutant.On("kubelet-restarts-never") // #83705: Never restarted anyway
	case objects.RestartPolicyOnFailure:
		return code != 0
	}
	return true
}

// scheduleRestart applies the crash-loop back-off to a container that
// stopped at time at: the first restart happens at once, later ones wait
// 10s, 20s, 40s... up to 5 minutes; a run of 10 minutes clears the back-off.
func (c *container) scheduleRestart(at time.Time, res *controllers.Result) {
	if at.Sub(c.current.started) >= backoffReset {
		c.backoff = 0
	}
	if mutant.On("kubelet-no-crashloop-backoff") { // #2529: restarted at the next relist (1s), never backed off
		c.restartAt = at.Add(time.Second)
		return
	}
	if c.backoff == 0 {
		c.restartAt = at
		c.backoff = backoffBase
		return
	}
	c.restartAt = at.Add(c.backoff)
	c.crashLoop = true
	pod := c.pr.pod
	res.Events = append(res.Events, c.about(controllers.Warning(pod, ReasonBackOff,
		fmt.Sprintf("Back-off restarting failed container %s in pod %s", c.spec.Name, podDesc(pod)))))
	c.waitingMessage = fmt.Sprintf("back-off %v restarting failed container=%s pod=%s", c.backoff, c.spec.Name, podDesc(pod))
	c.backoff = min(c.backoff*2, backoffMax)
}

// podDesc names a pod as the kubelet's messages do: name_namespace(uid).
func podDesc(pod *objects.Pod) string {
	return fmt.Sprintf("%s_%s(%s)", pod.Name, pod.Namespace, pod.UID)
}

// terminate sends SIGTERM at now. Servers exit shortly; a shell or sleep
// running as PID 1 has no SIGTERM handler, so it runs on until killAt.
func (c *container) terminate(now, killAt time.Time, res *controllers.Result) {
	c.pulling, c.crashLoop = false, false
	c.restartAt, c.configRetryAt = time.Time{}, time.Time{}
	if !c.running {
		return
	}
	res.Events = append(res.Events, c.about(controllers.Normal(c.pr.pod, ReasonKilling, "Stopping container "+c.spec.Name)))
	c.stopAt, c.stopCode, c.graceful = killAt, sigkillExit, false
	if c.image.Server != images.NoServer && now.Add(serverStop).Before(killAt) {
		c.stopAt, c.stopCode, c.graceful = now.Add(serverStop), 0, true
	}
}

// probe runs the readiness probe at its due time and schedules the next.
func (c *container) probe(now time.Time, res *controllers.Result) {
	p := c.spec.ReadinessProbe
	if c.probeSucceeds(p, now) {
		c.probeOK++
		c.probeFailures = 0
		if c.probeOK >= max(p.SuccessThreshold, 1) {
			c.ready = true
		}
	} else {
		c.probeFailures++
		c.probeOK = 0
		if c.probeFailures >= max(p.FailureThreshold, 1) {
			c.ready = false
		}
		res.Events = append(res.Events, c.about(controllers.Warning(c.pr.pod, ReasonUnhealthy, "Readiness probe failed: "+c.probeFailure(p))))
	}
	c.nextProbe = now.Add(time.Duration(max(p.PeriodSeconds, 1)) * time.Second)
}

// probeSucceeds evaluates a probe: an exec probe runs its command in the
// container; an HTTP or TCP probe succeeds when a server listens.
func (c *container) probeSucceeds(p *objects.Probe, now time.Time) bool {
	switch {
	case p.Exec != nil:
		proc := workload.Process{Argv: p.Exec.Command, Env: c.env, Hostname: c.pr.hostname(),
			FS: c.fs, Start: now, Image: c.image, Net: c.pr.k.cfg.Network, DNSSearch: c.pr.k.podSearch(c.pr.pod)}
		r := workload.Run(proc, time.Duration(max(p.TimeoutSeconds, 1))*time.Second)
		return r.Exited && r.ExitCode == 0
	case p.HTTPGet != nil, p.TCPSocket != nil:
		return c.image.Server != images.NoServer
	}
	return true
}

// probeFailure is the reason text of a failed probe.
func (c *container) probeFailure(p *objects.Probe) string {
	switch {
	case p.HTTPGet != nil:
		return fmt.Sprintf("Get \"http://%s:%s%s\": dial tcp %s:%s: connect: connection refused",
			c.pr.ip, p.HTTPGet.Port.String(), p.HTTPGet.Path, c.pr.ip, p.HTTPGet.Port.String())
	case p.TCPSocket != nil:
		return fmt.Sprintf("dial tcp %s:%s: connect: connection refused", c.pr.ip, p.TCPSocket.Port.String())
	}
	return ""
}

// dueTimes appends to out the future moments c has something to do.
func (c *container) dueTimes(out []time.Time) []time.Time {
	if c.pulling {
		out = append(out, c.pullDone)
	}
	if !c.restartAt.IsZero() {
		out = append(out, c.restartAt)
	}
	if !c.running && !c.configRetryAt.IsZero() {
		out = append(out, c.configRetryAt)
	}
	if c.running {
		if !c.stopAt.IsZero() {
			out = append(out, c.stopAt)
		}
		if _, at, ok := c.current.exited(); ok {
			out = append(out, at)
		} else if at, ok := c.current.wake(); ok {
			out = append(out, at)
		}
		if c.spec.ReadinessProbe != nil {
			out = append(out, c.nextProbe)
		}
	}
	return out
}

// containerID is the runtime's ID for the current run, stable for a given
// pod, container and restart count.
func (c *container) containerID() string {
	if c.idFor != c.restarts || c.id == "" {
		c.id, c.idFor = runtimeContainerID(c.pr.uid, c.spec.Name, c.restarts), c.restarts
	}
	return c.id
}

// containerIDScheme prefixes the runtime's container IDs.
const containerIDScheme = "containerd://"

// runtimeContainerID is "containerd://" and hexID(uid, name, restarts),
// spelt out without fmt: each container start asks for one.
// fmt.Append puts no spaces between these operands (one of each pair is
// a string), so the digest is of uid, name and restarts in decimal.
func runtimeContainerID(uid, name string, restarts int32) string {
	var in [128]byte
	b := append(append(in[:0], uid...), name...)
	sum := sha256.Sum256(strconv.AppendInt(b, int64(restarts), 10))
	var out [len(containerIDScheme) + 2*sha256.Size]byte
	copy(out[:], containerIDScheme)
	hex.Encode(out[len(containerIDScheme):], sum[:])
	return string(out[:])
}
