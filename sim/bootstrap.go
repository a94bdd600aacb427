package sim

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
)

// systemNamespaces are the namespaces every cluster starts with.
var systemNamespaces = []string{"default", "kube-node-lease", "kube-public", "kube-system"}

// bootstrap creates what a freshly installed cluster has: its namespaces,
// its nodes, registered and Ready, the kubernetes and kube-dns Services,
// and each namespace's default ServiceAccount and kube-root-ca.crt.
func (c *Cluster) bootstrap() error {
	for _, ns := range systemNamespaces {
		obj := &objects.Namespace{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
			ObjectMeta: objects.ObjectMeta{Name: ns, Labels: map[string]string{"kubernetes.io/metadata.name": ns}}}
		if _, err := c.store.Create(obj); err != nil {
			return fmt.Errorf("sim: creating namespace %s: %w", ns, err)
		}
	}
	for _, n := range c.cfg.Nodes {
		node, err := c.nodeObject(n)
		if err != nil {
			return err
		}
		created, err := c.store.Create(node)
		if err != nil {
			return fmt.Errorf("sim: registering node %s: %w", n.Name, err)
		}
		// The kubelet reports its status through the status subresource.
		st := created.(*objects.Node)
		st.Status = node.Status
		if _, err := c.store.UpdateStatus(st); err != nil {
			return fmt.Errorf("sim: reporting node %s ready: %w", n.Name, err)
		}
	}
	if err := c.bootstrapNetwork(); err != nil {
		return err
	}
	return c.bootstrapAccounts()
}

// nodeObject builds the Node a kubelet registers for n.
func (c *Cluster) nodeObject(n NodeConfig) (*objects.Node, error) {
	cpu, err := objects.ParseQuantity(n.CPU)
	if err != nil {
		return nil, fmt.Errorf("sim: node %s: cpu: %v", n.Name, err)
	}
	mem, err := objects.ParseQuantity(n.Memory)
	if err != nil {
		return nil, fmt.Errorf("sim: node %s: memory: %v", n.Name, err)
	}
	pods, err := objects.ParseQuantity(fmt.Sprint(n.MaxPods))
	if err != nil {
		return nil, err
	}
	labels := map[string]string{
		objects.LabelArch: "amd64", objects.LabelOS: "linux", objects.LabelHostname: n.Name,
		"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
	}
	var taints []objects.Taint
	if n.ControlPlane {
		roles, taintKeys := controlPlaneMarks(c.minor())
		for _, r := range roles {
			labels[r] = ""
		}
		for _, k := range taintKeys {
			taints = append(taints, objects.Taint{Key: k, Effect: objects.TaintNoSchedule})
		}
	}
	resources := objects.ResourceList{objects.ResourceCPU: cpu, objects.ResourceMemory: mem, objects.ResourcePods: pods}
	now := objects.NewTime(c.clock.Now())
	return &objects.Node{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "Node"},
		ObjectMeta: objects.ObjectMeta{Name: n.Name, Labels: labels},
		Spec:       objects.NodeSpec{PodCIDR: n.PodCIDR, PodCIDRs: []string{n.PodCIDR}, Taints: taints},
		Status: objects.NodeStatus{
			Capacity: resources, Allocatable: resources,
			Conditions: []objects.NodeCondition{{
				Type: objects.NodeReady, Status: objects.ConditionTrue, Reason: "KubeletReady",
				Message: "kubelet is posting ready status", LastHeartbeatTime: now, LastTransitionTime: now,
			}},
			Addresses: []objects.NodeAddress{{Type: "InternalIP", Address: n.InternalIP}, {Type: "Hostname", Address: n.Name}},
			NodeInfo: objects.NodeSystemInfo{KubeletVersion: "v" + c.cfg.KubernetesVersion, ContainerRuntimeVersion: "containerd://1.7.24",
				KernelVersion: "3.10.0-1160.el7.x86_64", OSImage: "CentOS Linux 7 (Core)", OperatingSystem: "linux", Architecture: "amd64"},
		},
	}, nil
}
