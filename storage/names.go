package storage

// Rand is the simulation's seeded random source. A math/rand/v2 *rand.Rand
// satisfies it. The store draws generated names and UIDs from it, so a
// simulation replayed with the same seed names everything the same way.
type Rand interface {
	// IntN returns a number in [0, n).
	IntN(n int) int
}

// nameAlphabet is the alphabet of upstream's utilrand.String: consonants and
// digits chosen so that generated suffixes never spell words or look alike.
const nameAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// Name generation limits, as upstream's names.SimpleNameGenerator has them.
const (
	maxNameLength          = 63
	randomNameLength       = 5
	maxGeneratedNameLength = maxNameLength - randomNameLength
	// maxNameGenerationAttempts is upstream's maxNameGenerationCreateAttempts:
	// how many generated names Create tries before giving up.
	maxNameGenerationAttempts = 8
)

// generateName appends five random characters to base, first cutting base
// so that the result fits in 63 characters.
func generateName(r Rand, base string) string {
	if len(base) > maxGeneratedNameLength {
		base = base[:maxGeneratedNameLength]
	}
	b := make([]byte, 0, len(base)+randomNameLength)
	b = append(b, base...)
	for range randomNameLength {
		b = append(b, nameAlphabet[r.IntN(len(nameAlphabet))])
	}
	return string(b)
}

// newUID returns a random (version 4, RFC 4122) UUID drawn from r, in the
// 8-4-4-4-12 hex form the apiserver gives every object.
func newUID(r Rand) string {
	var u [16]byte
	for i := range u {
		u[i] = byte(r.IntN(256))
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	const hexDigits = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexDigits[c>>4], hexDigits[c&0x0f])
	}
	return string(out)
}
