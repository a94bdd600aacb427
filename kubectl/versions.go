package kubectl

import (
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/kubesim/kubesim/objects"
)

// The API versions a manifest names, as written. The decoder hands back a
// CronJob given as batch/v1beta1 as batch/v1 (the apiserver stores it so),
// but whether the cluster serves the version it was written in, and what
// the apiserver warns about it, depend on the cluster's release
// (sim.Cluster.ServesVersion, VersionWarnings): kubectl sends the object
// in the version the file names.

// versionKey names an object of a manifest: kind, namespace and name.
type versionKey struct{ kind, namespace, name string }

// writtenVersions reads the apiVersion each object of a YAML source was
// written in, for the kinds whose versions depend on the release. A
// document it cannot read is left out (the decoder reports it).
func writtenVersions(data []byte) map[versionKey]string {
	out := map[versionKey]string{}
	for _, doc := range splitDocuments(string(data)) {
		var m map[string]any
		if yaml.Unmarshal([]byte(doc), &m) != nil {
			continue
		}
		if items, ok := m["items"].([]any); ok && strings.HasSuffix(stringField(m, "kind"), "List") {
			for _, it := range items {
				if im, ok := it.(map[string]any); ok {
					noteVersion(out, im)
				}
			}
			continue
		}
		noteVersion(out, m)
	}
	return out
}

// releaseDependentKinds are the kinds whose served versions the cluster's
// release decides.
var releaseDependentKinds = map[string]bool{"CronJob": true}

// noteVersion records m's apiVersion when its kind's versions depend on
// the release.
func noteVersion(out map[versionKey]string, m map[string]any) {
	kind := stringField(m, "kind")
	if !releaseDependentKinds[kind] {
		return
	}
	meta, _ := m["metadata"].(map[string]any)
	key := versionKey{kind: kind, namespace: stringField(meta, "namespace"), name: stringField(meta, "name")}
	out[key] = stringField(m, "apiVersion")
}

// stringField is m[field] when it is a string.
func stringField(m map[string]any, field string) string {
	s, _ := m[field].(string)
	return s
}

// splitDocuments splits YAML text at its "---" separator lines.
func splitDocuments(text string) []string {
	var docs []string
	var cur strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		trimmed := strings.TrimRight(line, " \t\r\n")
		if trimmed == "---" || strings.HasPrefix(trimmed, "--- ") {
			docs = append(docs, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteString(line)
	}
	return append(docs, cur.String())
}

// writtenVersion is the apiVersion obj was written in, for the kinds
// whose versions the release decides.
func writtenVersion(written map[versionKey]string, obj objects.Object) (string, bool) {
	tm, meta := obj.GetTypeMeta(), obj.GetObjectMeta()
	v, ok := written[versionKey{kind: tm.Kind, namespace: meta.Namespace, name: meta.Name}]
	return v, ok
}
