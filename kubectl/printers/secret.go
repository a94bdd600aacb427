package printers

import (
	"strconv"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Secret and ConfigMap: `kubectl get secrets` and `get configmaps` columns
// (printers.go printSecret, printConfigMap) and `kubectl describe`
// (describe.go describeSecret, describeConfigMap). Upstream walks the data
// maps in map order; they are sorted here.
func init() {
	register("Secret", kindPrinter{
		columns:  []column{{name: "Name", isName: true}, {name: "Type"}, {name: "Data"}, {name: "Age"}},
		row:      typedRow(secretRow),
		describe: typedDescribe(describeSecret),
	})
	register("ConfigMap", kindPrinter{
		columns:  []column{{name: "Name", isName: true}, {name: "Data"}, {name: "Age"}},
		row:      typedRow(configMapRow),
		describe: typedDescribe(describeConfigMap),
	})
}

// serviceAccountTokenKey is the key describe prints in full for a
// service-account token Secret (corev1.ServiceAccountTokenKey).
const serviceAccountTokenKey = "token"

// secretRow is upstream's printSecret.
func secretRow(s *objects.Secret, now time.Time) []string {
	return []string{s.Name, s.Type, strconv.Itoa(len(s.Data)), since(s.CreationTimestamp, now)}
}

// configMapRow is upstream's printConfigMap: DATA counts both maps.
func configMapRow(c *objects.ConfigMap, now time.Time) []string {
	return []string{c.Name, strconv.Itoa(len(c.Data) + len(c.BinaryData)), since(c.CreationTimestamp, now)}
}

// describeSecret follows describe.go describeSecret: values are shown as
// their length, except a service-account token.
func describeSecret(w *prefixWriter, s *objects.Secret, _ DescribeOptions) error {
	w.write(0, "Name:\t%s\n", s.Name)
	w.write(0, "Namespace:\t%s\n", s.Namespace)
	printLabelsMultiline(w, "Labels", s.Labels)
	printAnnotationsMultiline(w, "Annotations", s.Annotations)
	w.write(0, "\nType:\t%s\n", s.Type)
	w.write(0, "\nData\n====\n")
	for _, k := range sortedKeys(s.Data) {
		if k == serviceAccountTokenKey && s.Type == objects.SecretTypeServiceAccountToken {
			w.write(0, "%s:\t%s\n", k, string(s.Data[k]))
			continue
		}
		w.write(0, "%s:\t%d bytes\n", k, len(s.Data[k]))
	}
	return nil
}

// describeConfigMap follows describe.go's ConfigMapDescriber: each data key
// with its value under a rule, binary keys with their length, then events.
func describeConfigMap(w *prefixWriter, c *objects.ConfigMap, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", c.Name)
	w.write(0, "Namespace:\t%s\n", c.Namespace)
	printLabelsMultiline(w, "Labels", c.Labels)
	printAnnotationsMultiline(w, "Annotations", c.Annotations)
	w.write(0, "\nData\n====\n")
	for _, k := range sortedKeys(c.Data) {
		w.write(0, "%s:\n----\n", k)
		w.write(0, "%s\n", c.Data[k])
	}
	w.write(0, "\nBinaryData\n====\n")
	for _, k := range sortedKeys(c.BinaryData) {
		w.write(0, "%s: %s bytes\n", k, strconv.Itoa(len(c.BinaryData[k])))
	}
	w.write(0, "\n")
	describeEventsUnlessHidden(w, opts)
	return nil
}
