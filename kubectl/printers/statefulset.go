package printers

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// StatefulSet: `kubectl get statefulsets` columns and `kubectl describe
// statefulset` (printers.go printStatefulSet, describe.go describeStatefulSet).
func init() {
	register("StatefulSet", kindPrinter{
		columns: []column{
			{name: "Name", isName: true},
			{name: "Ready"},
			{name: "Age"},
			{name: "Containers", wide: true},
			{name: "Images", wide: true},
		},
		row:      typedRow(statefulSetRow),
		describe: typedDescribe(describeStatefulSet),
	})
}

// statefulSetRow is upstream's printStatefulSet with options.Wide.
func statefulSetRow(s *objects.StatefulSet, now time.Time) []string {
	names, images := containersAndImages(s.Spec.Template.Spec.Containers)
	return []string{s.Name, fmt.Sprintf("%d/%d", s.Status.ReadyReplicas, int32OrZero(s.Spec.Replicas)),
		since(s.CreationTimestamp, now), names, images}
}

// describeStatefulSet follows describe.go describeStatefulSet.
func describeStatefulSet(w *prefixWriter, s *objects.StatefulSet, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", s.Name)
	w.write(0, "Namespace:\t%s\n", s.Namespace)
	w.write(0, "CreationTimestamp:\t%s\n", rfc1123z(s.CreationTimestamp))
	if sel, err := objects.LabelSelectorAsSelector(s.Spec.Selector); err == nil {
		w.write(0, "Selector:\t%s\n", sel.String())
	}
	printLabelsMultiline(w, "Labels", s.Labels)
	printAnnotationsMultiline(w, "Annotations", s.Annotations)
	w.write(0, "Replicas:\t%d desired | %d total\n", int32OrZero(s.Spec.Replicas), s.Status.Replicas)
	w.write(0, "Update Strategy:\t%s\n", s.Spec.UpdateStrategy.Type)
	if ru := s.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		w.write(1, "Partition:\t%d\n", *ru.Partition)
		if ru.MaxUnavailable != nil {
			w.write(1, "MaxUnavailable:\t%s\n", ru.MaxUnavailable.String())
		}
	}
	running, waiting, succeeded, failed := podPhaseCounts(opts.Pods)
	w.write(0, "Pods Status:\t%d Running / %d Waiting / %d Succeeded / %d Failed\n", running, waiting, succeeded, failed)
	describePodTemplate(w, &s.Spec.Template.ObjectMeta, &s.Spec.Template.Spec)
	describeVolumeClaimTemplates(w, s.Spec.VolumeClaimTemplates)
	describeEventsUnlessHidden(w, opts)
	return nil
}

// describeVolumeClaimTemplates follows describe.go describeVolumeClaimTemplates.
func describeVolumeClaimTemplates(w *prefixWriter, templates []objects.PersistentVolumeClaim) {
	if len(templates) == 0 {
		w.write(0, "Volume Claims:\t<none>\n")
		return
	}
	w.write(0, "Volume Claims:\n")
	for i := range templates {
		c := &templates[i]
		w.write(1, "Name:\t%s\n", c.Name)
		w.write(1, "StorageClass:\t%s\n", claimClass(c))
		printLabelsMultilineWithIndent(w, "  ", "Labels", "\t", c.Labels)
		printLabelsMultilineWithIndent(w, "  ", "Annotations", "\t", c.Annotations)
		if q, ok := c.Spec.Resources.Requests["storage"]; ok {
			w.write(1, "Capacity:\t%s\n", q.String())
		} else {
			w.write(1, "Capacity:\t<default>\n")
		}
		w.write(1, "Access Modes:\t%v\n", c.Spec.AccessModes)
	}
}

// betaStorageClassAnnotation is the annotation that named a claim's class
// before spec.storageClassName existed; it still wins.
const betaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class"

// claimClass is storageutil.GetPersistentVolumeClaimClass: the beta
// annotation, else spec.storageClassName, else "".
func claimClass(c *objects.PersistentVolumeClaim) string {
	if v, ok := c.Annotations[betaStorageClassAnnotation]; ok {
		return v
	}
	if c.Spec.StorageClassName != nil {
		return *c.Spec.StorageClassName
	}
	return ""
}
