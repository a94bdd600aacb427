package objects

import (
	"regexp"
	"slices"
	"strings"
)

// Defaulting fills in what the apiserver fills in before storing an object.
// It comes in two layers, as upstream's does:
//
//   - SchemeDefault applies the registered defaulting functions
//     (pkg/apis/core/v1/defaults.go). They run on every write, create or
//     update, and never undo a user's choice.
//   - Default applies SchemeDefault and then what upstream does only when an
//     object is created: admission plugins (DefaultTolerationSeconds,
//     ServiceAccount) and registry strategies (a namespace's "kubernetes"
//     finalizer, a new pod's Pending phase and QoS class). Calling it on an
//     update would be wrong: a namespace whose finalizer the namespace
//     controller removed would get it back.

// Default values, named as upstream names them.
const (
	DefaultTerminationGracePeriodSeconds = 30
	DefaultSchedulerName                 = "default-scheduler"
	DefaultServiceAccountName            = "default"
	DefaultTolerationSeconds             = 300
	// DefaultVolumeMode is 0644, the mode of projected secret, configMap and
	// downward API files.
	DefaultVolumeMode                       = 0o644
	TerminationMessagePathDefault           = "/dev/termination-log"
	TerminationMessageReadFile              = "File"
	TerminationMessageFallbackToLogsOnError = "FallbackToLogsOnError"
	DNSClusterFirst                         = "ClusterFirst"
	DNSClusterFirstWithHostNet              = "ClusterFirstWithHostNet"
	DNSDefault                              = "Default"
	DNSNone                                 = "None"
	ProtocolTCP                             = "TCP"
	ProtocolUDP                             = "UDP"
	ProtocolSCTP                            = "SCTP"
	URISchemeHTTP                           = "HTTP"
	URISchemeHTTPS                          = "HTTPS"
	HostPathUnset                           = ""
	// LabelMetadataName is the label every namespace carries with its own name.
	LabelMetadataName = "kubernetes.io/metadata.name"
	// FinalizerKubernetes is the namespace finalizer the namespace controller removes
	// once the namespace is empty.
	FinalizerKubernetes = "kubernetes"
)

// Toleration operators.
const (
	TolerationOpExists = "Exists"
	TolerationOpEqual  = "Equal"
)

// Pod QoS classes.
const (
	QOSGuaranteed = "Guaranteed"
	QOSBurstable  = "Burstable"
	QOSBestEffort = "BestEffort"
)

// Default applies create-time defaulting to obj: SchemeDefault, then the
// admission plugins and registry strategies upstream runs on create. Kinds
// without defaults are left alone.
func Default(obj Object) {
	SchemeDefault(obj)
	switch o := obj.(type) {
	case *Pod:
		defaultPodOnCreate(o)
	case *Namespace:
		defaultNamespaceOnCreate(o)
	case *Service:
		defaultServiceOnCreate(o)
	}
}

// SchemeDefault applies upstream's registered defaulting functions to obj,
// which are safe to run on every create and update.
func SchemeDefault(obj Object) {
	switch o := obj.(type) {
	case *Pod:
		defaultPod(o)
	case *Node:
		defaultNode(o)
	case *Namespace:
		defaultNamespace(o)
	case *Job:
		defaultJob(o)
	case *Service:
		defaultService(o)
	case *Deployment:
		defaultDeployment(o)
	case *ReplicaSet:
		defaultReplicaSet(o)
	case *StatefulSet:
		defaultStatefulSet(o)
	case *CronJob:
		defaultCronJob(o)
	case *Secret:
		defaultSecret(o)
	case *PersistentVolume:
		defaultPersistentVolume(o)
	case *PersistentVolumeClaim:
		defaultPersistentVolumeClaim(o)
	case *StorageClass:
		defaultStorageClass(o)
	}
}

// defaultPod is SetObjectDefaults_Pod for the fields kubesim models.
func defaultPod(p *Pod) {
	defaultRequestsFromLimits(p.Spec.Containers)
	defaultRequestsFromLimits(p.Spec.InitContainers)
	if p.Spec.HostNetwork {
		defaultHostNetworkPorts(p.Spec.Containers)
		defaultHostNetworkPorts(p.Spec.InitContainers)
	}
	DefaultPodSpec(&p.Spec)
}

