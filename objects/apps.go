package objects

// This file holds the apps/v1 Deployment and ReplicaSet kinds (k8s.io/api
// apps/v1 types.go) and their defaulting (pkg/apis/apps/v1/defaults.go
// SetDefaults_Deployment, SetDefaults_ReplicaSet). Validation is in
// appsvalidation.go.

// Deployment declares a replicated, updatable set of pods, run through
// ReplicaSets (apps/v1 Deployment).
type Deployment struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       DeploymentSpec   `json:"spec"`
	Status     DeploymentStatus `json:"status,omitzero"`
}

// DeepCopyObject returns an independent copy of the deployment.
func (d *Deployment) DeepCopyObject() Object { return d.DeepCopy() }

// DeploymentSpec is what a Deployment asks for (apps/v1 DeploymentSpec).
type DeploymentSpec struct {
	Replicas                *int32             `json:"replicas,omitempty"`
	Selector                *LabelSelector     `json:"selector"`
	Template                PodTemplateSpec    `json:"template"`
	Strategy                DeploymentStrategy `json:"strategy,omitzero"`
	MinReadySeconds         int32              `json:"minReadySeconds,omitempty"`
	RevisionHistoryLimit    *int32             `json:"revisionHistoryLimit,omitempty"`
	Paused                  bool               `json:"paused,omitempty"`
	ProgressDeadlineSeconds *int32             `json:"progressDeadlineSeconds,omitempty"`
}

// DeploymentStrategy says how a Deployment replaces old pods with new ones.
type DeploymentStrategy struct {
	Type          string                   `json:"type,omitempty"`
	RollingUpdate *RollingUpdateDeployment `json:"rollingUpdate,omitempty"`
}

// RollingUpdateDeployment bounds a rolling update: how many pods may be
// unavailable, and how many may exist beyond the desired count.
type RollingUpdateDeployment struct {
	MaxUnavailable *IntOrString `json:"maxUnavailable,omitempty"`
	MaxSurge       *IntOrString `json:"maxSurge,omitempty"`
}

// DeploymentStatus is what the Deployment controller reports (apps/v1 DeploymentStatus).
type DeploymentStatus struct {
	ObservedGeneration  int64                 `json:"observedGeneration,omitempty"`
	Replicas            int32                 `json:"replicas,omitempty"`
	UpdatedReplicas     int32                 `json:"updatedReplicas,omitempty"`
	ReadyReplicas       int32                 `json:"readyReplicas,omitempty"`
	AvailableReplicas   int32                 `json:"availableReplicas,omitempty"`
	UnavailableReplicas int32                 `json:"unavailableReplicas,omitempty"`
	Conditions          []DeploymentCondition `json:"conditions,omitempty"`
	CollisionCount      *int32                `json:"collisionCount,omitempty"`
}

// DeploymentCondition is one condition of a Deployment.
type DeploymentCondition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	LastUpdateTime     Time   `json:"lastUpdateTime,omitzero"`
	LastTransitionTime Time   `json:"lastTransitionTime,omitzero"`
	Reason             string `json:"reason,omitempty"`
	Message            string `json:"message,omitempty"`
}

// ReplicaSet keeps a number of identical pods running (apps/v1 ReplicaSet).
type ReplicaSet struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       ReplicaSetSpec   `json:"spec"`
	Status     ReplicaSetStatus `json:"status,omitzero"`
}

// DeepCopyObject returns an independent copy of the replica set.
func (rs *ReplicaSet) DeepCopyObject() Object { return rs.DeepCopy() }

// ReplicaSetSpec is what a ReplicaSet asks for (apps/v1 ReplicaSetSpec).
type ReplicaSetSpec struct {
	Replicas        *int32          `json:"replicas,omitempty"`
	MinReadySeconds int32           `json:"minReadySeconds,omitempty"`
	Selector        *LabelSelector  `json:"selector"`
	Template        PodTemplateSpec `json:"template"`
}

// ReplicaSetStatus is what the ReplicaSet controller reports. Unlike a
// Deployment's, its replicas field is always serialised, as upstream's is.
type ReplicaSetStatus struct {
	Replicas             int32                 `json:"replicas"`
	FullyLabeledReplicas int32                 `json:"fullyLabeledReplicas,omitempty"`
	ReadyReplicas        int32                 `json:"readyReplicas,omitempty"`
	AvailableReplicas    int32                 `json:"availableReplicas,omitempty"`
	ObservedGeneration   int64                 `json:"observedGeneration,omitempty"`
	Conditions           []ReplicaSetCondition `json:"conditions,omitempty"`
}

// ReplicaSetCondition is one condition of a ReplicaSet.
type ReplicaSetCondition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	LastTransitionTime Time   `json:"lastTransitionTime,omitzero"`
	Reason             string `json:"reason,omitempty"`
	Message            string `json:"message,omitempty"`
}

// Deployment strategy types.
const (
	RecreateDeploymentStrategyType      = "Recreate"
	RollingUpdateDeploymentStrategyType = "RollingUpdate"
)

// Deployment condition types, and the ReplicaSet's one.
const (
	DeploymentAvailable      = "Available"
	DeploymentProgressing    = "Progressing"
	DeploymentReplicaFailure = "ReplicaFailure"
	ReplicaSetReplicaFailure = "ReplicaFailure"
)

