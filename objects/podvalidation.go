package objects

import (
	"fmt"
	"math"
	"path"
	"sort"
	"strings"
)

// Supported values, in the order upstream lists them in its messages.
var (
	supportedRestartPolicies   = []string{RestartPolicyAlways, RestartPolicyOnFailure, RestartPolicyNever}
	supportedPullPolicies      = []string{PullAlways, PullIfNotPresent, PullNever}
	supportedDNSPolicies       = []string{DNSClusterFirstWithHostNet, DNSClusterFirst, DNSDefault, DNSNone}
	supportedPortProtocols     = []string{ProtocolSCTP, ProtocolTCP, ProtocolUDP} // a sorted set upstream
	supportedTermMsgPolicies   = []string{TerminationMessageReadFile, TerminationMessageFallbackToLogsOnError}
	supportedTaintEffects      = []string{TaintNoSchedule, TaintPreferNoSchedule, TaintNoExecute}
	supportedTolerationOps     = []string{TolerationOpEqual, TolerationOpExists}
	supportedHTTPSchemes       = []string{URISchemeHTTP, URISchemeHTTPS}
	supportedHostPathTypes     = []string{"", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"}
	supportedEnvFieldPaths     = []string{"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"}
	supportedVolumeFieldPaths  = []string{"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"}
	standardContainerResources = map[string]bool{ResourceCPU: true, ResourceMemory: true, "ephemeral-storage": true}
)

// updatablePodSpecFields is the list the pod-update error quotes.
var updatablePodSpecFields = []string{
	"`spec.containers[*].image`",
	"`spec.initContainers[*].image`",
	"`spec.activeDeadlineSeconds`",
	"`spec.tolerations` (only additions to existing tolerations)",
	"`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
}

// validatePod is upstream's ValidatePodCreate for the modelled fields.
func validatePod(p *Pod) ErrorList {
	errs := validateObjectMeta(&p.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	return append(errs, ValidatePodSpec(&p.Spec, "spec")...)
}

// ValidatePodSpec checks a pod spec in upstream's order; workload kinds call
// it on their templates with their own path ("spec.template.spec").
func ValidatePodSpec(s *PodSpec, fld FieldPath) ErrorList {
	vols, errs := validateVolumes(s.Volumes, fld.Child("volumes"))
	errs = append(errs, validateContainers(s.Containers, vols, fld.Child("containers"))...)
	errs = append(errs, validateInitContainers(s.InitContainers, s.Containers, vols, fld.Child("initContainers"))...)
	errs = append(errs, validateHostNetworkPorts(s, fld.Child("containers"))...)
	errs = append(errs, validateEnum(s.RestartPolicy, supportedRestartPolicies, fld.Child("restartPolicy"))...)
	errs = append(errs, validateEnum(s.DNSPolicy, supportedDNSPolicies, fld.Child("dnsPolicy"))...)
	if s.DNSPolicy == DNSNone {
		errs = append(errs, RequiredError(fld.Child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"))
	}
	errs = append(errs, ValidateLabels(s.NodeSelector, fld.Child("nodeSelector"))...)
	errs = append(errs, validatePodSpecNames(s, fld)...)
	if s.ActiveDeadlineSeconds != nil && (*s.ActiveDeadlineSeconds < 1 || *s.ActiveDeadlineSeconds > math.MaxInt32) {
		errs = append(errs, InvalidError(fld.Child("activeDeadlineSeconds"), *s.ActiveDeadlineSeconds, inclusiveRangeError(1, math.MaxInt32)))
	}
	if s.TerminationGracePeriodSeconds != nil && *s.TerminationGracePeriodSeconds < 0 {
		errs = append(errs, InvalidError(fld.Child("terminationGracePeriodSeconds"), *s.TerminationGracePeriodSeconds, isNegativeErrorMsg))
	}
	return append(errs, validateTolerations(s.Tolerations, fld.Child("tolerations"))...)
}

// validateEnum checks a required field holds one of a fixed set of values.
func validateEnum(v string, supported []string, fld FieldPath) ErrorList {
	if v == "" {
		return ErrorList{RequiredError(fld, "")}
	}
	for _, s := range supported {
		if v == s {
			return nil
		}
	}
	return ErrorList{NotSupportedError(fld, v, supported)}
}

// validateNodeName checks spec.nodeName as validatePodSpecNames does.
func validateNodeName(nodeName string, fld FieldPath) ErrorList {
	if nodeName == "" {
		return nil
	}
	var errs ErrorList
	for _, msg := range IsDNS1123Subdomain(nodeName) {
		errs = append(errs, InvalidError(fld.Child("nodeName"), nodeName, msg))
	}
	return errs
}

// validatePodSpecNames checks the names a pod spec refers to: service
// account and node (subdomains), hostname and subdomain (labels).
func validatePodSpecNames(s *PodSpec, fld FieldPath) ErrorList {
	var errs ErrorList
	for _, f := range []struct {
		name, value string
		check       func(string) []string
	}{
		{"serviceAccountName", s.ServiceAccountName, IsDNS1123Subdomain},
		{"nodeName", s.NodeName, IsDNS1123Subdomain},
		{"hostname", s.Hostname, IsDNS1123Label},
		{"subdomain", s.Subdomain, IsDNS1123Label},
	} {
		if f.value == "" {
			continue
		}
		for _, msg := range f.check(f.value) {
			errs = append(errs, InvalidError(fld.Child(f.name), f.value, msg))
		}
	}
	return errs
}

// validateHostNetworkPorts requires hostPort == containerPort on host-network pods.
func validateHostNetworkPorts(s *PodSpec, fld FieldPath) ErrorList {
	if !s.HostNetwork {
		return nil
	}
	var errs ErrorList
	for i, c := range s.Containers {
		for j, p := range c.Ports {
			if p.HostPort != p.ContainerPort {
				errs = append(errs, InvalidError(fld.Index(i).Child("ports").Index(j).Child("containerPort"),
					p.ContainerPort, "must match `hostPort` when `hostNetwork` is true"))
			}
		}
	}
	return errs
}

// validateVolumes checks names are unique DNS labels and each volume has
// exactly one valid source; it returns the names of the valid volumes.
func validateVolumes(vols []Volume, fld FieldPath) (map[string]bool, ErrorList) {
	var names map[string]bool // made for the first valid volume: most pods have none
	var errs ErrorList
	for i := range vols {
		v := &vols[i]
		dup := names[v.Name]
		el := atIndex(fld, i, func(p FieldPath) ErrorList { return validateVolume(v, dup, p) })
		if len(el) == 0 {
			if names == nil {
				names = make(map[string]bool, len(vols))
			}
			names[v.Name] = true
		}
		errs = append(errs, el...)
	}
	return names, errs
}

// validateVolume checks one volume: its source, then its name (dup says
// an earlier valid volume has it).
func validateVolume(v *Volume, dup bool, fld FieldPath) ErrorList {
	el := validateVolumeSource(v, fld)
	namePath := fld.Child("name")
	if v.Name == "" {
		el = append(el, RequiredError(namePath, ""))
	} else {
		el = append(el, dns1123LabelErrors(v.Name, namePath)...)
	}
	if dup {
		el = append(el, DuplicateError(namePath, v.Name))
	}
	return el
}

// dns1123LabelErrors is upstream's ValidateDNS1123Label.
func dns1123LabelErrors(v string, fld FieldPath) ErrorList {
	var errs ErrorList
	for _, msg := range IsDNS1123Label(v) {
		errs = append(errs, InvalidError(fld, v, msg))
	}
	return errs
}

// validateVolumeSource checks one source is set, in upstream's order of
// sources, and validates it; a second source is forbidden.
func validateVolumeSource(v *Volume, fld FieldPath) ErrorList {
	return validateExactlyOne(fld, "volume type", []oneOf{
		{"emptyDir", v.EmptyDir != nil, func(p FieldPath) ErrorList { return validateEmptyDir(v.EmptyDir, p) }},
		{"hostPath", v.HostPath != nil, func(p FieldPath) ErrorList { return validateHostPath(v.HostPath, p) }},
		{"secret", v.Secret != nil, func(p FieldPath) ErrorList { return validateSecretVolume(v.Secret, p) }},
		{"nfs", v.NFS != nil, func(p FieldPath) ErrorList { return validateNFS(v.NFS, p) }},
		{"persistentVolumeClaim", v.PersistentVolumeClaim != nil, func(p FieldPath) ErrorList { return validatePVCSource(v.PersistentVolumeClaim, p) }},
		{"downwardAPI", v.DownwardAPI != nil, func(p FieldPath) ErrorList { return validateDownwardAPIVolume(v.DownwardAPI, p) }},
		{"configMap", v.ConfigMap != nil, func(p FieldPath) ErrorList { return validateConfigMapVolume(v.ConfigMap, p) }},
	})
}

// oneOf is one member of a union of fields: its name, whether it is set,
// and its own validation.
type oneOf struct {
	name  string
	set   bool
	check func(FieldPath) ErrorList
}

// validateExactlyOne checks that one member of a union is set and validates
// it; every further member set is forbidden. what names the union in the
// messages ("volume type", "handler type").
func validateExactlyOne(fld FieldPath, what string, members []oneOf) ErrorList {
	var errs ErrorList
	n := 0
	for _, m := range members {
		if !m.set {
			continue
		}
		if n > 0 {
			errs = append(errs, ForbiddenError(fld.Child(m.name), "may not specify more than 1 "+what))
		} else {
			errs = append(errs, m.check(fld.Child(m.name))...)
		}
		n++
	}
	if n == 0 {
		errs = append(errs, RequiredError(fld, "must specify a "+what))
	}
	return errs
}

// validateEmptyDir forbids a negative size limit.
func validateEmptyDir(e *EmptyDirVolumeSource, fld FieldPath) ErrorList {
	if e.SizeLimit != nil && e.SizeLimit.Sign() < 0 {
		return ErrorList{ForbiddenError(fld.Child("sizeLimit"), "SizeLimit field must be a valid resource quantity")}
	}
	return nil
}

// validateHostPath requires a path and a known type.
func validateHostPath(h *HostPathVolumeSource, fld FieldPath) ErrorList {
	var errs ErrorList
	if h.Path == "" {
		errs = append(errs, RequiredError(fld.Child("path"), ""))
	}
	errs = append(errs, validatePathNoBacksteps(h.Path, fld.Child("path"))...)
	if h.Type != nil && !containsString(supportedHostPathTypes, *h.Type) {
		errs = append(errs, NotSupportedError(fld.Child("type"), *h.Type, supportedHostPathTypes))
	}
	return errs
}

// validateNFS requires a server and an absolute path.
func validateNFS(n *NFSVolumeSource, fld FieldPath) ErrorList {
	var errs ErrorList
	if n.Server == "" {
		errs = append(errs, RequiredError(fld.Child("server"), ""))
	}
	if n.Path == "" {
		errs = append(errs, RequiredError(fld.Child("path"), ""))
	}
	if !path.IsAbs(n.Path) {
		errs = append(errs, InvalidError(fld.Child("path"), n.Path, "must be an absolute path"))
	}
	return errs
}

// validatePVCSource requires a claim name.
func validatePVCSource(c *PersistentVolumeClaimVolumeSource, fld FieldPath) ErrorList {
	if c.ClaimName == "" {
		return ErrorList{RequiredError(fld.Child("claimName"), "")}
	}
	return nil
}

// fileModeErrorMsg is upstream's message for a bad file mode.
const fileModeErrorMsg = "must be a number between 0 and 0777 (octal), both inclusive"

// validateMode checks a file mode is within 0..0777.
func validateMode(mode *int32, fld FieldPath) ErrorList {
	if mode != nil && (*mode < 0 || *mode > 0o777) {
		return ErrorList{InvalidError(fld, *mode, fileModeErrorMsg)}
	}
	return nil
}

// validateSecretVolume requires a secret name and checks items and modes.
func validateSecretVolume(s *SecretVolumeSource, fld FieldPath) ErrorList {
	var errs ErrorList
	if s.SecretName == "" {
		errs = append(errs, RequiredError(fld.Child("secretName"), ""))
	}
	errs = append(errs, validateMode(s.DefaultMode, fld.Child("defaultMode"))...)
	return append(errs, validateKeyToPaths(s.Items, fld.Child("items"))...)
}

// validateConfigMapVolume requires a configMap name and checks items and modes.
func validateConfigMapVolume(c *ConfigMapVolumeSource, fld FieldPath) ErrorList {
	var errs ErrorList
	if c.Name == "" {
		errs = append(errs, RequiredError(fld.Child("name"), ""))
	}
	errs = append(errs, validateMode(c.DefaultMode, fld.Child("defaultMode"))...)
	return append(errs, validateKeyToPaths(c.Items, fld.Child("items"))...)
}

// validateKeyToPaths checks projected items: a key, a relative path, a mode.
func validateKeyToPaths(items []KeyToPath, fld FieldPath) ErrorList {
	var errs ErrorList
	for i := range items {
		errs = append(errs, atIndex(fld, i, func(p FieldPath) ErrorList { return validateKeyToPath(&items[i], p) })...)
	}
	return errs
}

// validateKeyToPath checks one projected item.
func validateKeyToPath(it *KeyToPath, p FieldPath) ErrorList {
	var errs ErrorList
	if it.Key == "" {
		errs = append(errs, RequiredError(p.Child("key"), ""))
	}
	if it.Path == "" {
		errs = append(errs, RequiredError(p.Child("path"), ""))
	}
	errs = append(errs, validateLocalNonReservedPath(it.Path, p.Child("path"))...)
	return append(errs, validateMode(it.Mode, p.Child("mode"))...)
}

// validateDownwardAPIVolume checks each file's path and field reference.
func validateDownwardAPIVolume(d *DownwardAPIVolumeSource, fld FieldPath) ErrorList {
	errs := validateMode(d.DefaultMode, fld.Child("defaultMode"))
	for i, f := range d.Items {
		p := fld.Child("items").Index(i)
		if f.Path == "" {
			errs = append(errs, RequiredError(p.Child("path"), ""))
		}
		errs = append(errs, validateLocalNonReservedPath(f.Path, p.Child("path"))...)
		if f.FieldRef != nil {
			errs = append(errs, validateFieldRef(f.FieldRef, supportedVolumeFieldPaths, p.Child("fieldRef"))...)
		}
	}
	return errs
}

// validateLocalDescendingPath requires a relative path without "..".
func validateLocalDescendingPath(p string, fld FieldPath) ErrorList {
	var errs ErrorList
	if path.IsAbs(p) {
		errs = append(errs, InvalidError(fld, p, "must be a relative path"))
	}
	return append(errs, validatePathNoBacksteps(p, fld)...)
}

// validateLocalNonReservedPath also forbids a leading "..".
func validateLocalNonReservedPath(p string, fld FieldPath) ErrorList {
	errs := validateLocalDescendingPath(p, fld)
	if strings.HasPrefix(p, "..") && !strings.HasPrefix(p, "../") {
		errs = append(errs, InvalidError(fld, p, "must not start with '..'"))
	}
	return errs
}

// validatePathNoBacksteps forbids ".." elements; '/' and '\' both
// separate elements, as upstream's check has them.
func validatePathNoBacksteps(p string, fld FieldPath) ErrorList {
	for rest := p; ; {
		part, after, more := cutAny(rest, `/\`)
		if part == ".." {
			return ErrorList{InvalidError(fld, p, "must not contain '..'")}
		}
		if !more {
			return nil
		}
		rest = after
	}
}

// cutAny is strings.Cut at the first of any of the separator bytes seps.
func cutAny(s, seps string) (before, after string, found bool) {
	if i := strings.IndexAny(s, seps); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// containsString reports whether s is in list.
func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// validateContainers checks the regular containers: at least one, each
// valid, names unique.
func validateContainers(cs []Container, vols map[string]bool, fld FieldPath) ErrorList {
	if len(cs) == 0 {
		return ErrorList{RequiredError(fld, "")}
	}
	var errs ErrorList
	names := map[string]bool{}
	for i := range cs {
		c := &cs[i]
		dup := names[c.Name]
		names[c.Name] = true
		errs = append(errs, atIndex(fld, i, func(p FieldPath) ErrorList {
			el := validateContainer(c, vols, p)
			if dup {
				el = append(el, DuplicateError(p.Child("name"), c.Name))
			}
			el = append(el, validateLivenessProbe(c.LivenessProbe, p.Child("livenessProbe"))...)
			return append(el, validateProbe(c.ReadinessProbe, p.Child("readinessProbe"))...)
		})...)
	}
	return errs
}

// validateInitContainers checks init containers: each valid, names unique
// among init and regular containers, and no probes (kubesim does not model
// restartable sidecar init containers).
func validateInitContainers(inits, cs []Container, vols map[string]bool, fld FieldPath) ErrorList {
	names := map[string]bool{}
	for _, c := range cs {
		names[c.Name] = true
	}
	var errs ErrorList
	for i := range inits {
		c := &inits[i]
		dup := names[c.Name]
		names[c.Name] = true
		errs = append(errs, atIndex(fld, i, func(p FieldPath) ErrorList {
			el := validateContainer(c, vols, p)
			if dup {
				el = append(el, DuplicateError(p.Child("name"), c.Name))
			}
			for _, probe := range []struct {
				name string
				set  bool
			}{{"livenessProbe", c.LivenessProbe != nil}, {"readinessProbe", c.ReadinessProbe != nil}} {
				if probe.set {
					el = append(el, ForbiddenError(p.Child(probe.name), "may not be set for init containers without restartPolicy=Always"))
				}
			}
			return el
		})...)
	}
	return errs
}

// validateContainer is upstream's validateContainerCommon for the modelled fields.
func validateContainer(c *Container, vols map[string]bool, fld FieldPath) ErrorList {
	var errs ErrorList
	if c.Name == "" {
		errs = append(errs, RequiredError(fld.Child("name"), ""))
	} else {
		errs = append(errs, dns1123LabelErrors(c.Name, fld.Child("name"))...)
	}
	if c.Image == "" {
		errs = append(errs, RequiredError(fld.Child("image"), ""))
	}
	errs = append(errs, validateEnum(c.TerminationMessagePolicy, supportedTermMsgPolicies, fld.Child("terminationMessagePolicy"))...)
	errs = append(errs, validateContainerPorts(c.Ports, fld.Child("ports"))...)
	errs = append(errs, validateEnv(c.Env, fld.Child("env"))...)
	errs = append(errs, validateEnvFrom(c.EnvFrom, fld.Child("envFrom"))...)
	errs = append(errs, validateVolumeMounts(c.VolumeMounts, vols, fld.Child("volumeMounts"))...)
	errs = append(errs, validateEnum(c.ImagePullPolicy, supportedPullPolicies, fld.Child("imagePullPolicy"))...)
	return append(errs, validateResources(&c.Resources, fld.Child("resources"))...)
}

// validateContainerPorts checks port names (unique IANA names), numbers and protocols.
func validateContainerPorts(ports []ContainerPort, fld FieldPath) ErrorList {
	var errs ErrorList
	names := map[string]bool{}
	for i := range ports {
		p := &ports[i]
		// The name's check records it as seen: done once, outside the
		// check that may run twice.
		nameErrs := validatePortName(p.Name, names)
		errs = append(errs, atIndex(fld, i, func(ip FieldPath) ErrorList {
			el := nameErrs.at(ip.Child("name"))
			if p.ContainerPort == 0 {
				el = append(el, RequiredError(ip.Child("containerPort"), ""))
			} else {
				for _, msg := range IsValidPortNum(int(p.ContainerPort)) {
					el = append(el, InvalidError(ip.Child("containerPort"), p.ContainerPort, msg))
				}
			}
			if p.HostPort != 0 {
				for _, msg := range IsValidPortNum(int(p.HostPort)) {
					el = append(el, InvalidError(ip.Child("hostPort"), p.HostPort, msg))
				}
			}
			return append(el, validateEnum(p.Protocol, supportedPortProtocols, ip.Child("protocol"))...)
		})...)
	}
	return errs
}

// portNameErrors are the problems with a port name, to be reported at its path.
type portNameErrors struct {
	name string
	msgs []string // the name's format errors
	dup  bool     // an earlier port has the name
}

// at returns the errors reported at fld.
func (e portNameErrors) at(fld FieldPath) ErrorList {
	if len(e.msgs) > 0 {
		errs := make(ErrorList, 0, len(e.msgs))
		for _, msg := range e.msgs {
			errs = append(errs, InvalidError(fld, e.name, msg))
		}
		return errs
	}
	if e.dup {
		return ErrorList{DuplicateError(fld, e.name)}
	}
	return nil
}

// validatePortName checks an optional port name and, when it is well
// formed and new, records it in seen.
func validatePortName(name string, seen map[string]bool) portNameErrors {
	if name == "" {
		return portNameErrors{}
	}
	if msgs := IsValidPortName(name); len(msgs) > 0 {
		return portNameErrors{name: name, msgs: msgs}
	}
	if seen[name] {
		return portNameErrors{name: name, dup: true}
	}
	seen[name] = true
	return portNameErrors{}
}

// validateEnv checks variable names and value sources.
func validateEnv(env []EnvVar, fld FieldPath) ErrorList {
	var errs ErrorList
	for i := range env {
		errs = append(errs, atIndex(fld, i, func(p FieldPath) ErrorList { return validateEnvVar(&env[i], p) })...)
	}
	return errs
}

// validateEnvVar checks one variable's name and value source.
func validateEnvVar(ev *EnvVar, p FieldPath) ErrorList {
	var errs ErrorList
	if ev.Name == "" {
		errs = append(errs, RequiredError(p.Child("name"), ""))
	} else {
		for _, msg := range IsEnvVarName(ev.Name) {
			errs = append(errs, InvalidError(p.Child("name"), ev.Name, msg))
		}
	}
	return append(errs, validateEnvValueFrom(*ev, p.Child("valueFrom"))...)
}

// validateEnvValueFrom checks a valueFrom has exactly one source, not
// alongside a literal value, and that the source is complete.
func validateEnvValueFrom(ev EnvVar, fld FieldPath) ErrorList {
	vf := ev.ValueFrom
	if vf == nil {
		return nil
	}
	var errs ErrorList
	n := 0
	if vf.FieldRef != nil {
		n++
		errs = append(errs, validateFieldRef(vf.FieldRef, supportedEnvFieldPaths, fld.Child("fieldRef"))...)
	}
	for _, ks := range []struct {
		name string
		sel  *KeySelector
	}{{"configMapKeyRef", vf.ConfigMapKeyRef}, {"secretKeyRef", vf.SecretKeyRef}} {
		if ks.sel != nil {
			n++
			errs = append(errs, validateKeySelector(ks.sel, fld.Child(ks.name))...)
		}
	}
	switch {
	case n == 0:
		errs = append(errs, InvalidError(fld, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
	case ev.Value != "":
		errs = append(errs, InvalidError(fld, "", "may not be specified when `value` is not empty"))
	case n > 1:
		errs = append(errs, InvalidError(fld, "", "may not have more than one field specified at a time"))
	}
	return errs
}

// validateKeySelector requires the name and key of a configMap or secret key reference.
func validateKeySelector(k *KeySelector, fld FieldPath) ErrorList {
	var errs ErrorList
	if k.Name == "" {
		errs = append(errs, RequiredError(fld.Child("name"), ""))
	}
	if k.Key == "" {
		errs = append(errs, RequiredError(fld.Child("key"), ""))
	}
	return errs
}

// validateFieldRef checks a downward API field reference: apiVersion v1 and
// a supported field path, or a metadata.labels['k'] / annotations['k'] subscript.
func validateFieldRef(f *ObjectFieldSelector, supported []string, fld FieldPath) ErrorList {
	var errs ErrorList
	if f.APIVersion == "" {
		errs = append(errs, RequiredError(fld.Child("apiVersion"), ""))
	} else if f.APIVersion != "v1" {
		errs = append(errs, InvalidError(fld.Child("apiVersion"), f.APIVersion, `unsupported version: must be "v1"`))
	}
	if f.FieldPath == "" {
		return append(errs, RequiredError(fld.Child("fieldPath"), ""))
	}
	if isLabelOrAnnotationSubscript(f.FieldPath) || containsString(supported, f.FieldPath) {
		return errs
	}
	sorted := append([]string(nil), supported...)
	sort.Strings(sorted)
	return append(errs, NotSupportedError(fld.Child("fieldPath"), f.FieldPath, sorted))
}

// isLabelOrAnnotationSubscript recognises metadata.labels['key'] and metadata.annotations['key'].
func isLabelOrAnnotationSubscript(p string) bool {
	for _, prefix := range []string{"metadata.labels['", "metadata.annotations['"} {
		if strings.HasPrefix(p, prefix) && strings.HasSuffix(p, "']") && len(p) > len(prefix)+2 {
			return true
		}
	}
	return false
}

// validateEnvFrom checks each envFrom has exactly one source and a valid prefix.
func validateEnvFrom(list []EnvFromSource, fld FieldPath) ErrorList {
	var errs ErrorList
	for i, ef := range list {
		p := fld.Index(i)
		if ef.Prefix != "" {
			for _, msg := range IsEnvVarName(ef.Prefix) {
				errs = append(errs, InvalidError(p.Child("prefix"), ef.Prefix, msg))
			}
		}
		n := 0
		refs := []struct {
			name string
			ref  *LocalObjectReference
		}{{"configMapRef", nil}, {"secretRef", nil}}
		if ef.ConfigMapRef != nil {
			refs[0].ref = &ef.ConfigMapRef.LocalObjectReference
		}
		if ef.SecretRef != nil {
			refs[1].ref = &ef.SecretRef.LocalObjectReference
		}
		for _, ref := range refs {
			if ref.ref == nil {
				continue
			}
			n++
			if ref.ref.Name == "" {
				errs = append(errs, RequiredError(p.Child(ref.name).Child("name"), ""))
			}
		}
		if n == 0 {
			errs = append(errs, InvalidError(p, "", "must specify one of: `configMapRef` or `secretRef`"))
		} else if n > 1 {
			errs = append(errs, InvalidError(p, "", "may not have more than one field specified at a time"))
		}
	}
	return errs
}

// validateVolumeMounts checks each mount names a defined volume, has a
// unique mount path and a relative subPath.
func validateVolumeMounts(mounts []VolumeMount, vols map[string]bool, fld FieldPath) ErrorList {
	var errs ErrorList
	paths := map[string]bool{}
	for i := range mounts {
		m := &mounts[i]
		dup := paths[m.MountPath]
		paths[m.MountPath] = true
		errs = append(errs, atIndex(fld, i, func(p FieldPath) ErrorList {
			var el ErrorList
			if m.Name == "" {
				el = append(el, RequiredError(p.Child("name"), ""))
			}
			if !vols[m.Name] {
				el = append(el, NotFoundError(p.Child("name"), m.Name))
			}
			if m.MountPath == "" {
				el = append(el, RequiredError(p.Child("mountPath"), ""))
			}
			if dup {
				el = append(el, InvalidError(p.Child("mountPath"), m.MountPath, "must be unique"))
			}
			return el
		})...)
		if m.SubPath != "" {
			// Upstream reports subPath errors under the list's path, not the item's.
			errs = append(errs, validateLocalDescendingPath(m.SubPath, fld.Child("subPath"))...)
		}
	}
	return errs
}

// validateResources checks resource names and amounts, and that each
// request is at most its limit (equal to it for extended resources).
func validateResources(r *ResourceRequirements, fld FieldPath) ErrorList {
	if len(r.Limits) == 0 && len(r.Requests) == 0 {
		return nil
	}
	limPath, reqPath := fld.Child("limits"), fld.Child("requests")
	var errs ErrorList
	for _, name := range sortedKeys(r.Limits) {
		errs = append(errs, atKey(limPath, name, func(p FieldPath) ErrorList { return validateResourceEntry(name, r.Limits[name], p) })...)
	}
	for _, name := range sortedKeys(r.Requests) {
		q := r.Requests[name]
		errs = append(errs, atKey(reqPath, name, func(p FieldPath) ErrorList { return validateResourceEntry(name, q, p) })...)
		errs = append(errs, validateRequestWithinLimit(name, q, r.Limits, limPath, reqPath)...)
	}
	return errs
}

// validateResourceEntry checks one resource name and quantity.
func validateResourceEntry(name string, q Quantity, fld FieldPath) ErrorList {
	var errs ErrorList
	for _, msg := range IsQualifiedName(name) {
		errs = append(errs, InvalidError(fld, name, msg))
	}
	switch {
	case !strings.Contains(name, "/"):
		if !standardContainerResources[name] && !strings.HasPrefix(name, "hugepages-") {
			errs = append(errs, InvalidError(fld, name, "must be a standard resource for containers"))
		}
	case !isNativeResource(name) && len(IsQualifiedName("requests."+name)) > 0:
		errs = append(errs, InvalidError(fld, name, "doesn't have a known prefix"))
	}
	if q.Sign() < 0 {
		errs = append(errs, InvalidError(fld, q.String(), isNegativeErrorMsg))
	}
	if !isNativeResource(name) && q.MilliValue()%1000 != 0 {
		errs = append(errs, InvalidError(fld, q, "must be an integer"))
	}
	return errs
}

// validateRequestWithinLimit compares a request with its limit.
func validateRequestWithinLimit(name string, q Quantity, limits ResourceList, limPath, reqPath FieldPath) ErrorList {
	lim, ok := limits[name]
	overcommit := isNativeResource(name) && !strings.HasPrefix(name, "hugepages-")
	switch {
	case ok && !overcommit && q.Cmp(lim) != 0:
		return ErrorList{InvalidError(reqPath, q.String(), fmt.Sprintf("must be equal to %s limit of %s", name, lim.String()))}
	case ok && q.Cmp(lim) > 0:
		return ErrorList{InvalidError(reqPath, q.String(), fmt.Sprintf("must be less than or equal to %s limit of %s", name, lim.String()))}
	case !ok && !overcommit:
		return ErrorList{RequiredError(limPath, "Limit must be set for non overcommitable resources")}
	}
	return nil
}

// isNativeResource reports whether a resource belongs to Kubernetes (no
// domain, or a kubernetes.io domain) rather than being extended.
func isNativeResource(name string) bool {
	return !strings.Contains(name, "/") || strings.Contains(name, "kubernetes.io/")
}

// validateProbe checks a probe has exactly one handler and non-negative settings.
func validateProbe(p *Probe, fld FieldPath) ErrorList {
	if p == nil {
		return nil
	}
	errs := validateHandler(p, fld)
	for _, f := range []struct {
		name  string
		value int32
	}{
		{"initialDelaySeconds", p.InitialDelaySeconds}, {"timeoutSeconds", p.TimeoutSeconds},
		{"periodSeconds", p.PeriodSeconds}, {"successThreshold", p.SuccessThreshold}, {"failureThreshold", p.FailureThreshold},
	} {
		if f.value < 0 {
			errs = append(errs, InvalidError(fld.Child(f.name), int64(f.value), isNegativeErrorMsg))
		}
	}
	return errs
}

// validateLivenessProbe adds the liveness rule: successThreshold must be 1.
func validateLivenessProbe(p *Probe, fld FieldPath) ErrorList {
	if p == nil {
		return nil
	}
	errs := validateProbe(p, fld)
	if p.SuccessThreshold != 1 {
		errs = append(errs, InvalidError(fld.Child("successThreshold"), p.SuccessThreshold, "must be 1"))
	}
	return errs
}

// validateHandler checks exactly one of exec, httpGet and tcpSocket is set, and validates it.
func validateHandler(p *Probe, fld FieldPath) ErrorList {
	return validateExactlyOne(fld, "handler type", []oneOf{
		{"exec", p.Exec != nil, func(f FieldPath) ErrorList {
			if len(p.Exec.Command) == 0 {
				return ErrorList{RequiredError(f.Child("command"), "")}
			}
			return nil
		}},
		{"httpGet", p.HTTPGet != nil, func(f FieldPath) ErrorList { return validateHTTPGet(p.HTTPGet, f) }},
		{"tcpSocket", p.TCPSocket != nil, func(f FieldPath) ErrorList { return validatePortNumOrName(p.TCPSocket.Port, f.Child("port")) }},
	})
}

// validateHTTPGet checks an HTTP probe's path, port and scheme.
func validateHTTPGet(h *HTTPGetAction, fld FieldPath) ErrorList {
	var errs ErrorList
	if h.Path == "" {
		errs = append(errs, RequiredError(fld.Child("path"), ""))
	}
	errs = append(errs, validatePortNumOrName(h.Port, fld.Child("port"))...)
	if !containsString(supportedHTTPSchemes, h.Scheme) {
		errs = append(errs, NotSupportedError(fld.Child("scheme"), h.Scheme, supportedHTTPSchemes))
	}
	return errs
}

// validatePortNumOrName checks a port given by number or by name.
func validatePortNumOrName(port IntOrString, fld FieldPath) ErrorList {
	var errs ErrorList
	if port.Type == IntOrStringString {
		for _, msg := range IsValidPortName(port.StrVal) {
			errs = append(errs, InvalidError(fld, port.StrVal, msg))
		}
		return errs
	}
	for _, msg := range IsValidPortNum(int(port.IntVal)) {
		errs = append(errs, InvalidError(fld, int(port.IntVal), msg))
	}
	return errs
}

// validateTolerations is upstream's ValidateTolerations.
func validateTolerations(ts []Toleration, fld FieldPath) ErrorList {
	var errs ErrorList
	for i := range ts {
		errs = append(errs, atIndex(fld, i, func(p FieldPath) ErrorList { return validateToleration(&ts[i], p) })...)
	}
	return errs
}

// validateToleration checks one toleration.
func validateToleration(t *Toleration, p FieldPath) ErrorList {
	var errs ErrorList
	if t.Key != "" {
		for _, msg := range IsQualifiedName(t.Key) {
			errs = append(errs, InvalidError(p.Child("key"), t.Key, msg))
		}
	}
	if t.Key == "" && t.Operator != TolerationOpExists {
		errs = append(errs, InvalidError(p.Child("operator"), t.Operator,
			"operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
	}
	if t.TolerationSeconds != nil && t.Effect != TaintNoExecute {
		errs = append(errs, InvalidError(p.Child("effect"), t.Effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
	}
	errs = append(errs, validateTolerationOperator(*t, p.Child("operator"))...)
	if t.Effect != "" && !containsString(supportedTaintEffects, t.Effect) {
		errs = append(errs, NotSupportedError(p.Child("effect"), t.Effect, supportedTaintEffects))
	}
	return errs
}

// validateTolerationOperator checks the operator and that its value suits it.
func validateTolerationOperator(t Toleration, fld FieldPath) ErrorList {
	switch t.Operator {
	case TolerationOpEqual, "":
		if msgs := IsValidLabelValue(t.Value); len(msgs) > 0 {
			return ErrorList{InvalidError(fld, t.Value, strings.Join(msgs, ";"))}
		}
	case TolerationOpExists:
		if t.Value != "" {
			return ErrorList{InvalidError(fld, t, "value must be empty when `operator` is 'Exists'")}
		}
	default:
		return ErrorList{NotSupportedError(fld, t.Operator, supportedTolerationOps)}
	}
	return nil
}