// DefaultPodSpec applies the defaults of a pod spec, including its
// containers and volumes. Workload kinds call it on their pod templates, as
// upstream's generated defaulters do; the limits-to-requests copy is not
// part of it because upstream applies that to pods only.
func DefaultPodSpec(s *PodSpec) {
	if s.DNSPolicy == "" {
		s.DNSPolicy = DNSClusterFirst
	}
	if s.RestartPolicy == "" {
		s.RestartPolicy = RestartPolicyAlways
	}
	if s.TerminationGracePeriodSeconds == nil {
		s.TerminationGracePeriodSeconds = ptrTo(int64(DefaultTerminationGracePeriodSeconds))
	}
	if s.SchedulerName == "" {
		s.SchedulerName = DefaultSchedulerName
	}
	for i := range s.Volumes {
		defaultVolume(&s.Volumes[i])
	}
	for i := range s.InitContainers {
		defaultContainer(&s.InitContainers[i])
	}
	for i := range s.Containers {
		defaultContainer(&s.Containers[i])
	}
}

// defaultRequestsFromLimits copies each limit to a missing request, so a pod
// that sets only limits is scheduled by them.
func defaultRequestsFromLimits(cs []Container) {
	for i := range cs {
		r := &cs[i].Resources
		if r.Limits == nil {
			continue
		}
		if r.Requests == nil {
			r.Requests = ResourceList{}
		}
		for k, v := range r.Limits {
			if _, ok := r.Requests[k]; !ok {
				r.Requests[k] = v.DeepCopy()
			}
		}
	}
}

// defaultHostNetworkPorts sets hostPort to containerPort for host-network pods.
func defaultHostNetworkPorts(cs []Container) {
	for i := range cs {
		for j := range cs[i].Ports {
			if cs[i].Ports[j].HostPort == 0 {
				cs[i].Ports[j].HostPort = cs[i].Ports[j].ContainerPort
			}
		}
	}
}

// defaultContainer applies SetDefaults_Container and the defaults of the
// container's ports, env, resources and probes.
func defaultContainer(c *Container) {
	if c.ImagePullPolicy == "" {
		c.ImagePullPolicy = DefaultImagePullPolicy(c.Image)
	}
	if c.TerminationMessagePath == "" {
		c.TerminationMessagePath = TerminationMessagePathDefault
	}
	if c.TerminationMessagePolicy == "" {
		c.TerminationMessagePolicy = TerminationMessageReadFile
	}
	for i := range c.Ports {
		if c.Ports[i].Protocol == "" {
			c.Ports[i].Protocol = ProtocolTCP
		}
	}
	for i := range c.Env {
		if vf := c.Env[i].ValueFrom; vf != nil && vf.FieldRef != nil {
			defaultFieldSelector(vf.FieldRef)
		}
	}
	DefaultResourceList(c.Resources.Limits)
	DefaultResourceList(c.Resources.Requests)
	defaultProbe(c.LivenessProbe)
	defaultProbe(c.ReadinessProbe)
}

// DefaultResourceList rounds every quantity up to the milli, as upstream's
// SetDefaults_ResourceList does ("100u" CPU becomes "1m").
func DefaultResourceList(rl ResourceList) {
	for k, v := range rl {
		v.RoundUp(-3)
		rl[k] = v
	}
}

// defaultProbe applies SetDefaults_Probe and SetDefaults_HTTPGetAction.
func defaultProbe(p *Probe) {
	if p == nil {
		return
	}
	setIfZero(&p.TimeoutSeconds, 1)
	setIfZero(&p.PeriodSeconds, 10)
	setIfZero(&p.SuccessThreshold, 1)
	setIfZero(&p.FailureThreshold, 3)
	if h := p.HTTPGet; h != nil {
		if h.Path == "" {
			h.Path = "/"
		}
		if h.Scheme == "" {
			h.Scheme = URISchemeHTTP
		}
	}
}

// setIfZero sets *v to d when it is zero.
func setIfZero(v *int32, d int32) {
	if *v == 0 {
		*v = d
	}
}

// defaultFieldSelector defaults a field reference's apiVersion to v1.
func defaultFieldSelector(f *ObjectFieldSelector) {
	if f.APIVersion == "" {
		f.APIVersion = "v1"
	}
}

// defaultVolume gives a source-less volume an emptyDir and defaults the
// modes of projected files and the hostPath type.
func defaultVolume(v *Volume) {
	if volumeSourceCount(v) == 0 {
		v.EmptyDir = &EmptyDirVolumeSource{}
	}
	if v.HostPath != nil && v.HostPath.Type == nil {
		v.HostPath.Type = ptrTo(HostPathUnset)
	}
	if v.Secret != nil && v.Secret.DefaultMode == nil {
		v.Secret.DefaultMode = ptrTo(int32(DefaultVolumeMode))
	}
	if v.ConfigMap != nil && v.ConfigMap.DefaultMode == nil {
		v.ConfigMap.DefaultMode = ptrTo(int32(DefaultVolumeMode))
	}
	if d := v.DownwardAPI; d != nil {
		if d.DefaultMode == nil {
			d.DefaultMode = ptrTo(int32(DefaultVolumeMode))
		}
		for i := range d.Items {
			if d.Items[i].FieldRef != nil {
				defaultFieldSelector(d.Items[i].FieldRef)
			}
		}
	}
}

