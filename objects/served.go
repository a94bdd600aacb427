package objects

// servedKinds is the one list of the kinds kubesim's API serves: every kind
// a Kubernetes 1.37 kube-apiserver serves with its default settings that is
// stored as an object, with kube-aggregator's APIService and apiextensions'
// CustomResourceDefinition. A manifest naming a kind or version outside it
// (and outside the CustomResourceDefinitions the cluster holds) is refused
// as `no matches for kind "Deploymnet" in version "apps/v1"`, as kubectl's
// REST mapper refuses it.
//
// Sources: the stable group versions kube-apiserver enables by default
// (pkg/controlplane DefaultAPIResourceConfigSource: only GA versions; beta
// APIs are off by default since 1.24 and the last legacy beta, flowcontrol
// v1beta3, went in 1.32) and the kinds each registers (k8s.io/api
// <group>/<version>/register.go as of 1.37: storagemigration v1 and the
// certificates v1 ClusterTrustBundle and PodCertificateRequest are GA in
// 1.37, MutatingAdmissionPolicy in 1.36, DeviceTaintRule joined resource.k8s.io
// v1 in 1.37). Resource names, short names and scopes are those `kubectl
// api-resources` prints.
//
// Left out on purpose:
//   - kinds that are not stored: the reviews (TokenReview,
//     SubjectAccessReview...), Binding, Eviction, Scale, TokenRequest and
//     ComponentStatus, which the apiserver answers without keeping an object;
//   - events.k8s.io/v1 Event, the core Event under a second group: kubesim
//     serves Events as core v1 only.
//
// Deliberate additions: batch/v1beta1 CronJob (served until 1.25) is
// accepted and stored as batch/v1, so that tutorials written for it replay.
//
// Kinds with New are modelled (decoded into their Go types, validated,
// acted on by controllers); the others are stored as Unstructured.
var servedKinds = []KindInfo{
	// core/v1
	{Kind: "ConfigMap", Version: "v1", Resource: "configmaps", ShortNames: []string{"cm"}, Namespaced: true,
		New: func() Object { return &ConfigMap{} }},
	{Kind: "Endpoints", Version: "v1", Resource: "endpoints", Singular: "endpoints", ShortNames: []string{"ep"}, Namespaced: true,
		New: func() Object { return &Endpoints{} }},
	{Kind: "Event", Version: "v1", Resource: "events", ShortNames: []string{"ev"}, Namespaced: true,
		New: func() Object { return &Event{} }},
	{Kind: "LimitRange", Version: "v1", Resource: "limitranges", ShortNames: []string{"limits"}, Namespaced: true},
	{Kind: "Namespace", Version: "v1", Resource: "namespaces", ShortNames: []string{"ns"},
		New: func() Object { return &Namespace{} }},
	{Kind: "Node", Version: "v1", Resource: "nodes", ShortNames: []string{"no"},
		New: func() Object { return &Node{} }},
	{Kind: "PersistentVolumeClaim", Version: "v1", Resource: "persistentvolumeclaims", ShortNames: []string{"pvc"}, Namespaced: true,
		New: func() Object { return &PersistentVolumeClaim{} }},
	{Kind: "PersistentVolume", Version: "v1", Resource: "persistentvolumes", ShortNames: []string{"pv"},
		New: func() Object { return &PersistentVolume{} }},
	{Kind: "Pod", Version: "v1", Resource: "pods", ShortNames: []string{"po"}, Namespaced: true,
		New: func() Object { return &Pod{} }},
	{Kind: "PodTemplate", Version: "v1", Resource: "podtemplates", Namespaced: true},
	{Kind: "ReplicationController", Version: "v1", Resource: "replicationcontrollers", ShortNames: []string{"rc"}, Namespaced: true},
	{Kind: "ResourceQuota", Version: "v1", Resource: "resourcequotas", ShortNames: []string{"quota"}, Namespaced: true},
	{Kind: "Secret", Version: "v1", Resource: "secrets", Namespaced: true,
		New: func() Object { return &Secret{} }},
	{Kind: "ServiceAccount", Version: "v1", Resource: "serviceaccounts", ShortNames: []string{"sa"}, Namespaced: true},
	{Kind: "Service", Version: "v1", Resource: "services", ShortNames: []string{"svc"}, Namespaced: true,
		New: func() Object { return &Service{} }},

	// admissionregistration.k8s.io/v1
	{Kind: "MutatingAdmissionPolicy", Group: "admissionregistration.k8s.io", Version: "v1", Resource: "mutatingadmissionpolicies"},
	{Kind: "MutatingAdmissionPolicyBinding", Group: "admissionregistration.k8s.io", Version: "v1", Resource: "mutatingadmissionpolicybindings"},
	{Kind: "MutatingWebhookConfiguration", Group: "admissionregistration.k8s.io", Version: "v1", Resource: "mutatingwebhookconfigurations"},
	{Kind: "ValidatingAdmissionPolicy", Group: "admissionregistration.k8s.io", Version: "v1", Resource: "validatingadmissionpolicies"},
	{Kind: "ValidatingAdmissionPolicyBinding", Group: "admissionregistration.k8s.io", Version: "v1", Resource: "validatingadmissionpolicybindings"},
	{Kind: "ValidatingWebhookConfiguration", Group: "admissionregistration.k8s.io", Version: "v1", Resource: "validatingwebhookconfigurations"},

	// apiextensions.k8s.io/v1 and apiregistration.k8s.io/v1
	{Kind: "CustomResourceDefinition", Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions", ShortNames: []string{"crd", "crds"}},
	{Kind: "APIService", Group: "apiregistration.k8s.io", Version: "v1", Resource: "apiservices"},

	// apps/v1
	{Kind: "ControllerRevision", Group: "apps", Version: "v1", Resource: "controllerrevisions", Namespaced: true},
	{Kind: "DaemonSet", Group: "apps", Version: "v1", Resource: "daemonsets", ShortNames: []string{"ds"}, Namespaced: true},
	{Kind: "Deployment", Group: "apps", Version: "v1", Resource: "deployments", ShortNames: []string{"deploy"}, Namespaced: true,
		New: func() Object { return &Deployment{} }},
	{Kind: "ReplicaSet", Group: "apps", Version: "v1", Resource: "replicasets", ShortNames: []string{"rs"}, Namespaced: true,
		New: func() Object { return &ReplicaSet{} }},
	{Kind: "StatefulSet", Group: "apps", Version: "v1", Resource: "statefulsets", ShortNames: []string{"sts"}, Namespaced: true,
		New: func() Object { return &StatefulSet{} }},

	// autoscaling/v2 (preferred) and v1
	{Kind: "HorizontalPodAutoscaler", Group: "autoscaling", Version: "v2", OtherVersions: []string{"v1"},
		Resource: "horizontalpodautoscalers", ShortNames: []string{"hpa"}, Namespaced: true},

	// batch/v1
	{Kind: "CronJob", Group: "batch", Version: "v1", OtherVersions: []string{"v1beta1"},
		Resource: "cronjobs", ShortNames: []string{"cj"}, Namespaced: true,
		New: func() Object { return &CronJob{} }},
	{Kind: "Job", Group: "batch", Version: "v1", Resource: "jobs", Namespaced: true,
		New: func() Object { return &Job{} }},

	// certificates.k8s.io/v1
	{Kind: "CertificateSigningRequest", Group: "certificates.k8s.io", Version: "v1", Resource: "certificatesigningrequests", ShortNames: []string{"csr"}},
	{Kind: "ClusterTrustBundle", Group: "certificates.k8s.io", Version: "v1", Resource: "clustertrustbundles"},
	{Kind: "PodCertificateRequest", Group: "certificates.k8s.io", Version: "v1", Resource: "podcertificaterequests", Namespaced: true},

	// coordination.k8s.io/v1, discovery.k8s.io/v1
	{Kind: "Lease", Group: "coordination.k8s.io", Version: "v1", Resource: "leases", Namespaced: true},
	{Kind: "EndpointSlice", Group: "discovery.k8s.io", Version: "v1", Resource: "endpointslices", Namespaced: true,
		New: func() Object { return &EndpointSlice{} }},

	// flowcontrol.apiserver.k8s.io/v1
	{Kind: "FlowSchema", Group: "flowcontrol.apiserver.k8s.io", Version: "v1", Resource: "flowschemas"},
	{Kind: "PriorityLevelConfiguration", Group: "flowcontrol.apiserver.k8s.io", Version: "v1", Resource: "prioritylevelconfigurations"},

	// networking.k8s.io/v1
	{Kind: "IPAddress", Group: "networking.k8s.io", Version: "v1", Resource: "ipaddresses", ShortNames: []string{"ip"}},
	{Kind: "IngressClass", Group: "networking.k8s.io", Version: "v1", Resource: "ingressclasses"},
	{Kind: "Ingress", Group: "networking.k8s.io", Version: "v1", Resource: "ingresses", ShortNames: []string{"ing"}, Namespaced: true},
	{Kind: "NetworkPolicy", Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies", ShortNames: []string{"netpol"}, Namespaced: true},
	{Kind: "ServiceCIDR", Group: "networking.k8s.io", Version: "v1", Resource: "servicecidrs"},

	// node.k8s.io/v1, policy/v1
	{Kind: "RuntimeClass", Group: "node.k8s.io", Version: "v1", Resource: "runtimeclasses"},
	{Kind: "PodDisruptionBudget", Group: "policy", Version: "v1", Resource: "poddisruptionbudgets", ShortNames: []string{"pdb"}, Namespaced: true},

	// rbac.authorization.k8s.io/v1
	{Kind: "ClusterRoleBinding", Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterrolebindings"},
	{Kind: "ClusterRole", Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"},
	{Kind: "RoleBinding", Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings", Namespaced: true},
	{Kind: "Role", Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles", Namespaced: true},

	// resource.k8s.io/v1
	{Kind: "DeviceClass", Group: "resource.k8s.io", Version: "v1", Resource: "deviceclasses"},
	{Kind: "DeviceTaintRule", Group: "resource.k8s.io", Version: "v1", Resource: "devicetaintrules"},
	{Kind: "ResourceClaimTemplate", Group: "resource.k8s.io", Version: "v1", Resource: "resourceclaimtemplates", Namespaced: true},
	{Kind: "ResourceClaim", Group: "resource.k8s.io", Version: "v1", Resource: "resourceclaims", Namespaced: true},
	{Kind: "ResourceSlice", Group: "resource.k8s.io", Version: "v1", Resource: "resourceslices"},

	// scheduling.k8s.io/v1
	{Kind: "PriorityClass", Group: "scheduling.k8s.io", Version: "v1", Resource: "priorityclasses", ShortNames: []string{"pc"}},

	// storage.k8s.io/v1
	{Kind: "CSIDriver", Group: "storage.k8s.io", Version: "v1", Resource: "csidrivers"},
	{Kind: "CSINode", Group: "storage.k8s.io", Version: "v1", Resource: "csinodes"},
	{Kind: "CSIStorageCapacity", Group: "storage.k8s.io", Version: "v1", Resource: "csistoragecapacities", Namespaced: true},
	{Kind: "StorageClass", Group: "storage.k8s.io", Version: "v1", Resource: "storageclasses", ShortNames: []string{"sc"},
		New: func() Object { return &StorageClass{} }},
	{Kind: "VolumeAttachment", Group: "storage.k8s.io", Version: "v1", Resource: "volumeattachments"},
	{Kind: "VolumeAttributesClass", Group: "storage.k8s.io", Version: "v1", Resource: "volumeattributesclasses", ShortNames: []string{"vac"}},

	// storagemigration.k8s.io/v1
	{Kind: "StorageVersionMigration", Group: "storagemigration.k8s.io", Version: "v1", Resource: "storageversionmigrations"},
}

// ServesVersion reports whether the API serves kind in apiVersion: a kind
// of servedKinds named with its group and one of its versions. Custom
// resources are not in the list: whether they are served depends on the
// CustomResourceDefinitions a cluster holds.
func ServesVersion(kind, apiVersion string) bool {
	info, ok := LookupKind(kind)
	return ok && servesVersion(info, apiVersion)
}
