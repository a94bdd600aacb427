package deployment

import (
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"strconv"

	"github.com/kubesim/kubesim/objects"
)

// safeAlphanums is the alphabet of upstream's rand.SafeEncodeString: no
// vowels (no words) and none of the look-alikes 0, 1 and 3.
const safeAlphanums = "bcdfghjklmnpqrstvwxz2456789"

// ComputeHash is upstream's controller.ComputeHash: an FNV-32a hash of the
// pod template, then of the collision count (as 8 little-endian bytes of
// which the first 4 hold it) when there is one, printed in decimal and
// encoded with SafeEncodeString ("66b6c48dd5").
//
// Upstream feeds the hash with spew's %#v dump of the Go struct
// (hashutil.DeepHashObject), which depends on k8s.io/api's exact types;
// kubesim feeds it the template's JSON encoding instead. The hashes look
// like upstream's and are as stable, but are not byte-identical to them.
func ComputeHash(t *objects.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	b, _ := json.Marshal(t) // a PodTemplateSpec always encodes
	h.Write(b)
	if collisionCount != nil {
		buf := make([]byte, 8)
		binary.LittleEndian.PutUint32(buf, uint32(*collisionCount))
		h.Write(buf)
	}
	return SafeEncodeString(strconv.FormatUint(uint64(h.Sum32()), 10))
}

// SafeEncodeString is upstream's rand.SafeEncodeString: each byte of s
// replaced by the letter of safeAlphanums it indexes, modulo its length.
func SafeEncodeString(s string) string {
	out := make([]byte, len(s))
	for i := range len(s) {
		out[i] = safeAlphanums[int(s[i])%len(safeAlphanums)]
	}
	return string(out)
}