// volumeSourceCount counts the sources set on a volume; exactly one is valid.
func volumeSourceCount(v *Volume) int {
	n := 0
	for _, set := range []bool{v.EmptyDir != nil, v.HostPath != nil, v.NFS != nil, v.PersistentVolumeClaim != nil,
		v.Secret != nil, v.ConfigMap != nil, v.DownwardAPI != nil} {
		if set {
			n++
		}
	}
	return n
}

// ptrTo returns a pointer to a copy of v.
func ptrTo[T any](v T) *T { return &v }

// defaultPodOnCreate applies what upstream does only when a pod is created:
// the ServiceAccount and DefaultTolerationSeconds admission plugins and the
// pod strategy's Pending phase and QoS class. Status the caller set is kept.
func defaultPodOnCreate(p *Pod) {
	if p.Spec.ServiceAccountName == "" {
		p.Spec.ServiceAccountName = DefaultServiceAccountName
	}
	AddDefaultTolerations(&p.Spec)
	if p.Status.Phase == "" {
		p.Status.Phase = PodPending
	}
	if p.Status.QOSClass == "" {
		p.Status.QOSClass = PodQOSClass(p)
	}
}

// AddDefaultTolerations adds the DefaultTolerationSeconds admission plugin's
// tolerations: NoExecute for node.kubernetes.io/not-ready and
// node.kubernetes.io/unreachable, for 300s, unless the pod already tolerates
// the taint (a toleration with that key or no key, and effect NoExecute or none).
func AddDefaultTolerations(s *PodSpec) {
	keys := [2]string{TaintNodeNotReady, TaintNodeUnreachable}
	var missing [2]bool
	n := 0
	for i, key := range keys {
		if missing[i] = !toleratesNoExecute(s.Tolerations, key); missing[i] {
			n++
		}
	}
	if n == 0 {
		return
	}
	// One allocation for the list and one for the seconds, which each
	// toleration points to a slot of, rather than one per append and per
	// toleration: every pod created gets these.
	s.Tolerations = slices.Grow(s.Tolerations, n)
	seconds := new([2]int64)
	for i, key := range keys {
		if missing[i] {
			seconds[i] = DefaultTolerationSeconds
			s.Tolerations = append(s.Tolerations, Toleration{Key: key, Operator: TolerationOpExists,
				Effect: TaintNoExecute, TolerationSeconds: &seconds[i]})
		}
	}
}

// toleratesNoExecute is the admission plugin's test for an existing toleration.
func toleratesNoExecute(ts []Toleration, key string) bool {
	for _, t := range ts {
		if (t.Key == key || t.Key == "") && (t.Effect == TaintNoExecute || t.Effect == "") {
			return true
		}
	}
	return false
}

// PodQOSClass computes a pod's QoS class as upstream's ComputePodQOS does:
// BestEffort without any cpu or memory request or limit, Guaranteed when
// every container limits both cpu and memory and the pod's summed requests
// equal its summed limits, Burstable otherwise.
func PodQOSClass(p *Pod) string {
	var requests, limits qosSums
	guaranteed := true
	for _, list := range [2][]Container{p.Spec.Containers, p.Spec.InitContainers} {
		for i := range list {
			r := &list[i].Resources
			requests.add(r.Requests)
			if cpu, memory := limits.add(r.Limits); !cpu || !memory {
				guaranteed = false
			}
		}
	}
	if requests.none() && limits.none() {
		return QOSBestEffort
	}
	if guaranteed && requests.equal(&limits) {
		return QOSGuaranteed
	}
	return QOSBurstable
}

// qosSums are a pod's summed positive cpu and memory amounts (requests or
// limits), the only resources QoS reads; fields rather than a map, as QoS
// is worked out at every pod create.
type qosSums struct {
	cpu, memory       Quantity
	hasCPU, hasMemory bool
}

