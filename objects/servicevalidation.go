package objects

import (
	"errors"
	"net/netip"
	"strings"
)

// Service, Endpoints and EndpointSlice validation, after upstream's
// ValidateService, ValidateServiceUpdate, ValidateEndpoints and
// ValidateEndpointSlice (pkg/apis/core/validation, pkg/apis/discovery/validation).
// Whether a requested clusterIP lies in the service CIDR and is free is the
// allocator's question, asked by storage.

// Validation messages, worded as upstream's.
const (
	msgInvalidIP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
)

// supportedServiceTypes and friends are upstream's sets, sorted as its
// NotSupported messages list them.
var (
	supportedServiceTypes    = []string{ServiceTypeClusterIP, ServiceTypeExternalName, ServiceTypeLoadBalancer, ServiceTypeNodePort}
	supportedSessionAffinity = []string{ServiceAffinityClientIP, ServiceAffinityNone}
)

// nameIsDNS1035Label is upstream's ValidateServiceName.
func nameIsDNS1035Label(name string, prefix bool) []string {
	if prefix {
		name = maskTrailingDash(name)
	}
	return IsDNS1035Label(name)
}

// validateService is upstream's ValidateService for the fields kubesim models.
func validateService(s *Service) ErrorList {
	errs := validateObjectMeta(&s.ObjectMeta, true, nameIsDNS1035Label, "metadata")
	spec := NewFieldPath("spec")
	sp := &s.Spec
	if !containsString(supportedServiceTypes, sp.Type) {
		errs = append(errs, NotSupportedError(spec.Child("type"), sp.Type, supportedServiceTypes))
	}
	if len(sp.Ports) == 0 && !s.IsHeadless() && sp.Type != ServiceTypeExternalName {
		errs = append(errs, RequiredError(spec.Child("ports"), ""))
	}
	if sp.Type == ServiceTypeExternalName && sp.ExternalName == "" {
		errs = append(errs, RequiredError(spec.Child("externalName"), ""))
	}
	errs = append(errs, validateServicePorts(sp, spec.Child("ports"))...)
	errs = append(errs, validateClusterIPs(sp, spec)...)
	if sp.Selector != nil {
		errs = append(errs, ValidateLabels(sp.Selector, spec.Child("selector"))...)
	}
	if !containsString(supportedSessionAffinity, sp.SessionAffinity) {
		errs = append(errs, NotSupportedError(spec.Child("sessionAffinity"), sp.SessionAffinity, supportedSessionAffinity))
	}
	return errs
}

