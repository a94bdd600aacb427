package objects

// Namespace groups namespaced objects (core/v1 Namespace, cluster-scoped).
type Namespace struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       NamespaceSpec   `json:"spec,omitzero"`
	Status     NamespaceStatus `json:"status,omitzero"`
}

// DeepCopyObject returns an independent copy of the namespace.
func (n *Namespace) DeepCopyObject() Object { return n.DeepCopy() }

// NamespaceSpec holds the namespace's finalizers.
type NamespaceSpec struct {
	Finalizers []string `json:"finalizers,omitempty"`
}

// NamespaceStatus is Active or Terminating.
type NamespaceStatus struct {
	Phase string `json:"phase,omitempty"`
}

// Namespace phases and well-known namespaces.
const (
	NamespaceActive      = "Active"
	NamespaceTerminating = "Terminating"
	NamespaceDefault     = "default"
	NamespaceSystem      = "kube-system"
)
