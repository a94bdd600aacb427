package objects

// This file holds the core/v1 Service and Endpoints kinds and the
// discovery.k8s.io/v1 EndpointSlice kind (k8s.io/api core/v1 and
// discovery/v1 types.go), with their defaulting
// (pkg/apis/core/v1/defaults.go SetDefaults_Service) and the IP-family
// fields the Service REST storage fills in on create. Validation is in
// servicevalidation.go; ClusterIP and NodePort allocation in storage.

// Service types.
const (
	ServiceTypeClusterIP    = "ClusterIP"
	ServiceTypeNodePort     = "NodePort"
	ServiceTypeLoadBalancer = "LoadBalancer"
	ServiceTypeExternalName = "ExternalName"
)

// Service field values, named as upstream names them.
const (
	// ClusterIPNone marks a headless Service.
	ClusterIPNone                         = "None"
	ServiceAffinityNone                   = "None"
	ServiceAffinityClientIP               = "ClientIP"
	ServiceTrafficPolicyCluster           = "Cluster"
	ServiceTrafficPolicyLocal             = "Local"
	IPFamilyPolicySingleStack             = "SingleStack"
	IPFamilyPolicyPreferDual              = "PreferDualStack"
	IPFamilyPolicyRequireDual             = "RequireDualStack"
	IPv4Protocol                          = "IPv4"
	IPv6Protocol                          = "IPv6"
	DefaultClientIPServiceAffinitySeconds = 10800
	// AddressTypeIPv4 is the EndpointSlice address type of IPv4 addresses.
	AddressTypeIPv4 = "IPv4"
	// LabelServiceName is the label linking an EndpointSlice to its Service.
	LabelServiceName = "kubernetes.io/service-name"
	// LabelManagedBy names the controller managing an EndpointSlice.
	LabelManagedBy = "endpointslice.kubernetes.io/managed-by"
	// EndpointSliceControllerName is the LabelManagedBy value of the
	// EndpointSlice controller.
	EndpointSliceControllerName = "endpointslice-controller.k8s.io"
	// LabelHeadless is set on the Endpoints and EndpointSlices of a headless Service.
	LabelHeadless = "service.kubernetes.io/headless"
	// AnnotationEndpointsLastChangeTriggerTime records when the change that
	// triggered the last Endpoints or EndpointSlice update happened.
	AnnotationEndpointsLastChangeTriggerTime = "endpoints.kubernetes.io/last-change-trigger-time"
)

// Service exposes a set of pods under one address (core/v1 Service).
type Service struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       ServiceSpec   `json:"spec"`
	Status     ServiceStatus `json:"status,omitzero"`
}

// DeepCopyObject returns an independent copy of the service.
func (s *Service) DeepCopyObject() Object { return s.DeepCopy() }

// ServiceSpec is what a Service asks for (core/v1 ServiceSpec).
type ServiceSpec struct {
	Ports                         []ServicePort          `json:"ports,omitempty"`
	Selector                      map[string]string      `json:"selector,omitempty"`
	ClusterIP                     string                 `json:"clusterIP,omitempty"`
	ClusterIPs                    []string               `json:"clusterIPs,omitempty"`
	Type                          string                 `json:"type,omitempty"`
	ExternalIPs                   []string               `json:"externalIPs,omitempty"`
	SessionAffinity               string                 `json:"sessionAffinity,omitempty"`
	LoadBalancerIP                string                 `json:"loadBalancerIP,omitempty"`
	LoadBalancerSourceRanges      []string               `json:"loadBalancerSourceRanges,omitempty"`
	ExternalName                  string                 `json:"externalName,omitempty"`
	ExternalTrafficPolicy         string                 `json:"externalTrafficPolicy,omitempty"`
	HealthCheckNodePort           int32                  `json:"healthCheckNodePort,omitempty"`
	PublishNotReadyAddresses      bool                   `json:"publishNotReadyAddresses,omitempty"`
	SessionAffinityConfig         *SessionAffinityConfig `json:"sessionAffinityConfig,omitempty"`
	IPFamilies                    []string               `json:"ipFamilies,omitempty"`
	IPFamilyPolicy                *string                `json:"ipFamilyPolicy,omitempty"`
	AllocateLoadBalancerNodePorts *bool                  `json:"allocateLoadBalancerNodePorts,omitempty"`
	LoadBalancerClass             *string                `json:"loadBalancerClass,omitempty"`
	InternalTrafficPolicy         *string                `json:"internalTrafficPolicy,omitempty"`
	TrafficDistribution           *string                `json:"trafficDistribution,omitempty"`
}

