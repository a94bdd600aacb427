package printers

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Deployment: `kubectl get deployments` columns and `kubectl describe
// deployment` (printers.go printDeployment, describe.go describeDeployment).
func init() {
	register("Deployment", kindPrinter{
		columns: []column{
			{name: "Name", isName: true},
			{name: "Ready"},
			{name: "Up-to-date"},
			{name: "Available"},
			{name: "Age"},
			{name: "Containers", wide: true},
			{name: "Images", wide: true},
			{name: "Selector", wide: true},
		},
		row:      typedRow(deploymentRow),
		describe: typedDescribe(describeDeployment),
	})
}

// deploymentRow is upstream's printDeployment with options.Wide.
func deploymentRow(d *objects.Deployment, now time.Time) []string {
	names, images := containersAndImages(d.Spec.Template.Spec.Containers)
	return []string{d.Name, fmt.Sprintf("%d/%d", d.Status.ReadyReplicas, int32OrZero(d.Spec.Replicas)),
		fmt.Sprint(d.Status.UpdatedReplicas), fmt.Sprint(d.Status.AvailableReplicas),
		since(d.CreationTimestamp, now), names, images, selectorString(d.Spec.Selector)}
}

// selectorString prints a selector as the wide SELECTOR column does:
// the selector string, "<none>" for an empty one.
func selectorString(ls *objects.LabelSelector) string {
	sel, err := objects.LabelSelectorAsSelector(ls)
	if err != nil {
		return "<error>"
	}
	if s := sel.String(); s != "" {
		return s
	}
	return "<none>"
}

// int32OrZero dereferences p, 0 when nil.
func int32OrZero(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

// describeDeployment follows describe.go describeDeployment.
func describeDeployment(w *prefixWriter, d *objects.Deployment, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", d.Name)
	w.write(0, "Namespace:\t%s\n", d.Namespace)
	w.write(0, "CreationTimestamp:\t%s\n", rfc1123z(d.CreationTimestamp))
	printLabelsMultiline(w, "Labels", d.Labels)
	printAnnotationsMultiline(w, "Annotations", d.Annotations)
	if sel, err := objects.LabelSelectorAsSelector(d.Spec.Selector); err == nil {
		w.write(0, "Selector:\t%s\n", sel.String())
	}
	st := &d.Status
	w.write(0, "Replicas:\t%d desired | %d updated | %d total | %d available | %d unavailable\n",
		int32OrZero(d.Spec.Replicas), st.UpdatedReplicas, st.Replicas, st.AvailableReplicas, st.UnavailableReplicas)
	w.write(0, "StrategyType:\t%s\n", d.Spec.Strategy.Type)
	w.write(0, "MinReadySeconds:\t%d\n", d.Spec.MinReadySeconds)
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil {
		w.write(0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge\n", ru.MaxUnavailable.String(), ru.MaxSurge.String())
	}
	describePodTemplate(w, &d.Spec.Template.ObjectMeta, &d.Spec.Template.Spec)
	if len(st.Conditions) > 0 {
		w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
		w.write(1, "----\t------\t------\n")
		for _, c := range st.Conditions {
			w.write(1, "%v \t%v\t%v\n", c.Type, c.Status, c.Reason)
		}
	}
	newRS := objects.FindNewReplicaSet(d, opts.ReplicaSets)
	var old, current []*objects.ReplicaSet
	for _, rs := range opts.ReplicaSets {
		switch {
		case rs == newRS:
			current = append(current, rs)
		case int32OrZero(rs.Spec.Replicas) != 0:
			old = append(old, rs)
		}
	}
	w.write(0, "OldReplicaSets:\t%s\n", replicaSetsCreated(old))
	w.write(0, "NewReplicaSet:\t%s\n", replicaSetsCreated(current))
	describeEventsUnlessHidden(w, opts)
	return nil
}

// replicaSetsCreated is printReplicaSetsByLabels: "name (2/3 replicas
// created)" for each, comma-separated, or "<none>".
func replicaSetsCreated(list []*objects.ReplicaSet) string {
	parts := make([]string, 0, len(list))
	for _, rs := range list {
		parts = append(parts, fmt.Sprintf("%s (%d/%d replicas created)", rs.Name, rs.Status.Replicas, int32OrZero(rs.Spec.Replicas)))
	}
	if len(parts) == 0 {
		return "<none>"
	}
	return strings.Join(parts, ", ")
}