// add adds the positive cpu and memory amounts of from, reporting which
// of the two it found.
func (s *qosSums) add(from ResourceList) (cpu, memory bool) {
	if len(from) == 0 {
		return false, false
	}
	if q, ok := from[ResourceCPU]; ok && q.Sign() > 0 {
		s.cpu.Add(q)
		s.hasCPU, cpu = true, true
	}
	if q, ok := from[ResourceMemory]; ok && q.Sign() > 0 {
		s.memory.Add(q)
		s.hasMemory, memory = true, true
	}
	return cpu, memory
}

// none reports whether no amount was summed.
func (s *qosSums) none() bool { return !s.hasCPU && !s.hasMemory }

// equal reports whether s and t sum the same resources to the same amounts.
func (s *qosSums) equal(t *qosSums) bool {
	return s.hasCPU == t.hasCPU && s.hasMemory == t.hasMemory &&
		(!s.hasCPU || s.cpu.Cmp(t.cpu) == 0) && (!s.hasMemory || s.memory.Cmp(t.memory) == 0)
}

// defaultNode copies capacity to a missing allocatable and rounds both to the milli.
func defaultNode(n *Node) {
	if n.Status.Allocatable == nil && n.Status.Capacity != nil {
		n.Status.Allocatable = n.Status.Capacity.DeepCopy()
	}
	DefaultResourceList(n.Status.Capacity)
	DefaultResourceList(n.Status.Allocatable)
}

// defaultNamespace labels a namespace with its own name and defaults its phase to Active.
func defaultNamespace(ns *Namespace) {
	if ns.Name != "" {
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		ns.Labels[LabelMetadataName] = ns.Name
	}
	if ns.Status.Phase == "" {
		ns.Status.Phase = NamespaceActive
	}
}

// defaultNamespaceOnCreate is the namespace strategy's PrepareForCreate: a
// new namespace is Active and carries the "kubernetes" finalizer.
func defaultNamespaceOnCreate(ns *Namespace) {
	ns.Status = NamespaceStatus{Phase: NamespaceActive}
	for _, f := range ns.Spec.Finalizers {
		if f == FinalizerKubernetes {
			return
		}
	}
	ns.Spec.Finalizers = append(ns.Spec.Finalizers, FinalizerKubernetes)
}

// imageReference is the container image reference grammar
// (distribution/reference): an optional registry host, lower-case path
// components, an optional tag and an optional digest.
var imageReference = func() *regexp.Regexp {
	const (
		domainPart = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
		domain     = domainPart + `(?:\.` + domainPart + `)*(?::[0-9]+)?`
		component  = `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
		tag        = `[\w][\w.-]{0,127}`
		digest     = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`
	)
	return regexp.MustCompile(`^((?:` + domain + `/)?` + component + `(?:/` + component + `)*)(?::(` + tag + `))?(?:@(` + digest + `))?$`)
}()

// imageIDRegexp matches a bare 64-hex image ID, which is not a valid name.
var imageIDRegexp = regexp.MustCompile(`^[a-f0-9]{64}$`)

// DefaultImagePullPolicy returns the pull policy upstream defaults for image:
// Always when its tag is "latest" or it has neither tag nor digest,
// IfNotPresent otherwise, including for references that do not parse.
func DefaultImagePullPolicy(image string) string {
	if imageTag(image) == "latest" {
		return PullAlways
	}
	return PullIfNotPresent
}

// imageTag returns an image's tag as upstream's parsers.ParseImageName does:
// "latest" when there is neither tag nor digest, "" when there is only a
// digest or the reference is invalid.
func imageTag(image string) string {
	if tag, ok := imageTags.get(image); ok {
		return tag
	}
	tag := parseImageTag(image)
	imageTags.put(image, tag)
	return tag
}

// imageTags remembers imageTag's answers: every pod a controller creates
// names the same few images, and the reference grammar is a regexp.
var imageTags = memo[string, string]{max: maxImageTags}

const maxImageTags = 4096

// parseImageTag is imageTag without the memo.
func parseImageTag(image string) string {
	m := imageReference.FindStringSubmatch(image)
	if m == nil || len(m[1]) > 255 || !remainderIsLowerCase(image) || imageIDRegexp.MatchString(image) {
		return ""
	}
	if m[2] == "" && m[3] == "" {
		return "latest"
	}
	return m[2]
}

// remainderIsLowerCase applies ParseNormalizedNamed's rule that everything
// after the registry host be lower case; the first component is a host only
// if it has a '.' or ':', is "localhost", or has upper-case letters.
func remainderIsLowerCase(image string) bool {
	if i := strings.IndexByte(image, '/'); i >= 0 {
		first := image[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first {
			image = image[i+1:]
		}
	}
	return strings.ToLower(image) == image
}
