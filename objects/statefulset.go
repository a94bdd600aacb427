package objects

// This file holds the apps/v1 StatefulSet kind (k8s.io/api apps/v1
// types.go) and its defaulting (pkg/apis/apps/v1/defaults.go
// SetDefaults_StatefulSet, as of Kubernetes 1.37 with the
// MaxUnavailableStatefulSet gate on, its default). Validation is in
// statefulsetvalidation.go.

// StatefulSet runs pods with stable identities: ordinal names, hostnames
// under a headless Service and their own PersistentVolumeClaims (apps/v1
// StatefulSet).
type StatefulSet struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       StatefulSetSpec   `json:"spec"`
	Status     StatefulSetStatus `json:"status,omitzero"`
}

// DeepCopyObject returns an independent copy of the StatefulSet.
func (s *StatefulSet) DeepCopyObject() Object { return s.DeepCopy() }

// StatefulSetSpec is what a StatefulSet asks for (apps/v1 StatefulSetSpec).
type StatefulSetSpec struct {
	// Replicas is the number of pods wanted; defaulted to 1.
	Replicas *int32 `json:"replicas,omitempty"`
	// Selector must match the template's labels.
	Selector *LabelSelector `json:"selector"`
	// Template is the pod every ordinal runs.
	Template PodTemplateSpec `json:"template"`
	// VolumeClaimTemplates are the claims each pod gets, named
	// "<template>-<set>-<ordinal>" and mounted as the volume "<template>".
	VolumeClaimTemplates []PersistentVolumeClaim `json:"volumeClaimTemplates,omitempty"`
	// ServiceName is the headless Service giving the pods their DNS names;
	// it is the pods' subdomain.
	ServiceName string `json:"serviceName,omitempty"`
	// PodManagementPolicy is OrderedReady (one pod at a time, in order) or Parallel.
	PodManagementPolicy string `json:"podManagementPolicy,omitempty"`
	// UpdateStrategy says how a template change reaches the pods.
	UpdateStrategy StatefulSetUpdateStrategy `json:"updateStrategy,omitzero"`
	// RevisionHistoryLimit is how many old revisions are kept; defaulted to 10.
	RevisionHistoryLimit *int32 `json:"revisionHistoryLimit,omitempty"`
	// MinReadySeconds is how long a pod must be ready to count as available.
	MinReadySeconds int32 `json:"minReadySeconds,omitempty"`
	// PersistentVolumeClaimRetentionPolicy says whether scale-down and
	// deletion of the set delete its claims; defaulted to Retain for both.
	PersistentVolumeClaimRetentionPolicy *StatefulSetPersistentVolumeClaimRetentionPolicy `json:"persistentVolumeClaimRetentionPolicy,omitempty"`
	// Ordinals sets the first ordinal; nil means 0.
	Ordinals *StatefulSetOrdinals `json:"ordinals,omitempty"`
}

// StatefulSetUpdateStrategy is RollingUpdate (with its parameters) or OnDelete.
type StatefulSetUpdateStrategy struct {
	Type          string                            `json:"type,omitempty"`
	RollingUpdate *RollingUpdateStatefulSetStrategy `json:"rollingUpdate,omitempty"`
}

// RollingUpdateStatefulSetStrategy bounds a rolling update: ordinals below
// partition keep the current revision, and at most maxUnavailable pods are
// unavailable at once.
type RollingUpdateStatefulSetStrategy struct {
	Partition      *int32       `json:"partition,omitempty"`
	MaxUnavailable *IntOrString `json:"maxUnavailable,omitempty"`
}

// StatefulSetPersistentVolumeClaimRetentionPolicy says what happens to the
// claims from volumeClaimTemplates when the set is deleted or scaled down:
// Retain or Delete.
type StatefulSetPersistentVolumeClaimRetentionPolicy struct {
	WhenDeleted string `json:"whenDeleted,omitempty"`
	WhenScaled  string `json:"whenScaled,omitempty"`
}

// StatefulSetOrdinals sets the ordinal of the first replica.
type StatefulSetOrdinals struct {
	Start int32 `json:"start"`
}

