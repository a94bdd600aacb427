package storage

import (
	"slices"

	"github.com/kubesim/kubesim/objects"
)

// This file holds the per-kind decisions upstream spreads over its registry
// strategies (pkg/registry/<group>/<kind>/strategy.go). Kinds are named here
// rather than in objects so that a kind added to objects later only needs a
// line in these tables.

// statusSubresourceKinds are the built-in kinds served with a /status
// subresource: their main endpoint ignores status changes and their status
// endpoint ignores everything else.
var statusSubresourceKinds = map[string]bool{
	"Pod": true, "Node": true, "Namespace": true, "Service": true,
	"ReplicationController": true, "PersistentVolume": true, "PersistentVolumeClaim": true,
	"ResourceQuota": true, "Deployment": true, "ReplicaSet": true, "StatefulSet": true,
	"DaemonSet": true, "Job": true, "CronJob": true, "HorizontalPodAutoscaler": true,
	"PodDisruptionBudget": true, "Ingress": true, "CustomResourceDefinition": true,
	"CertificateSigningRequest": true, "APIService": true,
}

// keepStatusOnCreate are status kinds whose creator sets the initial status:
// a kubelet registers its Node with capacity and conditions. Every other
// status kind starts with an empty (or strategy-set) status.
var keepStatusOnCreate = map[string]bool{"Node": true}

// generationKinds are the built-in kinds whose strategy sets
// metadata.generation to 1 on create (PrepareForCreate) and bumps it when
// the spec changes (PrepareForUpdate). Upstream's rest.BeforeCreate sets
// no generation, so every other built-in kind (Namespace, ConfigMap,
// Secret, Service, Endpoints, Event, Node, PersistentVolume and its claim,
// StorageClass, ServiceAccount, HorizontalPodAutoscaler...) has none, and
// rest.BeforeDelete bumps a generation only where there is one. Custom
// resources all have one (customResourceStrategy).
var generationKinds = map[string]bool{
	"Pod": true, "PodTemplate": true, "ReplicationController": true,
	"Deployment": true, "ReplicaSet": true, "StatefulSet": true, "DaemonSet": true,
	"Job": true, "CronJob": true, "EndpointSlice": true,
	"Ingress": true, "IngressClass": true, "NetworkPolicy": true, "PodDisruptionBudget": true,
	"MutatingWebhookConfiguration": true, "ValidatingWebhookConfiguration": true,
	"ValidatingAdmissionPolicy": true, "ValidatingAdmissionPolicyBinding": true,
	"MutatingAdmissionPolicy": true, "MutatingAdmissionPolicyBinding": true,
	"FlowSchema": true, "PriorityLevelConfiguration": true, "CustomResourceDefinition": true,
	"DeviceClass": true, "ResourceSlice": true, "DeviceTaintRule": true,
}

// hasGeneration reports whether objects of kind carry metadata.generation.
func hasGeneration(kind string) bool {
	if _, builtIn := objects.LookupKind(kind); builtIn {
		return generationKinds[kind]
	}
	return true // a custom resource
}

// gcPolicy is upstream's rest.GarbageCollectionPolicy: what deleting an
// owner does to its dependents when the caller names no propagation policy.
type gcPolicy int

const (
	gcDeleteDependents gcPolicy = iota // background cascading deletion
	gcOrphanDependents                 // dependents lose the owner reference
	gcUnsupported                      // never add GC finalizers
)

// defaultGCPolicies lists the kinds whose default is not background
// deletion: batch/v1 Jobs and v1 ReplicationControllers orphan for backward
// compatibility, and core Events opt out of garbage collection.
var defaultGCPolicies = map[string]gcPolicy{
	"Job":                   gcOrphanDependents,
	"ReplicationController": gcOrphanDependents,
	"Event":                 gcUnsupported,
}

// HasStatusSubresource reports whether obj's kind is served with a status
// subresource, so that Update ignores its status and UpdateStatus ignores
// the rest. Objects kept as Unstructured never have one.
func HasStatusSubresource(obj objects.Object) bool {
	return statusSubresourceKinds[obj.GetTypeMeta().Kind] && hasStatusField(obj)
}

// defaultGCPolicy returns the kind's garbage-collection default.
func defaultGCPolicy(kind string) gcPolicy {
	return defaultGCPolicies[kind] // the zero value is gcDeleteDependents
}

// prepareForCreate applies the strategy's PrepareForCreate: status kinds
// start from an empty status, pods as Pending with their QoS class,
// namespaces as Active with the kubernetes finalizer, and Secrets have their
// stringData merged into data.
func prepareForCreate(obj objects.Object) {
	if HasStatusSubresource(obj) && !keepStatusOnCreate[obj.GetTypeMeta().Kind] {
		clearPart(obj, partStatus)
	}
	prepareSecret(obj)
	switch o := obj.(type) {
	case *objects.Pod:
		o.Status.Phase = objects.PodPending
		o.Status.QOSClass = objects.PodQOSClass(o)
	case *objects.Namespace:
		o.Status.Phase = objects.NamespaceActive
		if !slices.Contains(o.Spec.Finalizers, objects.FinalizerKubernetes) {
			o.Spec.Finalizers = append(o.Spec.Finalizers, objects.FinalizerKubernetes)
		}
	case *objects.Job:
		prepareJobForCreate(o)
	}
}

// prepareForUpdate applies the main endpoint's PrepareForUpdate to obj,
// given the stored old: status is the status endpoint's business, and a
// namespace's spec.finalizers the finalize endpoint's. A Secret's
// stringData is merged into data.
func prepareForUpdate(obj, old objects.Object) {
	prepareSecret(obj)
	if HasStatusSubresource(obj) {
		copyPart(obj, old, partStatus)
	}
	if ns, ok := obj.(*objects.Namespace); ok {
		ns.Spec.Finalizers = old.(*objects.Namespace).Spec.Finalizers
	}
	if svc, ok := obj.(*objects.Service); ok {
		keepAllocatedValues(svc, old.(*objects.Service))
	}
}

// prepareForStatusUpdate applies the status endpoint's PrepareForUpdate:
// the spec stays as stored; pods also keep their owner references (old
// kubelets corrupted them) and their QoS class when the caller dropped it.
func prepareForStatusUpdate(obj, old objects.Object) {
	copyPart(obj, old, partSpec)
	if p, ok := obj.(*objects.Pod); ok {
		oldPod := old.(*objects.Pod)
		p.OwnerReferences = oldPod.OwnerReferences
		if p.Status.QOSClass == "" {
			p.Status.QOSClass = oldPod.Status.QOSClass
		}
	}
}
