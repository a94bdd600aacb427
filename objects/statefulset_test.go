package objects

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// minimalStatefulSet is a StatefulSet with only what a user must write.
func minimalStatefulSet() *StatefulSet {
	labels := map[string]string{"app": "nginx"}
	return &StatefulSet{TypeMeta: TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: ObjectMeta{Name: "web", Namespace: "default"},
		Spec: StatefulSetSpec{ServiceName: "nginx", Selector: &LabelSelector{MatchLabels: labels},
			Template: PodTemplateSpec{ObjectMeta: ObjectMeta{Labels: labels},
				Spec: PodSpec{Containers: []Container{{Name: "nginx", Image: "nginx:1.25"}}}}}}
}

func TestStatefulSetDefaults(t *testing.T) {
	s := minimalStatefulSet()
	SchemeDefault(s)
	require.Equal(t, int32(1), *s.Spec.Replicas)
	require.Equal(t, OrderedReadyPodManagement, s.Spec.PodManagementPolicy)
	require.Equal(t, RollingUpdateStatefulSetStrategyType, s.Spec.UpdateStrategy.Type)
	require.Equal(t, int32(0), *s.Spec.UpdateStrategy.RollingUpdate.Partition)
	require.Equal(t, FromInt(1), *s.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable)
	require.Equal(t, int32(10), *s.Spec.RevisionHistoryLimit)
	require.Equal(t, &StatefulSetPersistentVolumeClaimRetentionPolicy{WhenDeleted: "Retain", WhenScaled: "Retain"},
		s.Spec.PersistentVolumeClaimRetentionPolicy)
	require.Empty(t, ValidateCreate(s))
}

func TestStatefulSetValidation(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(*StatefulSet)
		want   string
	}{
		"selector mismatch": {func(s *StatefulSet) { s.Spec.Template.Labels = map[string]string{"app": "other"} },
			"spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: `selector` does not match template `labels`"},
		"no selector": {func(s *StatefulSet) { s.Spec.Selector = nil }, "spec.selector: Required value"},
		"bad policy": {func(s *StatefulSet) { s.Spec.PodManagementPolicy = "Sometimes" },
			`spec.podManagementPolicy: Invalid value: "Sometimes": must be 'OrderedReady' or 'Parallel'`},
		"rollingUpdate with OnDelete": {func(s *StatefulSet) { s.Spec.UpdateStrategy.Type = OnDeleteStatefulSetStrategyType },
			"spec.updateStrategy.rollingUpdate: Invalid value:"},
		"negative replicas": {func(s *StatefulSet) { *s.Spec.Replicas = -1 },
			"spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
		"restartPolicy": {func(s *StatefulSet) { s.Spec.Template.Spec.RestartPolicy = RestartPolicyNever },
			`spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`},
	} {
		t.Run(name, func(t *testing.T) {
			s := minimalStatefulSet()
			SchemeDefault(s)
			tc.mutate(s)
			errs := ValidateCreate(s)
			require.NotEmpty(t, errs)
			require.Contains(t, errs.ToAggregate().Error(), tc.want)
		})
	}
}

func TestStatefulSetUpdateForbidsServiceNameChange(t *testing.T) {
	old := minimalStatefulSet()
	SchemeDefault(old)
	upd := old.DeepCopy()
	*upd.Spec.Replicas = 3
	require.Empty(t, validateStatefulSetUpdate(upd, old))
	upd.Spec.ServiceName = "other"
	errs := validateStatefulSetUpdate(upd, old)
	require.Len(t, errs, 1)
	require.True(t, strings.HasPrefix(errs[0].Error(), "spec: Forbidden: updates to statefulset spec for fields other than 'replicas'"))
}
