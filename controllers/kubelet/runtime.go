package kubelet

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Timing of the node's machinery. Chosen to match what a small real cluster
// shows: a pod is Running about ten seconds after creation when its image
// must be pulled, at once when the image is cached.
const (
	sandboxDelay  = time.Second      // creating the pod sandbox and its network
	registryCheck = time.Second      // resolving a cached image's digest (pull policy Always)
	pullBandwidth = 30 * 1000 * 1000 // bytes per second of image download
	serverStop    = time.Second      // nginx and mysql exit this long after SIGTERM
	backoffBase   = 10 * time.Second // the kubelet's crash-loop back-off starts here,
	backoffMax    = 5 * time.Minute  // doubles up to here,
	backoffReset  = 10 * time.Minute // and is forgotten after this much clean running
	sigkillExit   = int32(137)       // 128 + SIGKILL
)

// DurationAnnotation on a pod overrides how long each of its containers
// runs, whatever its command ("90s", "1m54s").
const DurationAnnotation = "sim.kubesim.io/run-duration"

// podRun is the node's state for one pod.
type podRun struct {
	k         *Kubelet
	uid       string
	pod       *objects.Pod
	seenAt    time.Time
	sandboxAt time.Time // when the sandbox is (or was) ready
	sandboxUp bool
	// sandboxGone is set once a terminated pod's sandbox is torn down: its
	// address is back in the node's pool while status.podIP keeps it.
	sandboxGone bool
	ip          netip.Addr
	ipString    string          // ip as text, once asked for (ipText)
	ipList      []objects.PodIP // status.podIPs for ip, once asked for (podIPs)
	// startTime is status.startTime: when the kubelet first saw the pod.
	startTime  *objects.Time
	containers []*container
	volumes    map[string]*vfs.FS
	// volumeDirs are the directories of volumes that are part of a larger
	// filesystem (nfs and claims); the others are their FS's root.
	volumeDirs map[string]string
	// readOnlyVolumes are the projected volumes (secret, configMap,
	// downwardAPI), which the kubelet mounts read-only.
	readOnlyVolumes map[string]bool
	// mountBackoff is the volume manager's current wait after a failed mount.
	mountBackoff time.Duration
	// r is the store view of the Reconcile in progress, which Secrets and
	// ConfigMaps are read from; it is only used during that Reconcile.
	r storage.Reader
	// stopping is set once the pod is being deleted or its deadline passed.
	stopping bool
	deadline bool // the pod's activeDeadlineSeconds ran out
	removed  bool // the final delete was issued
	// wrote is the pod version of the kubelet's last status update: the
	// store keeps the object it is given, so its watch event carries this
	// very object, which the kubelet need not sync again (see KeysFor).
	wrote *objects.Pod
	// one and oneList hold a one-container pod's container and its list
	// (containers), in the podRun itself.
	one     container
	oneList [1]*container
}

// admit starts tracking a pod newly bound to the node.
func (k *Kubelet) admit(now time.Time, pod *objects.Pod) *podRun {
	pr := &podRun{k: k, uid: pod.UID, pod: pod, seenAt: now, sandboxAt: now.Add(sandboxDelay),
		startTime: objects.NewTimePtr(now)}
	if len(pod.Spec.Volumes) > 0 { // most pods of a Job have none
		pr.volumes, pr.volumeDirs, pr.readOnlyVolumes = map[string]*vfs.FS{}, map[string]string{}, map[string]bool{}
	}
	for _, v := range pod.Spec.Volumes {
		if v.EmptyDir != nil {
			pr.volumes[v.Name] = vfs.New()
		}
	}
	if len(pod.Spec.Containers) == 1 { // most pods: the container in the podRun
		pr.one = newContainer(pr, pod.Spec.Containers[0])
		pr.oneList[0] = &pr.one
		pr.containers = pr.oneList[:]
	} else {
		for i := range pod.Spec.Containers {
			c := newContainer(pr, pod.Spec.Containers[i])
			pr.containers = append(pr.containers, &c)
		}
	}
	k.pods[objects.KeyOf(pod)] = pr
	return pr
}

// advance runs every transition due at or before now, in order, adding the
// events they produce to res.
func (pr *podRun) advance(now time.Time, res *controllers.Result) {
	pr.checkStopping(now, res)
	pr.checkSpecChanges(now, res)
	if !pr.sandboxUp && !pr.sandboxGone && !now.Before(pr.sandboxAt) && !pr.stopping && pr.mountVolumes(now, res) && pr.mountExternalVolumes(now, res) {
		pr.startSandbox(now, res)
	}
	for progressed := true; progressed; {
		progressed = false
		for i, c := range pr.containers {
			if c.step(now, pr.mayStart(i), res) {
				progressed = true
			}
		}
	}
}

// mayStart reports whether container i may begin starting: the sandbox is
// up, the pod is not stopping, and (for a first start) every container
// before it has started or failed to get its image, since the kubelet
// starts them in order and goes on past one it cannot start.
func (pr *podRun) mayStart(i int) bool {
	if !pr.sandboxUp || pr.stopping {
		return false
	}
	for _, c := range pr.containers[:i] {
		if !c.everStarted && c.pull.reason == "" {
			return false
		}
	}
	return true
}

