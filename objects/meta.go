package objects

import (
	"fmt"
	"strings"
	"time"
)

// Object is implemented by every kind the store holds.
//
// +kubebuilder:object:generate=false
type Object interface {
	// GetTypeMeta returns the object's apiVersion and kind.
	GetTypeMeta() *TypeMeta
	// GetObjectMeta returns the object's metadata, for reading or changing in place.
	GetObjectMeta() *ObjectMeta
	// DeepCopyObject returns an independent copy of the object.
	DeepCopyObject() Object
}

// Key names one object in the store: its kind, namespace ("" for cluster-scoped
// kinds) and name. Keys order by Kind, then Namespace, then Name.
type Key struct {
	Kind      string
	Namespace string
	Name      string
}

// String prints the key as Kind/namespace/name, or Kind/name when cluster-scoped.
func (k Key) String() string {
	if k.Namespace == "" {
		return k.Kind + "/" + k.Name
	}
	return k.Kind + "/" + k.Namespace + "/" + k.Name
}

// Less reports whether k orders before o.
func (k Key) Less(o Key) bool {
	if k.Kind != o.Kind {
		return k.Kind < o.Kind
	}
	if k.Namespace != o.Namespace {
		return k.Namespace < o.Namespace
	}
	return k.Name < o.Name
}

// Compare orders k and o as Less does: -1, 0 or +1, for slices.SortFunc
// and slices.BinarySearchFunc.
func (k Key) Compare(o Key) int {
	if c := strings.Compare(k.Kind, o.Kind); c != 0 {
		return c
	}
	if c := strings.Compare(k.Namespace, o.Namespace); c != 0 {
		return c
	}
	return strings.Compare(k.Name, o.Name)
}

// KeyOf returns the store key of obj.
func KeyOf(obj Object) Key {
	m := obj.GetObjectMeta()
	return Key{Kind: obj.GetTypeMeta().Kind, Namespace: m.Namespace, Name: m.Name}
}

// TypeMeta is the apiVersion and kind every manifest starts with.
type TypeMeta struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
}

// GetTypeMeta returns t itself; embedding TypeMeta gives a kind this method.
func (t *TypeMeta) GetTypeMeta() *TypeMeta { return t }

// ObjectMeta is the metadata every stored object carries.
type ObjectMeta struct {
	Name                       string            `json:"name,omitempty"`
	GenerateName               string            `json:"generateName,omitempty"`
	Namespace                  string            `json:"namespace,omitempty"`
	UID                        string            `json:"uid,omitempty"`
	ResourceVersion            string            `json:"resourceVersion,omitempty"`
	Generation                 int64             `json:"generation,omitempty"`
	CreationTimestamp          Time              `json:"creationTimestamp,omitzero"`
	DeletionTimestamp          *Time             `json:"deletionTimestamp,omitempty"`
	DeletionGracePeriodSeconds *int64            `json:"deletionGracePeriodSeconds,omitempty"`
	Labels                     map[string]string `json:"labels,omitempty"`
	Annotations                map[string]string `json:"annotations,omitempty"`
	OwnerReferences            []OwnerReference  `json:"ownerReferences,omitempty"`
	Finalizers                 []string          `json:"finalizers,omitempty"`
}

// GetObjectMeta returns m itself; embedding ObjectMeta gives a kind this method.
func (m *ObjectMeta) GetObjectMeta() *ObjectMeta { return m }

// IsBeingDeleted reports whether a deletion has been requested.
func (m *ObjectMeta) IsBeingDeleted() bool { return m.DeletionTimestamp != nil }

// HasFinalizer reports whether f is among the object's finalizers.
func (m *ObjectMeta) HasFinalizer(f string) bool {
	for _, x := range m.Finalizers {
		if x == f {
			return true
		}
	}
	return false
}

// ControllerRef returns the owner reference marked controller, or nil.
func (m *ObjectMeta) ControllerRef() *OwnerReference {
	for i := range m.OwnerReferences {
		if c := m.OwnerReferences[i].Controller; c != nil && *c {
			return &m.OwnerReferences[i]
		}
	}
	return nil
}

