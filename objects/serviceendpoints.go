package objects

import "fmt"

// Helpers shared by the Endpoints and EndpointSlice controllers and the
// network model, after upstream's pkg/api/v1/pod (FindPort) and
// endpointslice util (ShouldPodBeInEndpoints).

// PodHasReadyCondition reports whether the pod's Ready condition is True.
func PodHasReadyCondition(p *Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == PodReady {
			return c.Status == ConditionTrue
		}
	}
	return false
}

// ShouldPodBeInEndpoints is upstream's ShouldPodBeInEndpoints: a pod backs
// a Service once it has an IP and until it ends; a terminating pod only
// when includeTerminating.
func ShouldPodBeInEndpoints(p *Pod, includeTerminating bool) bool {
	if p.Status.Phase == PodSucceeded || p.Status.Phase == PodFailed {
		return false
	}
	if p.Status.PodIP == "" {
		return false
	}
	return includeTerminating || p.DeletionTimestamp == nil
}

// EndpointHostname returns the hostname a pod has under svc: its
// spec.hostname when its spec.subdomain names svc in the same namespace,
// else "".
func EndpointHostname(p *Pod, svc *Service) string {
	if p.Spec.Hostname != "" && p.Spec.Subdomain == svc.Name && p.Namespace == svc.Namespace {
		return p.Spec.Hostname
	}
	return ""
}

// FindPort is upstream's podutil.FindPort: the container port a Service
// port's targetPort names in p, a number as it is, a name through the
// containers' named ports with the same protocol.
func FindPort(p *Pod, sp ServicePort) (int32, error) {
	if sp.TargetPort.Type != IntOrStringString {
		return sp.TargetPort.IntVal, nil
	}
	name := sp.TargetPort.StrVal
	for _, c := range p.Spec.Containers {
		for _, port := range c.Ports {
			if port.Name == name && port.Protocol == sp.Protocol {
				return port.ContainerPort, nil
			}
		}
	}
	return 0, fmt.Errorf("no suitable port for manifest: %s", p.UID)
}

// PodReference is the targetRef an endpoint carries for p.
func PodReference(p *Pod) *ObjectReference {
	return &ObjectReference{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: p.UID}
}
