package statefulset

import (
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"strconv"

	"github.com/kubesim/kubesim/objects"
)

// safeAlphanums is the alphabet of upstream's rand.SafeEncodeString.
const safeAlphanums = "bcdfghjklmnpqrstvwxz2456789"

// RevisionName is the name of the ControllerRevision upstream would make
// for template: "<set>-<hash>", the hash an FNV-32a of the template's
// JSON (upstream hashes the revision's patch) and the collision count,
// printed in decimal and SafeEncodeString-ed. It has upstream's form, not
// its exact value.
func RevisionName(set *objects.StatefulSet, template *objects.PodTemplateSpec) string {
	h := fnv.New32a()
	b, _ := json.Marshal(template) // a PodTemplateSpec always encodes
	h.Write(b)
	if cc := set.Status.CollisionCount; cc != nil && *cc != 0 {
		buf := make([]byte, 8)
		binary.LittleEndian.PutUint32(buf, uint32(*cc))
		h.Write(buf)
	}
	return set.Name + "-" + safeEncode(strconv.FormatUint(uint64(h.Sum32()), 10))
}

// safeEncode is rand.SafeEncodeString: each byte of s replaced by the
// letter of safeAlphanums it indexes, modulo its length.
func safeEncode(s string) string {
	out := make([]byte, len(s))
	for i := range len(s) {
		out[i] = safeAlphanums[int(s[i])%len(safeAlphanums)]
	}
	return string(out)
}