// checkSpecChanges restarts containers whose image was changed by an
// update (the only container change a pod update may make), as the kubelet
// does when a container's definition hash changes.
func (pr *podRun) checkSpecChanges(now time.Time, res *controllers.Result) {
	if pr.stopping {
		return
	}
	for i, c := range pr.containers {
		if i >= len(pr.pod.Spec.Containers) || pr.pod.Spec.Containers[i].Image == c.spec.Image {
			continue
		}
		c.spec = pr.pod.Spec.Containers[i]
		c.image = pr.k.refFacts(c.spec.Image).builtin
		if c.running {
			res.Events = append(res.Events, c.about(controllers.Normal(pr.pod, ReasonKilling,
				fmt.Sprintf("Container %s definition changed, will be restarted", c.spec.Name))))
			c.stopAt, c.stopCode, c.replace, c.graceful = now, sigkillExit, true, false
		} else {
			c.imageChanged()
		}
	}
}

// startSandbox gives the pod its network: an address from the node's range.
func (pr *podRun) startSandbox(now time.Time, res *controllers.Result) {
	ip, err := pr.k.ipam.allocate()
	if err != nil {
		res.Events = append(res.Events, controllers.Warning(pr.pod, "FailedCreatePodSandBox",
			fmt.Sprintf("Failed to create pod sandbox: plugin type=\"bridge\" failed (add): %v", err)))
		pr.sandboxAt = now.Add(10 * time.Second)
		return
	}
	pr.ip, pr.ipString, pr.ipList = ip, "", nil
	pr.sandboxUp = true
}

// tearDown removes the sandbox of a pod whose containers will never run
// again, as the kubelet's syncTerminatedPod does: the CNI DEL returns the
// address to the node's pool, while the pod's status keeps showing it.
// It happens once; a later forget must not free the address again.
func (pr *podRun) tearDown() {
	if !pr.sandboxUp {
		return
	}
	pr.sandboxUp, pr.sandboxGone = false, true
	if pr.ip.IsValid() {
		pr.k.ipam.release(pr.ip)
	}
}

// checkStopping notices a deletion or an expired activeDeadlineSeconds and
// signals every container.
func (pr *podRun) checkStopping(now time.Time, res *controllers.Result) {
	if pr.stopping {
		return
	}
	pod := pr.pod
	switch {
	case pod.DeletionTimestamp != nil:
		// The kubelet times the grace period itself, from when it starts
		// stopping the pod (the API's timestamp has whole seconds only).
		grace := time.Duration(0)
		if g := pod.DeletionGracePeriodSeconds; g != nil {
			grace = time.Duration(*g) * time.Second
		}
		pr.stopping = true
		pr.signalAll(now, now.Add(grace), res)
	case pod.Spec.ActiveDeadlineSeconds != nil &&
		!now.Before(pr.seenAt.Add(time.Duration(*pod.Spec.ActiveDeadlineSeconds)*time.Second)):
		pr.stopping = true
		pr.deadline = true
		res.Events = append(res.Events, controllers.Normal(pod, "DeadlineExceeded",
			"Pod was active on the node longer than the specified deadline"))
		pr.signalAll(now, now, res)
	}
}

// signalAll sends SIGTERM to every running container; killAt is when the
// grace period ends and SIGKILL follows.
func (pr *podRun) signalAll(now, killAt time.Time, res *controllers.Result) {
	for _, c := range pr.containers {
		c.terminate(now, killAt, res)
	}
}

// finished reports whether no container runs or will run again.
func (pr *podRun) finished() bool {
	for _, c := range pr.containers {
		if c.running || (!pr.stopping && c.willRun()) {
			return false
		}
	}
	return true
}