// ServicePort is one port a Service exposes (core/v1 ServicePort).
type ServicePort struct {
	Name        string      `json:"name,omitempty"`
	Protocol    string      `json:"protocol,omitempty"`
	AppProtocol *string     `json:"appProtocol,omitempty"`
	Port        int32       `json:"port"`
	TargetPort  IntOrString `json:"targetPort,omitzero"`
	NodePort    int32       `json:"nodePort,omitempty"`
}

// SessionAffinityConfig configures session affinity.
type SessionAffinityConfig struct {
	ClientIP *ClientIPConfig `json:"clientIP,omitempty"`
}

// ClientIPConfig configures ClientIP session affinity.
type ClientIPConfig struct {
	TimeoutSeconds *int32 `json:"timeoutSeconds,omitempty"`
}

// ServiceStatus is what is known of a Service's load balancer.
type ServiceStatus struct {
	LoadBalancer LoadBalancerStatus `json:"loadBalancer,omitzero"`
}

// LoadBalancerStatus lists a load balancer's ingress points.
type LoadBalancerStatus struct {
	Ingress []LoadBalancerIngress `json:"ingress,omitempty"`
}

// LoadBalancerIngress is one ingress point of a load balancer.
type LoadBalancerIngress struct {
	IP       string `json:"ip,omitempty"`
	Hostname string `json:"hostname,omitempty"`
}

// IsHeadless reports whether the Service has no cluster IP ("None").
func (s *Service) IsHeadless() bool { return s.Spec.ClusterIP == ClusterIPNone }

// Endpoints lists the addresses behind a Service (core/v1 Endpoints).
type Endpoints struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Subsets    []EndpointSubset `json:"subsets,omitempty"`
}

// DeepCopyObject returns an independent copy of the endpoints.
func (e *Endpoints) DeepCopyObject() Object { return e.DeepCopy() }

// EndpointSubset is a set of addresses sharing a set of ports.
type EndpointSubset struct {
	Addresses         []EndpointAddress `json:"addresses,omitempty"`
	NotReadyAddresses []EndpointAddress `json:"notReadyAddresses,omitempty"`
	Ports             []EndpointPort    `json:"ports,omitempty"`
}

// EndpointAddress is one backend address.
type EndpointAddress struct {
	IP        string           `json:"ip"`
	Hostname  string           `json:"hostname,omitempty"`
	NodeName  *string          `json:"nodeName,omitempty"`
	TargetRef *ObjectReference `json:"targetRef,omitempty"`
}

// EndpointPort is one port of the backends.
type EndpointPort struct {
	Name        string  `json:"name,omitempty"`
	Port        int32   `json:"port"`
	Protocol    string  `json:"protocol,omitempty"`
	AppProtocol *string `json:"appProtocol,omitempty"`
}

// EndpointSlice is a slice of the endpoints behind a Service
// (discovery.k8s.io/v1 EndpointSlice).
type EndpointSlice struct {
	TypeMeta    `json:",inline"`
	ObjectMeta  `json:"metadata"`
	AddressType string              `json:"addressType"`
	Endpoints   []Endpoint          `json:"endpoints"`
	Ports       []EndpointSlicePort `json:"ports"`
}

// DeepCopyObject returns an independent copy of the slice.
func (e *EndpointSlice) DeepCopyObject() Object { return e.DeepCopy() }