// StatefulSetStatus is what the StatefulSet controller reports (apps/v1
// StatefulSetStatus). Like upstream's, replicas and availableReplicas are
// always serialised.
type StatefulSetStatus struct {
	ObservedGeneration int64                  `json:"observedGeneration,omitempty"`
	Replicas           int32                  `json:"replicas"`
	ReadyReplicas      int32                  `json:"readyReplicas,omitempty"`
	CurrentReplicas    int32                  `json:"currentReplicas,omitempty"`
	UpdatedReplicas    int32                  `json:"updatedReplicas,omitempty"`
	CurrentRevision    string                 `json:"currentRevision,omitempty"`
	UpdateRevision     string                 `json:"updateRevision,omitempty"`
	CollisionCount     *int32                 `json:"collisionCount,omitempty"`
	Conditions         []StatefulSetCondition `json:"conditions,omitempty"`
	AvailableReplicas  int32                  `json:"availableReplicas"`
}

// StatefulSetCondition is one condition of a StatefulSet.
type StatefulSetCondition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	LastTransitionTime Time   `json:"lastTransitionTime,omitzero"`
	Reason             string `json:"reason,omitempty"`
	Message            string `json:"message,omitempty"`
}

// StatefulSet pod management policies.
const (
	OrderedReadyPodManagement = "OrderedReady"
	ParallelPodManagement     = "Parallel"
)

// StatefulSet update strategy types.
const (
	RollingUpdateStatefulSetStrategyType = "RollingUpdate"
	OnDeleteStatefulSetStrategyType      = "OnDelete"
)

// PersistentVolumeClaim retention policy types.
const (
	RetainPersistentVolumeClaimRetentionPolicyType = "Retain"
	DeletePersistentVolumeClaimRetentionPolicyType = "Delete"
)

// Labels the StatefulSet controller puts on its pods (apps/v1 types.go).
const (
	// StatefulSetPodNameLabel carries the pod's own name.
	StatefulSetPodNameLabel = "statefulset.kubernetes.io/pod-name"
	// PodIndexLabel carries the pod's ordinal.
	PodIndexLabel = "apps.kubernetes.io/pod-index"
	// ControllerRevisionHashLabelKey carries the revision the pod was made from.
	ControllerRevisionHashLabelKey = "controller-revision-hash"
)

// StatefulSet defaults (SetDefaults_StatefulSet).
const (
	DefaultStatefulSetReplicas             = 1
	DefaultStatefulSetRevisionHistoryLimit = 10
	DefaultStatefulSetMaxUnavailable       = 1
)

// defaultStatefulSet is SetDefaults_StatefulSet plus the pod template's defaults.
func defaultStatefulSet(s *StatefulSet) {
	sp := &s.Spec
	if sp.PodManagementPolicy == "" {
		sp.PodManagementPolicy = OrderedReadyPodManagement
	}
	if sp.UpdateStrategy.Type == "" {
		sp.UpdateStrategy.Type = RollingUpdateStatefulSetStrategyType
	}
	if sp.UpdateStrategy.Type == RollingUpdateStatefulSetStrategyType {
		defaultStatefulSetRollingUpdate(&sp.UpdateStrategy)
	}
	if sp.PersistentVolumeClaimRetentionPolicy == nil {
		sp.PersistentVolumeClaimRetentionPolicy = &StatefulSetPersistentVolumeClaimRetentionPolicy{}
	}
	rp := sp.PersistentVolumeClaimRetentionPolicy
	if rp.WhenDeleted == "" {
		rp.WhenDeleted = RetainPersistentVolumeClaimRetentionPolicyType
	}
	if rp.WhenScaled == "" {
		rp.WhenScaled = RetainPersistentVolumeClaimRetentionPolicyType
	}
	if sp.Replicas == nil {
		sp.Replicas = ptrTo(int32(DefaultStatefulSetReplicas))
	}
	if sp.RevisionHistoryLimit == nil {
		sp.RevisionHistoryLimit = ptrTo(int32(DefaultStatefulSetRevisionHistoryLimit))
	}
	DefaultPodSpec(&sp.Template.Spec)
}

// defaultStatefulSetRollingUpdate fills a RollingUpdate strategy's
// partition (0) and maxUnavailable (1, the MaxUnavailableStatefulSet default).
func defaultStatefulSetRollingUpdate(u *StatefulSetUpdateStrategy) {
	if u.RollingUpdate == nil {
		u.RollingUpdate = &RollingUpdateStatefulSetStrategy{}
	}
	if u.RollingUpdate.Partition == nil {
		u.RollingUpdate.Partition = ptrTo(int32(0))
	}
	if u.RollingUpdate.MaxUnavailable == nil {
		u.RollingUpdate.MaxUnavailable = ptrTo(FromInt(DefaultStatefulSetMaxUnavailable))
	}
}