// OwnerReference points from a dependent to its owner, for garbage collection.
type OwnerReference struct {
	APIVersion         string `json:"apiVersion"`
	Kind               string `json:"kind"`
	Name               string `json:"name"`
	UID                string `json:"uid"`
	Controller         *bool  `json:"controller,omitempty"`
	BlockOwnerDeletion *bool  `json:"blockOwnerDeletion,omitempty"`
}

// NewControllerRef returns an owner reference that marks owner as the
// controller of a dependent, with blockOwnerDeletion set, as upstream
// controllers build it (metav1.NewControllerRef).
func NewControllerRef(owner Object) OwnerReference {
	t, m := owner.GetTypeMeta(), owner.GetObjectMeta()
	yes := true
	return OwnerReference{APIVersion: t.APIVersion, Kind: t.Kind, Name: m.Name, UID: m.UID,
		Controller: &yes, BlockOwnerDeletion: &yes}
}

// Time is a timestamp serialised as RFC 3339 in UTC with second precision,
// as metav1.Time is. The zero Time serialises as null.
//
// +kubebuilder:object:generate=false
type Time struct {
	time.Time
}

// NewTime wraps t, truncated to whole seconds as the apiserver stores it.
func NewTime(t time.Time) Time { return Time{t.UTC().Truncate(time.Second)} }

// NewTimePtr returns a pointer to NewTime(t).
func NewTimePtr(t time.Time) *Time { x := NewTime(t); return &x }

// MarshalJSON prints the time as "2006-01-02T15:04:05Z", or null when zero.
func (t Time) MarshalJSON() ([]byte, error) { return marshalJSONTime(t.Time, time.RFC3339), nil }

// UnmarshalJSON reads an RFC 3339 time or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	p, err := unmarshalJSONTime(b, time.RFC3339)
	if err != nil {
		return err
	}
	t.Time = p
	return nil
}

// marshalJSONTime writes t in layout, in UTC and quoted, or null when zero:
// metav1.Time's and MicroTime's encoding.
func marshalJSONTime(t time.Time, layout string) []byte {
	if t.IsZero() {
		return []byte("null")
	}
	return []byte(`"` + t.UTC().Format(layout) + `"`)
}

// unmarshalJSONTime reads a quoted time in layout, in UTC, or null (the
// zero time).
func unmarshalJSONTime(b []byte, layout string) (time.Time, error) {
	s := string(b)
	if s == "null" {
		return time.Time{}, nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return time.Time{}, fmt.Errorf("time must be a string, got %s", s)
	}
	p, err := time.Parse(layout, s[1:len(s)-1])
	if err != nil {
		return time.Time{}, err
	}
	return p.UTC(), nil
}

// MicroTime is a timestamp with microsecond precision (metav1.MicroTime),
// serialised as RFC 3339 in UTC with six fractional digits, as an event's
// eventTime is. The zero MicroTime serialises as null.
//
// +kubebuilder:object:generate=false
type MicroTime struct {
	time.Time
}

// microTimeLayout is metav1.RFC3339Micro.
const microTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// NewMicroTime wraps t, truncated to whole microseconds.
func NewMicroTime(t time.Time) MicroTime { return MicroTime{t.UTC().Truncate(time.Microsecond)} }

// MarshalJSON prints the time as "2006-01-02T15:04:05.000000Z", or null
// when zero.
func (t MicroTime) MarshalJSON() ([]byte, error) {
	return marshalJSONTime(t.Time, microTimeLayout), nil
}

// UnmarshalJSON reads an RFC 3339 time or null. It takes any number of
// fractional digits, where metav1.MicroTime takes six, and keeps
// microseconds.
func (t *MicroTime) UnmarshalJSON(b []byte) error {
	p, err := unmarshalJSONTime(b, time.RFC3339Nano)
	if err != nil {
		return err
	}
	t.Time = p.Truncate(time.Microsecond)
	return nil
}

// Condition status values shared by every kind's conditions.
const (
	ConditionTrue    = "True"
	ConditionFalse   = "False"
	ConditionUnknown = "Unknown"
)