// Endpoint is one backend of an EndpointSlice.
type Endpoint struct {
	Addresses  []string           `json:"addresses"`
	Conditions EndpointConditions `json:"conditions"`
	Hostname   *string            `json:"hostname,omitempty"`
	TargetRef  *ObjectReference   `json:"targetRef,omitempty"`
	NodeName   *string            `json:"nodeName,omitempty"`
	Zone       *string            `json:"zone,omitempty"`
}

// EndpointConditions are an endpoint's ready, serving and terminating states.
type EndpointConditions struct {
	Ready       *bool `json:"ready,omitempty"`
	Serving     *bool `json:"serving,omitempty"`
	Terminating *bool `json:"terminating,omitempty"`
}

// EndpointSlicePort is one port of an EndpointSlice's endpoints.
type EndpointSlicePort struct {
	Name        *string `json:"name,omitempty"`
	Protocol    *string `json:"protocol,omitempty"`
	Port        *int32  `json:"port,omitempty"`
	AppProtocol *string `json:"appProtocol,omitempty"`
}

// defaultService is SetDefaults_Service: affinity None, type ClusterIP,
// ports TCP with targetPort = port, traffic policies Cluster.
func defaultService(s *Service) {
	sp := &s.Spec
	if sp.SessionAffinity == "" {
		sp.SessionAffinity = ServiceAffinityNone
	}
	if sp.SessionAffinity == ServiceAffinityNone {
		sp.SessionAffinityConfig = nil
	}
	if sp.SessionAffinity == ServiceAffinityClientIP && (sp.SessionAffinityConfig == nil ||
		sp.SessionAffinityConfig.ClientIP == nil || sp.SessionAffinityConfig.ClientIP.TimeoutSeconds == nil) {
		t := int32(DefaultClientIPServiceAffinitySeconds)
		sp.SessionAffinityConfig = &SessionAffinityConfig{ClientIP: &ClientIPConfig{TimeoutSeconds: &t}}
	}
	if sp.Type == "" {
		sp.Type = ServiceTypeClusterIP
	}
	for i := range sp.Ports {
		p := &sp.Ports[i]
		if p.Protocol == "" {
			p.Protocol = ProtocolTCP
		}
		if p.TargetPort == (IntOrString{}) || p.TargetPort == FromString("") {
			p.TargetPort = FromInt(p.Port)
		}
	}
	if (sp.Type == ServiceTypeNodePort || sp.Type == ServiceTypeLoadBalancer) && sp.ExternalTrafficPolicy == "" {
		sp.ExternalTrafficPolicy = ServiceTrafficPolicyCluster
	}
	if sp.InternalTrafficPolicy == nil && sp.Type != ServiceTypeExternalName {
		p := ServiceTrafficPolicyCluster
		sp.InternalTrafficPolicy = &p
	}
	if sp.Type == ServiceTypeLoadBalancer && sp.AllocateLoadBalancerNodePorts == nil {
		t := true
		sp.AllocateLoadBalancerNodePorts = &t
	}
}

// defaultServiceOnCreate fills in what the Service REST storage sets on a
// new single-stack IPv4 cluster (pkg/registry/core/service/storage
// initIPFamilyFields): IPv4 SingleStack, except that a headless Service
// without a selector gets RequireDualStack with the cluster's only family;
// ExternalName Services get no families. clusterIPs mirrors clusterIP.
func defaultServiceOnCreate(s *Service) {
	sp := &s.Spec
	if sp.Type == ServiceTypeExternalName {
		return
	}
	if len(sp.ClusterIPs) == 0 && sp.ClusterIP != "" {
		sp.ClusterIPs = []string{sp.ClusterIP}
	}
	if sp.ClusterIP == "" && len(sp.ClusterIPs) > 0 {
		sp.ClusterIP = sp.ClusterIPs[0]
	}
	if sp.IPFamilyPolicy == nil {
		policy := IPFamilyPolicySingleStack
		if s.IsHeadless() && len(sp.Selector) == 0 {
			policy = IPFamilyPolicyRequireDual
		}
		sp.IPFamilyPolicy = &policy
	}
	if len(sp.IPFamilies) == 0 {
		sp.IPFamilies = []string{IPv4Protocol}
	}
}
