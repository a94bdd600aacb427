package objects

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertParts checks that obj's parts, measured one by one, add up to
// its encoding's length.
func assertParts(t *testing.T, obj Object, msg string) {
	t.Helper()
	b, err := json.Marshal(obj)
	require.NoError(t, err, msg)
	var parts [NumParts]PartSize
	for p := range NumParts {
		var ok bool
		parts[p], ok = EncodedPartSize(obj, p)
		require.True(t, ok, msg)
	}
	assert.Equal(t, len(b), SizeOfParts(parts), "%s: %s", msg, b)
}

// Every manifest of the repository's scenarios, decoded, and objects with
// parts left out (an empty spec or status with omitzero, no metadata at
// all, an Event's many top-level fields) measure part by part as
// encoding/json encodes them whole; Unstructured objects, which encode
// themselves, have no parts.
func TestPartSizesAddUpToEncodedSize(t *testing.T) {
	measured := 0
	for _, f := range repositoryManifests(t) {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		objs, err := Decode(data)
		if err != nil {
			continue
		}
		for _, o := range objs {
			if _, ok := EncodedPartSize(o, PartMeta); !ok {
				continue // Unstructured
			}
			assertParts(t, o, f)
			measured++
		}
	}
	assert.Greater(t, measured, 20)

	assertParts(t, benchPod(), "a finished pod")
	assertParts(t, &Pod{}, "zero pod")
	assertParts(t, &Job{}, "zero Job: spec and status left out")
	assertParts(t, &Job{Status: JobStatus{Active: 1}}, "status only")
	assertParts(t, &ConfigMap{}, "no spec field at all")
	assertParts(t, &ConfigMap{Data: map[string]string{"a": "b"}}, "one spec field")
	assertParts(t, &Event{Reason: "Started", Count: 2, InvolvedObject: ObjectReference{Kind: "Pod", Name: "p"}}, "event")
	assertParts(t, &Event{TypeMeta: TypeMeta{Kind: "Event"}}, "kind only")

	_, ok := EncodedPartSize(&Unstructured{}, PartMeta)
	assert.False(t, ok, "Unstructured")
	_, ok = EncodedPartSize((*Pod)(nil), PartMeta)
	assert.False(t, ok, "nil pointer")
}

// SamePart holds where two objects share a part's values word for word
// and fails on any difference, even an equal copy.
func TestSamePart(t *testing.T) {
	a := benchPod()
	b := new(Pod)
	*b = *a
	for p := range NumParts {
		assert.True(t, SamePart(a, b, p), "part %d of a shallow copy", p)
	}
	b.Status.Phase = PodFailed
	assert.False(t, SamePart(a, b, PartStatus))
	assert.True(t, SamePart(a, b, PartSpec))
	b.ResourceVersion = "12346"
	assert.False(t, SamePart(a, b, PartMeta), "a changed resourceVersion")
	c := a.DeepCopy()
	assert.False(t, SamePart(a, c, PartSpec), "an equal copy shares no memory")
	assert.False(t, SamePart(a, &Job{}, PartMeta), "different kinds")
	assert.False(t, SamePart(&Unstructured{}, &Unstructured{}, PartMeta), "no parts")
}
