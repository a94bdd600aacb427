package kubectl

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// zeros is an endless source, as /dev/zero is: it fills every read and
// never ends.
type zeros struct{ read int }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.read += len(p)
	return len(p), nil
}

// Reading an endless source stops just past the apiserver's request limit:
// the document is refused, and what was read before it is kept.
func TestReadSourceStopsAnEndlessDocument(t *testing.T) {
	z := &zeros{}
	m := readSource("/dev/zero", z)
	require.NotNil(t, m.stop)
	assert.True(t, m.stop.tooLarge)
	assert.Empty(t, m.data)
	assert.Less(t, z.read, objects.MaxObjectBytes+256<<10, "reading stops near the limit")

	first := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
	z = &zeros{}
	m = readSource("f", io.MultiReader(strings.NewReader(first), z))
	assert.True(t, m.stop.tooLarge)
	assert.Equal(t, first, string(m.data), "the complete document before it is kept")
}

// A source of many documents, each under the request limit, stops at
// maxManifestBytes.
func TestReadSourceStopsAtTheManifestLimit(t *testing.T) {
	doc := "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: " + strings.Repeat("x", 1<<20) + "}\n"
	src := strings.Repeat(doc, maxManifestBytes/len(doc)+2)
	m := readSource("big.yaml", strings.NewReader(src))
	require.NotNil(t, m.stop)
	assert.True(t, m.stop.limit)
	assert.LessOrEqual(t, len(m.data), maxManifestBytes)
	assert.True(t, strings.HasSuffix(string(m.data), "}\n---\n") || strings.HasSuffix(string(m.data), "}\n"),
		"it ends at a document's end")

	small := readSource("ok.yaml", strings.NewReader(doc+doc))
	assert.Nil(t, small.stop)
	assert.Equal(t, doc+doc, string(small.data))
}

// A short manifest in memory is read through a buffer of its own size,
// not 64 KiB; a stream of unknown length gets the whole buffer.
func TestReadBufferFollowsTheInput(t *testing.T) {
	assert.Equal(t, 101, readBufferSize(strings.NewReader(strings.Repeat("x", 100))))
	assert.Equal(t, 64<<10, readBufferSize(strings.NewReader(strings.Repeat("x", 1<<20))))
	assert.Equal(t, 64<<10, readBufferSize(&zeros{}))
	doc := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
	m := readSource("f", strings.NewReader(doc))
	assert.Nil(t, m.stop)
	assert.Equal(t, doc, string(m.data))
}