// validateServicePorts checks each port, the names' uniqueness, and that
// only NodePort and LoadBalancer Services name node ports.
func validateServicePorts(sp *ServiceSpec, path FieldPath) ErrorList {
	var errs ErrorList
	names := map[string]bool{}
	for i, p := range sp.Ports {
		pp := path.Index(i)
		errs = append(errs, validateServicePort(p, len(sp.Ports) > 1, pp)...)
		if p.Name != "" && names[p.Name] {
			errs = append(errs, DuplicateError(pp.Child("name"), p.Name))
		}
		names[p.Name] = true
		if p.NodePort != 0 && sp.Type == ServiceTypeClusterIP {
			errs = append(errs, ForbiddenError(pp.Child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
		}
	}
	return errs
}

// validateServicePort is upstream's validateServicePort.
func validateServicePort(p ServicePort, requireName bool, path FieldPath) ErrorList {
	var errs ErrorList
	if requireName && p.Name == "" {
		errs = append(errs, RequiredError(path.Child("name"), ""))
	} else if p.Name != "" {
		for _, msg := range IsDNS1123Label(p.Name) {
			errs = append(errs, InvalidError(path.Child("name"), p.Name, msg))
		}
	}
	for _, msg := range IsValidPortNum(int(p.Port)) {
		errs = append(errs, InvalidError(path.Child("port"), p.Port, msg))
	}
	if !containsString(supportedPortProtocols, p.Protocol) {
		errs = append(errs, NotSupportedError(path.Child("protocol"), p.Protocol, supportedPortProtocols))
	}
	if p.TargetPort.Type == IntOrStringString {
		for _, msg := range IsValidPortName(p.TargetPort.StrVal) {
			errs = append(errs, InvalidError(path.Child("targetPort"), p.TargetPort.StrVal, msg))
		}
	} else {
		for _, msg := range IsValidPortNum(int(p.TargetPort.IntVal)) {
			errs = append(errs, InvalidError(path.Child("targetPort"), p.TargetPort.IntVal, msg))
		}
	}
	return errs
}

// validateClusterIPs checks that clusterIP is an IP or "None" and agrees
// with clusterIPs[0].
func validateClusterIPs(sp *ServiceSpec, spec FieldPath) ErrorList {
	var errs ErrorList
	if len(sp.ClusterIPs) > 0 && sp.ClusterIP != sp.ClusterIPs[0] {
		errs = append(errs, InvalidError(spec.Child("clusterIPs"), clusterIPsValue(sp.ClusterIPs),
			"first value must match `clusterIP`"))
	}
	for i, ip := range sp.ClusterIPs {
		if ip == ClusterIPNone {
			if i > 0 || len(sp.ClusterIPs) > 1 {
				errs = append(errs, InvalidError(spec.Child("clusterIPs").Index(i), ip, "'None' must be the first and only value"))
			}
			continue
		}
		if _, err := netip.ParseAddr(ip); err != nil {
			errs = append(errs, InvalidError(spec.Child("clusterIPs").Index(i), ip, msgInvalidIP))
		}
	}
	return errs
}

// validateServiceUpdate adds the update rules: a set clusterIP never changes.
func validateServiceUpdate(s, old *Service) ErrorList {
	var errs ErrorList
	if old.Spec.Type != ServiceTypeExternalName && old.Spec.ClusterIP != "" && s.Spec.ClusterIP != old.Spec.ClusterIP {
		errs = append(errs, InvalidError(NewFieldPath("spec").Child("clusterIP"), s.Spec.ClusterIP, fieldImmutableErrorMsg))
	}
	return errs
}

// validateEndpoints checks an Endpoints object's name and addresses.
func validateEndpoints(e *Endpoints) ErrorList {
	errs := validateObjectMeta(&e.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	for i, ss := range e.Subsets {
		sp := NewFieldPath("subsets").Index(i)
		for j, a := range ss.Addresses {
			errs = append(errs, validateEndpointIP(a.IP, sp.Child("addresses").Index(j).Child("ip"))...)
		}
		for j, a := range ss.NotReadyAddresses {
			errs = append(errs, validateEndpointIP(a.IP, sp.Child("notReadyAddresses").Index(j).Child("ip"))...)
		}
	}
	return errs
}

// validateEndpointIP checks one endpoint address.
func validateEndpointIP(ip string, path FieldPath) ErrorList {
	if _, err := netip.ParseAddr(ip); err != nil {
		return ErrorList{InvalidError(path, ip, msgInvalidIP)}
	}
	return nil
}

// validateEndpointSlice checks an EndpointSlice's name and address type.
func validateEndpointSlice(e *EndpointSlice) ErrorList {
	errs := validateObjectMeta(&e.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	valid := []string{"FQDN", AddressTypeIPv4, IPv6Protocol}
	if !containsString(valid, e.AddressType) {
		errs = append(errs, NotSupportedError(NewFieldPath("addressType"), e.AddressType, valid))
	}
	return errs
}

// clusterIPsValue prints as upstream prints a []string bad value, with Go
// syntax (`[]string{"10.96.0.10"}`): its JSON form is refused so that the
// field error falls back to %#v, which uses GoString.
type clusterIPsValue []string

// MarshalJSON refuses, so that the error message uses GoString.
func (v clusterIPsValue) MarshalJSON() ([]byte, error) { return nil, errNoJSON }

// GoString prints the list as Go source: []string{"a", "b"}.
func (v clusterIPsValue) GoString() string {
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = `"` + s + `"`
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}

// errNoJSON is what clusterIPsValue.MarshalJSON returns.
var errNoJSON = errors.New("no JSON form")

// ClusterIPsValue returns ips as a field error's bad value, printed as
// upstream prints a []string.
func ClusterIPsValue(ips []string) any { return clusterIPsValue(ips) }
