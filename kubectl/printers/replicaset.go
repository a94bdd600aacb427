package printers

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// ReplicaSet: `kubectl get replicasets` columns and `kubectl describe
// replicaset` (printers.go printReplicaSet, describe.go ReplicaSetDescriber).
func init() {
	register("ReplicaSet", kindPrinter{
		columns: []column{
			{name: "Name", isName: true},
			{name: "Desired"},
			{name: "Current"},
			{name: "Ready"},
			{name: "Age"},
			{name: "Containers", wide: true},
			{name: "Images", wide: true},
			{name: "Selector", wide: true},
		},
		row:      typedRow(replicaSetRow),
		describe: typedDescribe(describeReplicaSet),
	})
}

// replicaSetRow is upstream's printReplicaSet with options.Wide.
func replicaSetRow(rs *objects.ReplicaSet, now time.Time) []string {
	names, images := containersAndImages(rs.Spec.Template.Spec.Containers)
	return []string{rs.Name, fmt.Sprint(int32OrZero(rs.Spec.Replicas)), fmt.Sprint(rs.Status.Replicas),
		fmt.Sprint(rs.Status.ReadyReplicas), since(rs.CreationTimestamp, now), names, images,
		selectorString(rs.Spec.Selector)}
}

// describeReplicaSet follows describe.go describeReplicaSet. opts.Pods
// are the pods the ReplicaSet controls.
func describeReplicaSet(w *prefixWriter, rs *objects.ReplicaSet, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", rs.Name)
	w.write(0, "Namespace:\t%s\n", rs.Namespace)
	w.write(0, "Selector:\t%s\n", objects.FormatLabelSelector(rs.Spec.Selector))
	printLabelsMultiline(w, "Labels", rs.Labels)
	printAnnotationsMultiline(w, "Annotations", rs.Annotations)
	printControlledBy(w, &rs.ObjectMeta)
	w.write(0, "Replicas:\t%d current / %d desired\n", rs.Status.Replicas, int32OrZero(rs.Spec.Replicas))
	running, waiting, succeeded, failed := podPhaseCounts(opts.Pods)
	w.write(0, "Pods Status:\t")
	w.write(0, "%d Running / %d Waiting / %d Succeeded / %d Failed\n", running, waiting, succeeded, failed)
	describePodTemplate(w, &rs.Spec.Template.ObjectMeta, &rs.Spec.Template.Spec)
	describeEventsUnlessHidden(w, opts)
	return nil
}

// podPhaseCounts is getPodStatusForController's tally: Running, Pending
// (waiting), Succeeded and Failed pods.
func podPhaseCounts(pods []*objects.Pod) (running, waiting, succeeded, failed int) {
	for _, p := range pods {
		switch p.Status.Phase {
		case objects.PodRunning:
			running++
		case objects.PodPending:
			waiting++
		case objects.PodSucceeded:
			succeeded++
		case objects.PodFailed:
			failed++
		}
	}
	return running, waiting, succeeded, failed
}
