package objects

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzDecode checks that Decode never panics, fails only with a *DecodeError
// and nothing else returned, and that what it accepts survives a round trip:
// encoding each object and decoding it again gives an equal object. The seed
// corpus lives in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := Decode(data)
		if err != nil {
			var de *DecodeError
			require.True(t, errors.As(err, &de), "want *DecodeError, got %T: %v", err, err)
			require.Nil(t, objs)
			return
		}
		for _, obj := range objs {
			b, err := Encode(obj)
			require.NoError(t, err)
			again, err := Decode(b)
			require.NoError(t, err, "re-decoding %s", b)
			require.Len(t, again, 1, "re-decoding %s", b)
			require.Equal(t, obj, again[0], "re-decoding %s", b)
		}
	})
}