// nextWake returns the next moment something is due.
func (pr *podRun) nextWake(now time.Time) (time.Time, bool) {
	var best time.Time
	consider := func(t time.Time) {
		if t.After(now) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if !pr.sandboxUp && !pr.sandboxGone && !pr.stopping {
		consider(pr.sandboxAt)
	}
	if d := pr.pod.Spec.ActiveDeadlineSeconds; d != nil && !pr.stopping {
		consider(pr.seenAt.Add(time.Duration(*d) * time.Second))
	}
	var buf [5]time.Time // as many as a container can have: on the stack
	for _, c := range pr.containers {
		for _, t := range c.dueTimes(buf[:0]) {
			consider(t)
		}
	}
	return best, !best.IsZero()
}

// env builds a container's environment as makeEnvironmentVariables does:
// the kubernetes Service variables every container gets, then envFrom's
// keys, then the container's own variables (literal values, pod fields,
// Secret and ConfigMap keys), a later definition replacing an earlier one.
// Upstream's order comes from a map; kubesim's is the definition order. A
// missing Secret, ConfigMap or key that is not optional is an error.
func (pr *podRun) env(c objects.Container) ([]workload.EnvVar, error) {
	svc := serviceEnv()
	if len(c.EnvFrom) == 0 && len(c.Env) == 0 {
		return svc, nil // shared: nothing changes a container's environment
	}
	l := envList{vars: make([]workload.EnvVar, 0, len(svc)+len(c.Env))}
	for _, v := range svc {
		l.set(v.Name, v.Value)
	}
	s := sources{r: pr.r, namespace: pr.pod.Namespace}
	if err := s.envFromVars(c, &l); err != nil {
		return nil, err
	}
	for _, e := range c.Env {
		value := e.Value
		switch src := e.ValueFrom; {
		case value != "" || src == nil:
		case src.FieldRef != nil:
			value = pr.fieldValue(src.FieldRef.FieldPath)
		case src.ConfigMapKeyRef != nil || src.SecretKeyRef != nil:
			v, skip, err := s.keyRefValue(src, pr.pod.Namespace)
			if err != nil {
				return nil, err
			}
			if skip {
				continue
			}
			value = v
		}
		l.set(e.Name, value)
	}
	return l.vars, nil
}

// serviceEnv is the kubernetes Service's variables, which every container gets.
func serviceEnv() []workload.EnvVar { return kubernetesServiceEnv[:] }

// kubernetesServiceEnv is serviceEnv's list, made once (read only).
var kubernetesServiceEnv = [...]workload.EnvVar{
	{Name: "KUBERNETES_SERVICE_HOST", Value: "10.96.0.1"},
	{Name: "KUBERNETES_SERVICE_PORT", Value: "443"},
	{Name: "KUBERNETES_SERVICE_PORT_HTTPS", Value: "443"},
	{Name: "KUBERNETES_PORT", Value: "tcp://10.96.0.1:443"},
	{Name: "KUBERNETES_PORT_443_TCP", Value: "tcp://10.96.0.1:443"},
	{Name: "KUBERNETES_PORT_443_TCP_PROTO", Value: "tcp"},
	{Name: "KUBERNETES_PORT_443_TCP_PORT", Value: "443"},
	{Name: "KUBERNETES_PORT_443_TCP_ADDR", Value: "10.96.0.1"},
}

// fieldValue resolves a downward-API field path of the pod.
func (pr *podRun) fieldValue(path string) string {
	pod := pr.pod
	switch path {
	case "metadata.name":
		return pod.Name
	case "metadata.namespace":
		return pod.Namespace
	case "metadata.uid":
		return pod.UID
	case "spec.nodeName":
		return pod.Spec.NodeName
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName
	case "status.podIP":
		return pr.ip.String()
	case "status.hostIP":
		return pr.k.cfg.InternalIP
	}
	if key, ok := subscript(path, "metadata.labels"); ok {
		return pod.Labels[key]
	}
	if key, ok := subscript(path, "metadata.annotations"); ok {
		return pod.Annotations[key]
	}
	return ""
}

// subscript reads a downward-API path like metadata.labels['app'].
func subscript(path, field string) (string, bool) {
	rest, ok := strings.CutPrefix(path, field+"[")
	if !ok || !strings.HasSuffix(rest, "]") {
		return "", false
	}
	key := strings.TrimSuffix(rest, "]")
	if len(key) >= 2 && (key[0] == '\'' || key[0] == '"') && key[len(key)-1] == key[0] {
		return key[1 : len(key)-1], true
	}
	return "", false
}

// hostname is the pod's hostname: spec.hostname, or its name cut to 63 characters.
func (pr *podRun) hostname() string { return hostnameOf(pr.pod) }

// hostnameOf is the hostname of pod (see hostname).
func hostnameOf(pod *objects.Pod) string {
	if h := pod.Spec.Hostname; h != "" {
		return h
	}
	name := pod.Name
	if len(name) > 63 {
		name = name[:63]
	}
	return name
}

// view builds a container's filesystem: the image's files plus the pod's
// volumes at their mount paths.
func (pr *podRun) view(c objects.Container, img images.Image, now time.Time) *vfs.View {
	root := img.RootFS(now)
	pr.writeEtcFiles(root, now)
	v := vfs.NewView(root)
	for _, m := range c.VolumeMounts {
		fs, base := pr.volumeFS(m.Name, now)
		if fs == nil {
			continue // a volume source kubesim does not model yet mounts nothing
		}
		mountPath := m.MountPath
		root.Defer(func(f *vfs.FS) { _ = f.MkdirAll(mountPath, 0o755, now) })
		_ = v.Mount(m.MountPath, fs, joinPath(base, m.SubPath), m.ReadOnly || pr.readOnlyVolumes[m.Name])
	}
	return v
}

// volumeFS returns the filesystem behind the pod volume called name and the
// directory of it the volume is.
func (pr *podRun) volumeFS(name string, now time.Time) (*vfs.FS, string) {
	if fs, ok := pr.volumes[name]; ok {
		if dir, ok := pr.volumeDirs[name]; ok {
			return fs, dir
		}
		return fs, "/"
	}
	for _, v := range pr.pod.Spec.Volumes {
		if v.Name == name && v.HostPath != nil {
			// hostPath directories are created on use, as DirectoryOrCreate does.
			_ = pr.k.host.MkdirAll(v.HostPath.Path, 0o755, now)
			return pr.k.host, v.HostPath.Path
		}
	}
	return nil, ""
}
