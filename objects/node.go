package objects

// Node is a machine pods run on (core/v1 Node, cluster-scoped).
type Node struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       NodeSpec   `json:"spec,omitzero"`
	Status     NodeStatus `json:"status,omitzero"`
}

// DeepCopyObject returns an independent copy of the node.
func (n *Node) DeepCopyObject() Object { return n.DeepCopy() }

// NodeSpec holds a node's pod CIDR, taints and schedulability.
type NodeSpec struct {
	PodCIDR       string   `json:"podCIDR,omitempty"`
	PodCIDRs      []string `json:"podCIDRs,omitempty"`
	Unschedulable bool     `json:"unschedulable,omitempty"`
	Taints        []Taint  `json:"taints,omitempty"`
}

// Taint repels pods that do not tolerate it.
type Taint struct {
	Key       string `json:"key"`
	Value     string `json:"value,omitempty"`
	Effect    string `json:"effect"`
	TimeAdded *Time  `json:"timeAdded,omitempty"`
}

// Taint effects.
const (
	TaintNoSchedule       = "NoSchedule"
	TaintPreferNoSchedule = "PreferNoSchedule"
	TaintNoExecute        = "NoExecute"
)

// Well-known taint keys and node labels.
const (
	TaintControlPlane         = "node-role.kubernetes.io/control-plane"
	TaintNodeNotReady         = "node.kubernetes.io/not-ready"
	TaintNodeUnreachable      = "node.kubernetes.io/unreachable"
	LabelHostname             = "kubernetes.io/hostname"
	LabelOS                   = "kubernetes.io/os"
	LabelArch                 = "kubernetes.io/arch"
	LabelNodeRoleControlPlane = "node-role.kubernetes.io/control-plane"
)

// NodeStatus is what a node's kubelet reports.
type NodeStatus struct {
	Capacity    ResourceList     `json:"capacity,omitempty"`
	Allocatable ResourceList     `json:"allocatable,omitempty"`
	Conditions  []NodeCondition  `json:"conditions,omitempty"`
	Addresses   []NodeAddress    `json:"addresses,omitempty"`
	NodeInfo    NodeSystemInfo   `json:"nodeInfo,omitzero"`
	Images      []ContainerImage `json:"images,omitempty"`
}

// NodeCondition is one condition of a node (Ready, MemoryPressure...).
type NodeCondition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	LastHeartbeatTime  Time   `json:"lastHeartbeatTime,omitzero"`
	LastTransitionTime Time   `json:"lastTransitionTime,omitzero"`
	Reason             string `json:"reason,omitempty"`
	Message            string `json:"message,omitempty"`
}

// Node condition types.
const (
	NodeReady = "Ready"
)

// NodeAddress is one address of a node.
type NodeAddress struct {
	Type    string `json:"type"`
	Address string `json:"address"`
}

// NodeSystemInfo describes a node's software.
type NodeSystemInfo struct {
	KubeletVersion          string `json:"kubeletVersion,omitempty"`
	ContainerRuntimeVersion string `json:"containerRuntimeVersion,omitempty"`
	KernelVersion           string `json:"kernelVersion,omitempty"`
	OSImage                 string `json:"osImage,omitempty"`
	OperatingSystem         string `json:"operatingSystem,omitempty"`
	Architecture            string `json:"architecture,omitempty"`
}

// ContainerImage is an image present on a node.
type ContainerImage struct {
	Names     []string `json:"names"`
	SizeBytes int64    `json:"sizeBytes,omitempty"`
}
