package objects

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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

// FuzzStrictDecodeNeedsUnknown checks the shortcut decodeTyped and
// decodeUnstructured take: the strict decode is skipped when the field
// checker met no key its type lacks, so it must never find an unknown
// field in a tree where the checker met none. Seeds: every manifest of the
// repository's scenarios and examples, and FuzzDecode's corpus shapes.
func FuzzStrictDecodeNeedsUnknown(f *testing.F) {
	for _, file := range repositoryManifests(f) {
		data, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("apiVersion: v1\nkind: Pod\nmetadata: {name: p, labelz: {}}\nspec: {containers: [{name: c, image: i, imagee: x}]}\n"))
	f.Add([]byte("apiVersion: v1\nkind: Widget\nmetadata: {name: w, nam: x}\nspec: {anything: 1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, _ := splitDocuments(data)
		for _, doc := range docs {
			var tree any
			if doc.tooLarge || unmarshalJSONTree(doc.json, &tree) != nil {
				continue
			}
			m, ok := tree.(map[string]any)
			if !ok {
				continue
			}
			checkStrictNeedsUnknown(t, m)
		}
	})
}

// checkStrictNeedsUnknown checks one object's tree as decodeObject would
// decode it: typed for a modelled kind, else its metadata alone.
func checkStrictNeedsUnknown(t *testing.T, m map[string]any) {
	kind, _ := m[fieldKind].(string)
	c := newFieldChecker()
	var unknown []string
	if info, ok := LookupKind(kind); ok && info.Modelled() {
		obj, _ := NewObject(kind)
		typ := reflect.TypeOf(obj).Elem()
		c.check(m, typ, "")
		unknown = strictUnknownFields(m, typ)
	} else if meta, ok := m[fieldMetadata]; ok {
		c.check(meta, objectMetaType, fieldMetadata)
		unknown = strictUnknownFields(map[string]any{fieldMetadata: meta}, unstructuredMetaType)
	}
	if !c.unknown && len(unknown) > 0 {
		t.Fatalf("the checker met no unknown key, the strict decode found %q", unknown)
	}
}

// repositoryManifests lists the YAML and JSON files of the repository's
// scenarios and examples.
func repositoryManifests(tb testing.TB) []string {
	tb.Helper()
	var files []string
	for _, root := range []string{"../testdata", "../examples"} {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json")) {
				files = append(files, p)
			}
			return nil
		})
	}
	require.NotEmpty(tb, files)
	return files
}
