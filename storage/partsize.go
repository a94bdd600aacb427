package storage

import (
	"math"

	"github.com/kubesim/kubesim/objects"
)

// The quota measures a version by its parts (metadata, spec, status; see
// objects.Part), and keeps the sizes of a stored version's parts in its
// slot: a write that leaves a part as stored, word for word, takes that
// part's size from the version it replaces and measures only the parts
// it changed. Most writes change one part: a status update keeps the
// stored spec (copyPart shares it) and, written by a controller from the
// stored version, its metadata; a finalizer's removal changes the
// metadata only; a binding the spec and status. Each part still stands
// in the whole object's JSON as it did, so the whole size is the parts'
// (objects.SizeOfParts), to the byte.

// measureByParts is false in a test's reference store, which measures
// every write whole as it is stored (a variable for tests).
var measureByParts = true

// partSize is the size of one part as objects.PartSize counts it, kept
// small: a slot holds three.
type partSize struct{ bytes, fields int32 }

// partSizes are the sizes of a version's parts known so far: known has
// bit 1<<p set for each part p measured or taken over. The zero value
// knows none.
type partSizes struct {
	size  [objects.NumParts]partSize
	known uint8
}

// has reports whether part p's size is known.
func (ps *partSizes) has(p objects.Part) bool { return ps.known&(1<<p) != 0 }

// complete reports whether every part's size is known.
func (ps *partSizes) complete() bool { return ps.known == 1<<objects.NumParts-1 }

// set records part p's size, unless it is too large to keep (a part of
// 2 GiB, which is then measured again when needed).
func (ps *partSizes) set(p objects.Part, size objects.PartSize) {
	if size.Bytes > math.MaxInt32 || size.Fields > math.MaxInt32 {
		return
	}
	ps.size[p] = partSize{int32(size.Bytes), int32(size.Fields)}
	ps.known |= 1 << p
}

// total returns the whole object's size from its parts, all known.
func (ps *partSizes) total() int64 {
	var parts [objects.NumParts]objects.PartSize
	for p, size := range ps.size {
		parts[p] = objects.PartSize{Bytes: int(size.bytes), Fields: int(size.fields)}
	}
	return int64(objects.SizeOfParts(parts))
}

// sized is a version's size as a write records it: the whole (or
// unknownSize) and its parts known so far.
type sized struct {
	size  int64
	parts partSizes
}

// inheritParts returns the sizes of in's parts that it takes over from
// old, the version it replaces (nil for a create), whose part sizes are
// known: the parts that in shares with old word for word
// (objects.SamePart), which old, stored, never changes. in's
// resourceVersion must still be old's, as the update paths set it before
// writing; in will be stored with newRV digits instead of old's, which
// the metadata's size follows.
func inheritParts(in, old objects.Object, known partSizes, newRVDigits int) partSizes {
	var parts partSizes
	if old == nil || known.known == 0 {
		return parts
	}
	for p := range objects.NumParts {
		if known.has(p) && objects.SamePart(in, old, p) {
			parts.size[p] = known.size[p]
			parts.known |= 1 << p
		}
	}
	if parts.has(objects.PartMeta) {
		// Both resourceVersions are written, quoted digits.
		parts.size[objects.PartMeta].bytes += int32(newRVDigits - len(old.GetObjectMeta().ResourceVersion))
	}
	return parts
}

// measureParts measures the parts of obj not known yet, and returns its
// size as a whole. ok is false for an object to measure whole instead:
// one without parts (Unstructured), or with a part too large to keep.
func measureParts(obj objects.Object, sz partSizes) (_ sized, ok bool) {
	for p := range objects.NumParts {
		if sz.has(p) {
			continue
		}
		size, ok := objects.EncodedPartSize(obj, p)
		if !ok {
			return sized{}, false
		}
		sz.set(p, size)
	}
	if !sz.complete() {
		return sized{}, false
	}
	return sized{size: sz.total(), parts: sz}, true
}

// digits returns the number of decimal digits of n, a revision (n > 0).
func digits(n int64) int {
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}
