package storage

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

var jobInfo = objects.KindInfo{Kind: "Job", Group: "batch", Version: "v1", Resource: "jobs", Namespaced: true}

func TestErrorMessagesForGroupedKinds(t *testing.T) {
	tests := []struct {
		err  *StatusError
		is   error
		want string
	}{
		{newNotFound(jobInfo, "pi"), ErrNotFound, `jobs.batch "pi" not found`},
		{newAlreadyExists(jobInfo, "pi"), ErrAlreadyExists, `jobs.batch "pi" already exists`},
		{newConflict(jobInfo, jobInfo.GroupResource(), "pi", optimisticLockMsg), ErrConflict,
			`Operation cannot be fulfilled on jobs.batch "pi": the object has been modified; please apply your changes to the latest version and try again`},
		{newInvalid(jobInfo, "pi", objects.ErrorList{objects.RequiredError("spec.template", "")}), ErrInvalid,
			`Job.batch "pi" is invalid: spec.template: Required value`},
		{newInvalid(jobInfo, "pi", objects.ErrorList{
			objects.RequiredError("spec.template", ""),
			objects.InvalidError("spec.parallelism", int64(-1), "must be greater than or equal to 0"),
		}), ErrInvalid,
			`Job.batch "pi" is invalid: [spec.template: Required value, spec.parallelism: Invalid value: -1: must be greater than or equal to 0]`},
		{newForbidden(jobInfo, "pi", "nope"), ErrForbidden, `jobs.batch "pi" is forbidden: nope`},
	}
	sentinels := []error{ErrNotFound, ErrAlreadyExists, ErrConflict, ErrInvalid, ErrForbidden, ErrBadRequest}
	for _, tt := range tests {
		var err error = fmt.Errorf("wrapped: %w", tt.err)
		assert.Equal(t, tt.want, tt.err.Error())
		for _, s := range sentinels {
			assert.Equal(t, s == tt.is, errors.Is(err, s), "%q is %v", tt.want, s)
		}
		var se *StatusError
		require.True(t, errors.As(err, &se))
		assert.Equal(t, "Job", se.Kind)
		assert.Equal(t, "batch", se.Group)
		assert.Equal(t, "jobs", se.Resource)
		assert.Equal(t, "pi", se.Name)
	}
}

// countingRand returns 0, 1, 2, ... modulo n.
type countingRand struct{ i int }

func (r *countingRand) IntN(n int) int { r.i++; return (r.i - 1) % n }

func TestNewUIDFormat(t *testing.T) {
	// Bytes 0..15 in order, with the version and variant bits forced.
	assert.Equal(t, "00010203-0405-4607-8809-0a0b0c0d0e0f", newUID(&countingRand{}))
}

func TestGenerateNameUsesTheAlphabet(t *testing.T) {
	assert.Equal(t, "x-bcdfg", generateName(&countingRand{}, "x-"))
}

func TestSemanticEqual(t *testing.T) {
	eq := func(a, b any) bool { return semanticEqual(reflect.ValueOf(a), reflect.ValueOf(b)) }
	assert.True(t, eq(map[string]string{}, map[string]string(nil)))
	assert.True(t, eq([]int{}, []int(nil)))
	assert.False(t, eq([]int{1}, []int(nil)))
	assert.True(t, eq(objects.MustParseQuantity("1000m"), objects.MustParseQuantity("1")))
	assert.False(t, eq(objects.MustParseQuantity("2"), objects.MustParseQuantity("1")))
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.True(t, eq(objects.NewTime(at), objects.NewTime(at.In(time.FixedZone("x", 3600)))))
	assert.False(t, eq((*int)(nil), new(int)))
	assert.True(t, eq(map[string]any{"a": []any{int64(1)}}, map[string]any{"a": []any{int64(1)}}))
	assert.False(t, eq(map[string]any{"a": int64(1)}, map[string]any{"a": float64(1)}))
	assert.False(t, eq(map[string]any{"a": int64(1)}, map[string]any{"b": int64(1)}))
}

// objectsEqual agrees with a walk of the whole objects, parts shared or not.
func TestObjectsEqualAgreesWithAWholeWalk(t *testing.T) {
	whole := func(a, b objects.Object) bool { return semanticEqual(reflect.ValueOf(a), reflect.ValueOf(b)) }
	base := &objects.Pod{ObjectMeta: objects.ObjectMeta{Name: "p", Labels: map[string]string{"a": "b"}},
		Spec:   objects.PodSpec{NodeName: "n1", Containers: []objects.Container{{Name: "c", Image: "busybox"}}},
		Status: objects.PodStatus{Phase: objects.PodRunning}}
	shared := *base // every part shared
	statusChanged := *base
	statusChanged.Status.Phase = objects.PodSucceeded
	copied := base.DeepCopyObject().(*objects.Pod) // equal, nothing shared
	specChanged := base.DeepCopyObject().(*objects.Pod)
	specChanged.Spec.Containers[0].Image = "nginx"
	emptyVsNil := *base
	emptyVsNil.Labels = map[string]string{"a": "b"}
	emptyVsNil.Annotations = map[string]string{}
	for _, other := range []objects.Object{&shared, &statusChanged, copied, specChanged, &emptyVsNil,
		&objects.Job{}, &objects.Unstructured{TypeMeta: objects.TypeMeta{Kind: "Pod"}}} {
		assert.Equal(t, whole(base, other), objectsEqual(base, other), "%#v", other)
	}
	assert.True(t, objectsEqual(base, &shared))
	assert.False(t, objectsEqual(base, &statusChanged))
	assert.True(t, objectsEqual(base, copied))
	assert.False(t, objectsEqual(base, specChanged))
}

func TestPartsOfAKind(t *testing.T) {
	a := &objects.Pod{Spec: objects.PodSpec{NodeName: "n1"}, Status: objects.PodStatus{Phase: objects.PodRunning}}
	b := &objects.Pod{ObjectMeta: objects.ObjectMeta{Name: "other"}}
	assert.True(t, partsEqual(a, b, partMeta) == false)
	assert.False(t, partsEqual(a, b, partSpec))
	copyPart(b, a, partSpec)
	assert.True(t, partsEqual(a, b, partSpec))
	assert.False(t, partsEqual(a, b, partStatus))
	clearPart(a, partStatus)
	assert.True(t, partsEqual(a, b, partStatus))
	assert.Equal(t, "other", b.Name, "copying the spec leaves metadata alone")

	e := &objects.Event{Reason: "Scheduled"}
	assert.False(t, hasStatusField(e))
	assert.False(t, HasStatusSubresource(&objects.Event{TypeMeta: objects.TypeMeta{Kind: "Event"}}))
	assert.True(t, HasStatusSubresource(&objects.Pod{TypeMeta: objects.TypeMeta{Kind: "Pod"}}))
	assert.False(t, HasStatusSubresource(&objects.Unstructured{TypeMeta: objects.TypeMeta{Kind: "Deployment"}}))
}