// DefaultDeploymentUniqueLabelKey is the label the Deployment controller
// adds to a ReplicaSet's selector, template and pods: the pod template hash.
const DefaultDeploymentUniqueLabelKey = "pod-template-hash"

// Deployment defaults (SetDefaults_Deployment).
const (
	DefaultDeploymentReplicas                = 1
	DefaultDeploymentMaxUnavailable          = "25%"
	DefaultDeploymentMaxSurge                = "25%"
	DefaultDeploymentRevisionHistoryLimit    = 10
	DefaultDeploymentProgressDeadlineSeconds = 600
)

// defaultDeployment is SetDefaults_Deployment plus the pod template's defaults.
func defaultDeployment(d *Deployment) {
	s := &d.Spec
	if s.Replicas == nil {
		s.Replicas = ptrTo(int32(DefaultDeploymentReplicas))
	}
	if s.Strategy.Type == "" {
		s.Strategy.Type = RollingUpdateDeploymentStrategyType
	}
	if s.Strategy.Type == RollingUpdateDeploymentStrategyType {
		if s.Strategy.RollingUpdate == nil {
			s.Strategy.RollingUpdate = &RollingUpdateDeployment{}
		}
		if s.Strategy.RollingUpdate.MaxUnavailable == nil {
			s.Strategy.RollingUpdate.MaxUnavailable = ptrTo(FromString(DefaultDeploymentMaxUnavailable))
		}
		if s.Strategy.RollingUpdate.MaxSurge == nil {
			s.Strategy.RollingUpdate.MaxSurge = ptrTo(FromString(DefaultDeploymentMaxSurge))
		}
	}
	if s.RevisionHistoryLimit == nil {
		s.RevisionHistoryLimit = ptrTo(int32(DefaultDeploymentRevisionHistoryLimit))
	}
	if s.ProgressDeadlineSeconds == nil {
		s.ProgressDeadlineSeconds = ptrTo(int32(DefaultDeploymentProgressDeadlineSeconds))
	}
	DefaultPodSpec(&s.Template.Spec)
}

// defaultReplicaSet is SetDefaults_ReplicaSet plus the pod template's defaults.
func defaultReplicaSet(rs *ReplicaSet) {
	if rs.Spec.Replicas == nil {
		rs.Spec.Replicas = ptrTo(int32(1))
	}
	DefaultPodSpec(&rs.Spec.Template.Spec)
}

// FindDeploymentCondition returns the condition of type t, or nil.
func FindDeploymentCondition(conds []DeploymentCondition, t string) *DeploymentCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// EqualIgnoreHash is upstream's EqualIgnoreHash: whether two pod templates
// are the same once their pod-template-hash labels are set aside. Like
// Semantic.DeepEqual, it treats nil and empty maps and lists alike (their
// JSON encodings agree).
//
// The labels are compared on their own, without copying either map (a
// Deployment's sync compares its template with every ReplicaSet's), and
// the rest with the labels set aside.
func EqualIgnoreHash(a, b *PodTemplateSpec) bool {
	if !equalIgnoringHashLabel(a.Labels, b.Labels) || !sameContainerNamesAndImages(a.Spec.Containers, b.Spec.Containers) {
		return false
	}
	ca, cb := *a, *b
	ca.Labels, cb.Labels = nil, nil
	return semanticDeepEqual(&ca, &cb)
}

// sameContainerNamesAndImages is a quick test that two templates can be
// equal: as many containers, each with the template's name and image.
// Templates that differ there (a rollout's new image) differ in their
// encodings too, so the comparison need not copy them nor, as it does
// for any difference, encode both (the old ReplicaSets of a Deployment
// are compared on every sync).
func sameContainerNamesAndImages(a, b []Container) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Image != b[i].Image {
			return false
		}
	}
	return true
}

// equalIgnoringHashLabel reports whether two label maps hold the same
// labels besides the pod-template-hash (nil and empty alike).
func equalIgnoringHashLabel(a, b map[string]string) bool {
	n := len(a)
	if _, ok := a[DefaultDeploymentUniqueLabelKey]; ok {
		n--
	}
	for k, v := range b {
		if k == DefaultDeploymentUniqueLabelKey {
			continue
		}
		n--
		if got, ok := a[k]; !ok || got != v {
			return false
		}
	}
	return n == 0
}

// FindNewReplicaSet is upstream's FindNewReplicaSet: among list, the
// oldest ReplicaSet (then first by name) whose template is the
// Deployment's, or nil.
func FindNewReplicaSet(d *Deployment, list []*ReplicaSet) *ReplicaSet {
	var found *ReplicaSet
	for _, rs := range list {
		if !EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
			continue
		}
		if found == nil || createdBefore(rs, found) {
			found = rs
		}
	}
	return found
}

// createdBefore orders ReplicaSets by creation, then name (ReplicaSetsByCreationTimestamp).
func createdBefore(a, b *ReplicaSet) bool {
	if a.CreationTimestamp.Equal(b.CreationTimestamp.Time) {
		return a.Name < b.Name
	}
	return a.CreationTimestamp.Before(b.CreationTimestamp.Time)
}
