package printers

import (
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// describePod follows describe.go describePod. kubesim does not model
// spec.priority; the apiserver's Priority admission plugin gives every pod
// without a priority class priority 0, so that is what is printed.
func describePod(w *prefixWriter, pod *objects.Pod, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", pod.Name)
	w.write(0, "Namespace:\t%s\n", pod.Namespace)
	w.write(0, "Priority:\t%d\n", 0)
	if pod.Spec.ServiceAccountName != "" {
		w.write(0, "Service Account:\t%s\n", pod.Spec.ServiceAccountName)
	}
	if pod.Spec.NodeName == "" {
		w.write(0, "Node:\t<none>\n")
	} else {
		w.write(0, "Node:\t%s\n", pod.Spec.NodeName+"/"+pod.Status.HostIP)
	}
	if pod.Status.StartTime != nil {
		w.write(0, "Start Time:\t%s\n", rfc1123z(*pod.Status.StartTime))
	}
	printLabelsMultiline(w, "Labels", pod.Labels)
	printAnnotationsMultiline(w, "Annotations", pod.Annotations)
	describePodStatus(w, pod, opts)
	if len(pod.Spec.InitContainers) > 0 {
		describeContainers(w, "Init Containers", pod.Spec.InitContainers, pod.Status.InitContainerStatuses, pod, "")
	}
	describeContainers(w, "Containers", pod.Spec.Containers, pod.Status.ContainerStatuses, pod, "")
	if len(pod.Status.Conditions) > 0 {
		w.write(0, "Conditions:\n  Type\tStatus\n")
		for _, c := range pod.Status.Conditions {
			w.write(1, "%v \t%v \n", c.Type, c.Status)
		}
	}
	describeVolumes(w, pod.Spec.Volumes, "")
	qos := pod.Status.QOSClass
	if qos == "" {
		qos = objects.PodQOSClass(pod)
	}
	w.write(0, "QoS Class:\t%s\n", qos)
	printLabelsMultiline(w, "Node-Selectors", pod.Spec.NodeSelector)
	printTolerationsMultiline(w, "", "Tolerations", pod.Spec.Tolerations)
	describeEventsUnlessHidden(w, opts)
	return nil
}

// describePodStatus writes Status (or "Terminating (lasts ...)"), Reason,
// Message, IP, IPs and Controlled By.
func describePodStatus(w *prefixWriter, pod *objects.Pod, opts DescribeOptions) {
	if pod.DeletionTimestamp != nil && !podTerminal(pod.Status.Phase) {
		// The deletion timestamp lies in the future (now + grace period),
		// so kubectl prints "<invalid>" here until it has passed.
		w.write(0, "Status:\tTerminating (lasts %s)\n", since(*pod.DeletionTimestamp, opts.Now))
		w.write(0, "Termination Grace Period:\t%ds\n", deletionGracePeriod(pod))
	} else {
		w.write(0, "Status:\t%s\n", pod.Status.Phase)
	}
	if pod.Status.Reason != "" {
		w.write(0, "Reason:\t%s\n", pod.Status.Reason)
	}
	if pod.Status.Message != "" {
		w.write(0, "Message:\t%s\n", pod.Status.Message)
	}
	w.write(0, "IP:\t%s\n", pod.Status.PodIP)
	if len(pod.Status.PodIPs) == 0 {
		w.write(0, "IPs:\t<none>\n")
	} else {
		w.write(0, "IPs:\n")
		for _, ip := range pod.Status.PodIPs {
			w.write(1, "IP:\t%s\n", ip.IP)
		}
	}
	printControlledBy(w, &pod.ObjectMeta)
}

// deletionGracePeriod is the grace period of a pod being deleted. The
// apiserver always sets metadata.deletionGracePeriodSeconds with the
// deletion timestamp (kubectl would crash otherwise); a pod that lacks it
// falls back to its spec.
func deletionGracePeriod(pod *objects.Pod) int64 {
	switch {
	case pod.DeletionGracePeriodSeconds != nil:
		return *pod.DeletionGracePeriodSeconds
	case pod.Spec.TerminationGracePeriodSeconds != nil:
		return *pod.Spec.TerminationGracePeriodSeconds
	}
	return 0
}

// describeContainers writes a "Containers:" section (describe.go
// describeContainers). pod is nil for a pod template: then there are no
// statuses and downward API variables print without a value.
func describeContainers(w *prefixWriter, label string, containers []objects.Container, statuses []objects.ContainerStatus, pod *objects.Pod, space string) {
	byName := map[string]objects.ContainerStatus{}
	for _, s := range statuses {
		byName[s.Name] = s
	}
	none := ""
	if len(containers) == 0 {
		none = " <none>"
	}
	w.write(0, "%s%s:%s\n", space, label, none)
	for _, c := range containers {
		status, ok := byName[c.Name]
		describeContainerBasicInfo(w, c, status, ok, space)
		describeContainerCommand(w, c)
		if ok {
			describeContainerState(w, status)
		}
		describeResources(w, c.Resources, 2)
		describeContainerProbes(w, c)
		if len(c.EnvFrom) > 0 {
			describeContainerEnvFrom(w, c)
		}
		describeContainerEnv(w, c, pod)
		describeContainerMounts(w, c)
	}
}

// describeContainerBasicInfo writes the container's name, IDs, image and ports.
func describeContainerBasicInfo(w *prefixWriter, c objects.Container, status objects.ContainerStatus, ok bool, space string) {
	nameIndent := ""
	if space != "" {
		nameIndent = " "
	}
	w.write(1, "%s%v:\n", nameIndent, c.Name)
	if ok {
		w.write(2, "Container ID:\t%s\n", status.ContainerID)
	}
	w.write(2, "Image:\t%s\n", c.Image)
	if ok {
		w.write(2, "Image ID:\t%s\n", status.ImageID)
	}
	ports, hostPorts := containerPorts(c.Ports)
	if strings.Contains(ports, ",") {
		w.write(2, "Ports:\t%s\n", ports)
	} else {
		w.write(2, "Port:\t%s\n", stringOrNone(ports))
	}
	if strings.Contains(hostPorts, ",") {
		w.write(2, "Host Ports:\t%s\n", hostPorts)
	} else {
		w.write(2, "Host Port:\t%s\n", stringOrNone(hostPorts))
	}
}

// containerPorts prints the container and host ports as "80/TCP, 443/TCP"
// and "0/TCP, 0/TCP".
func containerPorts(ports []objects.ContainerPort) (container, host string) {
	var cs, hs []string
	for _, p := range ports {
		cs = append(cs, fmt.Sprintf("%d/%s", p.ContainerPort, p.Protocol))
		hs = append(hs, fmt.Sprintf("%d/%s", p.HostPort, p.Protocol))
	}
	return strings.Join(cs, ", "), strings.Join(hs, ", ")
}

// describeContainerCommand writes Command and Args, one line per line of each argument.
func describeContainerCommand(w *prefixWriter, c objects.Container) {
	for _, part := range []struct {
		title string
		args  []string
	}{{"Command", c.Command}, {"Args", c.Args}} {
		if len(part.args) == 0 {
			continue
		}
		w.write(2, "%s:\n", part.title)
		for _, arg := range part.args {
			for _, line := range strings.Split(arg, "\n") {
				w.write(3, "%s\n", line)
			}
		}
	}
}

// describeResources writes Limits and Requests, resources sorted by name.
func describeResources(w *prefixWriter, r objects.ResourceRequirements, level int) {
	for _, part := range []struct {
		title string
		list  objects.ResourceList
	}{{"Limits", r.Limits}, {"Requests", r.Requests}} {
		if len(part.list) == 0 {
			continue
		}
		w.write(level, "%s:\n", part.title)
		for _, name := range sortedKeys(part.list) {
			q := part.list[name]
			w.write(level+1, "%s:\t%s\n", name, q.String())
		}
	}
}

// describeContainerState writes State, Last State, Ready and Restart Count.
func describeContainerState(w *prefixWriter, s objects.ContainerStatus) {
	describeState(w, "State", s.State)
	if s.LastState.Terminated != nil {
		describeState(w, "Last State", s.LastState)
	}
	w.write(2, "Ready:\t%v\n", printBool(s.Ready))
	w.write(2, "Restart Count:\t%d\n", s.RestartCount)
}

// describeState writes one container state (describe.go describeStatus).
func describeState(w *prefixWriter, name string, state objects.ContainerState) {
	switch {
	case state.Running != nil:
		w.write(2, "%s:\tRunning\n", name)
		w.write(3, "Started:\t%v\n", rfc1123z(state.Running.StartedAt))
	case state.Waiting != nil:
		w.write(2, "%s:\tWaiting\n", name)
		if state.Waiting.Reason != "" {
			w.write(3, "Reason:\t%s\n", state.Waiting.Reason)
		}
	case state.Terminated != nil:
		t := state.Terminated
		w.write(2, "%s:\tTerminated\n", name)
		if t.Reason != "" {
			w.write(3, "Reason:\t%s\n", t.Reason)
		}
		if t.Message != "" {
			w.write(3, "Message:\t%s\n", t.Message)
		}
		w.write(3, "Exit Code:\t%d\n", t.ExitCode)
		if t.Signal > 0 {
			w.write(3, "Signal:\t%d\n", t.Signal)
		}
		w.write(3, "Started:\t%s\n", rfc1123z(t.StartedAt))
		w.write(3, "Finished:\t%s\n", rfc1123z(t.FinishedAt))
	default:
		w.write(2, "%s:\tWaiting\n", name)
	}
}

// describeContainerProbes writes the liveness and readiness probes.
func describeContainerProbes(w *prefixWriter, c objects.Container) {
	if c.LivenessProbe != nil {
		w.write(2, "Liveness:\t%s\n", describeProbe(c.LivenessProbe))
	}
	if c.ReadinessProbe != nil {
		w.write(2, "Readiness:\t%s\n", describeProbe(c.ReadinessProbe))
	}
}

// describeProbe prints a probe as describe.go DescribeProbe does:
// "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3".
func describeProbe(p *objects.Probe) string {
	attrs := fmt.Sprintf("delay=%ds timeout=%ds period=%ds #success=%d #failure=%d",
		p.InitialDelaySeconds, p.TimeoutSeconds, p.PeriodSeconds, p.SuccessThreshold, p.FailureThreshold)
	switch {
	case p.Exec != nil:
		return fmt.Sprintf("exec %v %s", p.Exec.Command, attrs)
	case p.HTTPGet != nil:
		u := &url.URL{Scheme: strings.ToLower(p.HTTPGet.Scheme), Path: p.HTTPGet.Path, Host: p.HTTPGet.Host}
		if port := p.HTTPGet.Port.String(); port != "" {
			u.Host = net.JoinHostPort(p.HTTPGet.Host, port)
		}
		return fmt.Sprintf("http-get %s %s", u.String(), attrs)
	case p.TCPSocket != nil:
		return fmt.Sprintf("tcp-socket %s:%s %s", p.TCPSocket.Host, p.TCPSocket.Port.String(), attrs)
	}
	return "unknown " + attrs
}

// describeContainerEnvFrom writes "Environment Variables from:".
func describeContainerEnvFrom(w *prefixWriter, c objects.Container) {
	w.write(2, "Environment Variables from:\n")
	for _, e := range c.EnvFrom {
		from, name, optional := "", "", false
		switch {
		case e.ConfigMapRef != nil:
			from, name, optional = "ConfigMap", e.ConfigMapRef.Name, e.ConfigMapRef.Optional != nil && *e.ConfigMapRef.Optional
		case e.SecretRef != nil:
			from, name, optional = "Secret", e.SecretRef.Name, e.SecretRef.Optional != nil && *e.SecretRef.Optional
		}
		if e.Prefix == "" {
			w.write(3, "%s\t%s\tOptional: %t\n", name, from, optional)
		} else {
			w.write(3, "%s\t%s with prefix '%s'\tOptional: %t\n", name, from, e.Prefix, optional)
		}
	}
}

// describeContainerEnv writes "Environment:", one variable per line.
func describeContainerEnv(w *prefixWriter, c objects.Container, pod *objects.Pod) {
	none := ""
	if len(c.Env) == 0 {
		none = "\t<none>"
	}
	w.write(2, "Environment:%s\n", none)
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			for i, line := range strings.Split(e.Value, "\n") {
				if i == 0 {
					w.write(3, "%s:\t%s\n", e.Name, line)
				} else {
					w.write(3, "\t%s\n", line)
				}
			}
		case e.ValueFrom.FieldRef != nil:
			ref := e.ValueFrom.FieldRef
			w.write(3, "%s:\t%s (%s:%s)\n", e.Name, fieldRefValue(pod, ref), ref.APIVersion, ref.FieldPath)
		case e.ValueFrom.SecretKeyRef != nil:
			ref := e.ValueFrom.SecretKeyRef
			w.write(3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %t\n", e.Name, ref.Key, ref.Name, optional(ref.Optional))
		case e.ValueFrom.ConfigMapKeyRef != nil:
			ref := e.ValueFrom.ConfigMapKeyRef
			w.write(3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %t\n", e.Name, ref.Key, ref.Name, optional(ref.Optional))
		}
	}
}

// fieldRefValue is the value describe shows for a downward API variable.
// kubectl converts the field path with its client scheme, which knows only
// metadata.name and metadata.namespace (runtime.DefaultMetaV1FieldSelectorConversion);
// every other path prints empty, as it does with real kubectl.
func fieldRefValue(pod *objects.Pod, ref *objects.ObjectFieldSelector) string {
	if pod == nil || strings.Count(ref.APIVersion, "/") > 1 {
		return ""
	}
	switch ref.FieldPath {
	case "metadata.name":
		return pod.Name
	case "metadata.namespace":
		return pod.Namespace
	}
	return ""
}

// optional dereferences an optional flag, false when unset.
func optional(b *bool) bool { return b != nil && *b }

// describeContainerMounts writes "Mounts:", sorted by mount path.
func describeContainerMounts(w *prefixWriter, c objects.Container) {
	none := ""
	if len(c.VolumeMounts) == 0 {
		none = "\t<none>"
	}
	w.write(2, "Mounts:%s\n", none)
	mounts := append([]objects.VolumeMount(nil), c.VolumeMounts...)
	sort.Sort(mountsByPath(mounts))
	for _, m := range mounts {
		flags := []string{"rw"}
		if m.ReadOnly {
			flags[0] = "ro"
		}
		if m.SubPath != "" {
			flags = append(flags, fmt.Sprintf("path=%q", m.SubPath))
		}
		w.write(3, "%s from %s (%s)\n", m.MountPath, m.Name, strings.Join(flags, ","))
	}
}

// mountsByPath orders volume mounts by path, as describe.go SortableVolumeMounts does.
type mountsByPath []objects.VolumeMount

// Len is the number of mounts.
func (l mountsByPath) Len() int { return len(l) }

// Swap swaps two mounts.
func (l mountsByPath) Swap(i, j int) { l[i], l[j] = l[j], l[i] }

// Less orders by mount path.
func (l mountsByPath) Less(i, j int) bool { return l[i].MountPath < l[j].MountPath }

// describeVolumes writes "Volumes:" (describe.go describeVolumes) for the
// volume sources kubesim models.
func describeVolumes(w *prefixWriter, volumes []objects.Volume, space string) {
	if len(volumes) == 0 {
		w.write(0, "%sVolumes:\t<none>\n", space)
		return
	}
	w.write(0, "%sVolumes:\n", space)
	nameIndent := ""
	if space != "" {
		nameIndent = " "
	}
	for _, v := range volumes {
		w.write(1, "%s%v:\n", nameIndent, v.Name)
		describeVolumeSource(w, v)
	}
}

// describeVolumeSource writes the Type line and fields of one volume.
func describeVolumeSource(w *prefixWriter, v objects.Volume) {
	switch {
	case v.HostPath != nil:
		hostPathType := "<none>"
		if v.HostPath.Type != nil {
			hostPathType = *v.HostPath.Type
		}
		w.write(2, "Type:\tHostPath (bare host directory volume)\n    Path:\t%v\n    HostPathType:\t%v\n", v.HostPath.Path, hostPathType)
	case v.EmptyDir != nil:
		sizeLimit := "<unset>"
		if v.EmptyDir.SizeLimit != nil && v.EmptyDir.SizeLimit.Sign() > 0 {
			sizeLimit = v.EmptyDir.SizeLimit.String()
		}
		w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t%v\n    SizeLimit:\t%v\n", v.EmptyDir.Medium, sizeLimit)
	case v.Secret != nil:
		w.write(2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t%v\n    Optional:\t%v\n", v.Secret.SecretName, optional(v.Secret.Optional))
	case v.ConfigMap != nil:
		w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t%v\n    Optional:\t%v\n", v.ConfigMap.Name, optional(v.ConfigMap.Optional))
	case v.NFS != nil:
		w.write(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t%v\n    Path:\t%v\n    ReadOnly:\t%v\n", v.NFS.Server, v.NFS.Path, v.NFS.ReadOnly)
	case v.PersistentVolumeClaim != nil:
		w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t%v\n    ReadOnly:\t%v\n", v.PersistentVolumeClaim.ClaimName, v.PersistentVolumeClaim.ReadOnly)
	case v.DownwardAPI != nil:
		w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
		for _, item := range v.DownwardAPI.Items {
			if item.FieldRef != nil {
				w.write(3, "%v -> %v\n", item.FieldRef.FieldPath, item.Path)
			}
		}
	default:
		w.write(1, "<unknown>\n")
	}
}

// describePodTemplate writes the "Pod Template:" section of a workload
// (describe.go DescribePodTemplate), for the describers of Job, CronJob,
// StatefulSet and Deployment.
func describePodTemplate(w *prefixWriter, meta *objects.ObjectMeta, spec *objects.PodSpec) {
	w.write(0, "Pod Template:\n")
	if spec == nil {
		w.write(1, "<unset>")
		return
	}
	var labels, annotations map[string]string
	if meta != nil {
		labels, annotations = meta.Labels, meta.Annotations
	}
	printLabelsMultiline(w, "  Labels", labels)
	if len(annotations) > 0 {
		printAnnotationsMultiline(w, "  Annotations", annotations)
	}
	if spec.ServiceAccountName != "" {
		w.write(1, "Service Account:\t%s\n", spec.ServiceAccountName)
	}
	if len(spec.InitContainers) > 0 {
		describeContainers(w, "Init Containers", spec.InitContainers, nil, nil, "  ")
	}
	describeContainers(w, "Containers", spec.Containers, nil, nil, "  ")
	describeVolumes(w, spec.Volumes, "  ")
	printLabelsMultiline(w, "  Node-Selectors", spec.NodeSelector)
	printTolerationsMultiline(w, "", "  Tolerations", spec.Tolerations)
}
