package sim

import (
	"fmt"

	"github.com/kubesim/kubesim/controllers/kubelet"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/objects"
)

// Logs returns the lines a pod's container printed up to now, as `kubectl
// logs` shows them; previous selects the run before the current one. An
// empty container name means the pod's first container.
func (c *Cluster) Logs(namespace, pod, container string, previous bool) ([]string, error) {
	k, key, name, err := c.kubeletFor(namespace, pod, container)
	if err != nil {
		return nil, err
	}
	return k.Logs(key, name, previous, c.clock.Now())
}

// ContainerFS returns the filesystem a pod's container sees now. An empty
// container name means the pod's first container.
func (c *Cluster) ContainerFS(namespace, pod, container string) (*vfs.View, error) {
	k, key, name, err := c.kubeletFor(namespace, pod, container)
	if err != nil {
		return nil, err
	}
	return k.ContainerFS(key, name, c.clock.Now())
}

// NodeFS returns a node's own filesystem (what hostPath volumes mount), or
// nil when there is no such node.
func (c *Cluster) NodeFS(node string) *vfs.FS {
	c.machines.hostTable() // provisioned on first use
	if k := c.kubelets[node]; k != nil {
		return k.HostFS()
	}
	return nil
}

// kubeletFor finds the kubelet running a pod and resolves the container name.
func (c *Cluster) kubeletFor(namespace, pod, container string) (*kubelet.Kubelet, objects.Key, string, error) {
	if namespace == "" {
		namespace = objects.NamespaceDefault
	}
	key := objects.Key{Kind: "Pod", Namespace: namespace, Name: pod}
	obj, err := c.store.Get(key)
	if err != nil {
		return nil, key, "", err
	}
	p := obj.(*objects.Pod)
	if container == "" && len(p.Spec.Containers) > 0 {
		container = p.Spec.Containers[0].Name
	}
	k := c.kubelets[p.Spec.NodeName]
	if k == nil {
		return nil, key, "", fmt.Errorf("pod %s/%s is not scheduled to a node yet", namespace, pod)
	}
	return k, key, container, nil
}
