package printers

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// PersistentVolume, PersistentVolumeClaim and StorageClass: `kubectl get`
// columns (printers.go printPersistentVolume, printPersistentVolumeClaim,
// printStorageClass) and `kubectl describe` (describe.go
// PersistentVolumeDescriber, PersistentVolumeClaimDescriber,
// StorageClassDescriber).
func init() {
	register("PersistentVolume", kindPrinter{
		columns: []column{{name: "Name", isName: true}, {name: "Capacity"}, {name: "Access Modes"},
			{name: "Reclaim Policy"}, {name: "Status"}, {name: "Claim"}, {name: "StorageClass"},
			{name: "VolumeAttributesClass"}, {name: "Reason"}, {name: "Age"}, {name: "VolumeMode", wide: true}},
		row:      typedRow(persistentVolumeRow),
		describe: typedDescribe(describePersistentVolume),
	})
	register("PersistentVolumeClaim", kindPrinter{
		columns: []column{{name: "Name", isName: true}, {name: "Status"}, {name: "Volume"}, {name: "Capacity"},
			{name: "Access Modes"}, {name: "StorageClass"}, {name: "VolumeAttributesClass"}, {name: "Age"},
			{name: "VolumeMode", wide: true}},
		row:      typedRow(persistentVolumeClaimRow),
		describe: typedDescribe(describePersistentVolumeClaim),
	})
	register("StorageClass", kindPrinter{
		columns: []column{{name: "Name", isName: true}, {name: "Provisioner"}, {name: "ReclaimPolicy"},
			{name: "VolumeBindingMode"}, {name: "AllowVolumeExpansion"}, {name: "Age"}},
		row: typedRow(func(sc *objects.StorageClass, now time.Time) []string {
			return storageClassRow(sc, objects.IsDefaultStorageClass(sc), now)
		}),
		listRow:  storageClassRows,
		describe: typedDescribe(describeStorageClass),
	})
}

// statusTerminating is the STATUS of an object being deleted.
const statusTerminating = "Terminating"

// unsetValue is what kubectl prints for an unset optional class.
const unsetValue = "<unset>"

// persistentVolumeRow is upstream's printPersistentVolume.
func persistentVolumeRow(pv *objects.PersistentVolume, now time.Time) []string {
	claim := ""
	if ref := pv.Spec.ClaimRef; ref != nil {
		claim = ref.Namespace + "/" + ref.Name
	}
	status := pv.Status.Phase
	if pv.DeletionTimestamp != nil {
		status = statusTerminating
	}
	capacity := pv.Spec.Capacity[objects.ResourceStorage]
	return []string{pv.Name, capacity.String(), objects.AccessModesAsString(pv.Spec.AccessModes),
		pv.Spec.PersistentVolumeReclaimPolicy, status, claim, objects.PersistentVolumeClass(pv),
		orUnset(pv.Spec.VolumeAttributesClassName), pv.Status.Reason, since(pv.CreationTimestamp, now),
		volumeModeString(pv.Spec.VolumeMode)}
}

// persistentVolumeClaimRow is upstream's printPersistentVolumeClaim:
// capacity and modes come from the status, once a volume is named.
func persistentVolumeClaimRow(c *objects.PersistentVolumeClaim, now time.Time) []string {
	status := c.Status.Phase
	if c.DeletionTimestamp != nil {
		status = statusTerminating
	}
	capacity, modes := claimCapacity(c)
	return []string{c.Name, status, c.Spec.VolumeName, capacity, modes, objects.PersistentVolumeClaimClass(c),
		orUnset(c.Spec.VolumeAttributesClassName), since(c.CreationTimestamp, now), volumeModeString(c.Spec.VolumeMode)}
}

// claimCapacity is the CAPACITY and ACCESS MODES of a claim: from its
// status once it names a volume (an empty capacity then prints as 0, as
// upstream's Quantity.String does), blank before.
func claimCapacity(c *objects.PersistentVolumeClaim) (capacity, modes string) {
	if c.Spec.VolumeName == "" {
		return "", ""
	}
	q := c.Status.Capacity[objects.ResourceStorage]
	return q.String(), objects.AccessModesAsString(c.Status.AccessModes)
}

// storageClassRows prints a list of classes, marking only the effective
// default "(default)" (upstream's list printer since the newest-default
// rule), and rows of single classes as printStorageClass does.
func storageClassRows(list []objects.Object) func(objects.Object, time.Time) ([]string, error) {
	var classes []*objects.StorageClass
	for _, o := range list {
		if sc, ok := o.(*objects.StorageClass); ok {
			classes = append(classes, sc)
		}
	}
	def := objects.EffectiveDefaultStorageClass(classes)
	return typedRow(func(sc *objects.StorageClass, now time.Time) []string {
		return storageClassRow(sc, def != nil && def.UID == sc.UID && def.Name == sc.Name, now)
	})
}

// storageClassRow is upstream's printStorageClass.
func storageClassRow(sc *objects.StorageClass, isDefault bool, now time.Time) []string {
	name := sc.Name
	if isDefault {
		name += " (default)"
	}
	reclaim, binding := objects.ReclaimDelete, objects.VolumeBindingImmediate
	if sc.ReclaimPolicy != nil {
		reclaim = *sc.ReclaimPolicy
	}
	if sc.VolumeBindingMode != nil {
		binding = *sc.VolumeBindingMode
	}
	expand := false
	if sc.AllowVolumeExpansion != nil {
		expand = *sc.AllowVolumeExpansion
	}
	return []string{name, sc.Provisioner, reclaim, binding, strconv.FormatBool(expand), since(sc.CreationTimestamp, now)}
}

// orUnset returns *s, or "<unset>" for nil.
func orUnset(s *string) string {
	if s == nil {
		return unsetValue
	}
	return *s
}

// volumeModeString prints a volume mode, "<unset>" when nil.
func volumeModeString(m *string) string { return orUnset(m) }

// finalizersString prints finalizers as describe does: "[a b]".
func finalizersString(f []string) string { return "[" + strings.Join(f, " ") + "]" }

// describePersistentVolume follows describe.go describePersistentVolume.
func describePersistentVolume(w *prefixWriter, pv *objects.PersistentVolume, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", pv.Name)
	printLabelsMultiline(w, "Labels", pv.Labels)
	printAnnotationsMultiline(w, "Annotations", pv.Annotations)
	w.write(0, "Finalizers:\t%v\n", finalizersString(pv.Finalizers))
	w.write(0, "StorageClass:\t%s\n", objects.PersistentVolumeClass(pv))
	if pv.DeletionTimestamp != nil {
		w.write(0, "Status:\tTerminating (lasts %s)\n", since(*pv.DeletionTimestamp, opts.Now))
	} else {
		w.write(0, "Status:\t%v\n", pv.Status.Phase)
	}
	claim := ""
	if ref := pv.Spec.ClaimRef; ref != nil {
		claim = ref.Namespace + "/" + ref.Name
	}
	w.write(0, "Claim:\t%s\n", claim)
	w.write(0, "Reclaim Policy:\t%v\n", pv.Spec.PersistentVolumeReclaimPolicy)
	w.write(0, "Access Modes:\t%s\n", objects.AccessModesAsString(pv.Spec.AccessModes))
	if pv.Spec.VolumeMode != nil {
		w.write(0, "VolumeMode:\t%v\n", *pv.Spec.VolumeMode)
	}
	capacity := pv.Spec.Capacity[objects.ResourceStorage]
	w.write(0, "Capacity:\t%s\n", capacity.String())
	w.write(0, "Node Affinity:\t<none>\n")
	w.write(0, "Message:\t%s\n", pv.Status.Message)
	w.write(0, "Source:\n")
	switch {
	case pv.Spec.NFS != nil:
		w.write(1, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"+
			"    Server:\t%v\n    Path:\t%v\n    ReadOnly:\t%v\n", pv.Spec.NFS.Server, pv.Spec.NFS.Path, pv.Spec.NFS.ReadOnly)
	case pv.Spec.HostPath != nil:
		typ := ""
		if pv.Spec.HostPath.Type != nil {
			typ = *pv.Spec.HostPath.Type
		}
		w.write(1, "Type:\tHostPath (bare host directory volume)\n    Path:\t%v\n    HostPathType:\t%v\n", pv.Spec.HostPath.Path, typ)
	}
	describeEventsUnlessHidden(w, opts)
	return nil
}

// describePersistentVolumeClaim follows describe.go describePersistentVolumeClaim;
// "Used By" lists the pods of opts.Pods that name the claim.
func describePersistentVolumeClaim(w *prefixWriter, c *objects.PersistentVolumeClaim, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", c.Name)
	w.write(0, "Namespace:\t%s\n", c.Namespace)
	w.write(0, "StorageClass:\t%s\n", objects.PersistentVolumeClaimClass(c))
	if c.DeletionTimestamp != nil {
		w.write(0, "Status:\tTerminating (lasts %s)\n", since(*c.DeletionTimestamp, opts.Now))
	} else {
		w.write(0, "Status:\t%v\n", c.Status.Phase)
	}
	w.write(0, "Volume:\t%s\n", c.Spec.VolumeName)
	printLabelsMultiline(w, "Labels", c.Labels)
	printAnnotationsMultiline(w, "Annotations", c.Annotations)
	w.write(0, "Finalizers:\t%v\n", finalizersString(c.Finalizers))
	capacity, modes := claimCapacity(c)
	w.write(0, "Capacity:\t%s\n", capacity)
	w.write(0, "Access Modes:\t%s\n", modes)
	if c.Spec.VolumeMode != nil {
		w.write(0, "VolumeMode:\t%v\n", *c.Spec.VolumeMode)
	}
	w.write(0, "Used By:\t%s\n", claimUsers(c, opts.Pods))
	describeEventsUnlessHidden(w, opts)
	return nil
}

// claimUsers lists, sorted and joined as describe does, the pods naming
// the claim, or "<none>".
func claimUsers(c *objects.PersistentVolumeClaim, pods []*objects.Pod) string {
	var names []string
	for _, p := range pods {
		if p.Namespace != c.Namespace {
			continue
		}
		for _, v := range p.Spec.Volumes {
			if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == c.Name {
				names = append(names, p.Name)
				break
			}
		}
	}
	if len(names) == 0 {
		return "<none>"
	}
	sort.Strings(names)
	// A tab starts each further line, so the names stay in describe's column.
	return strings.Join(names, "\n\t")
}

// describeStorageClass follows describe.go describeStorageClass.
func describeStorageClass(w *prefixWriter, sc *objects.StorageClass, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", sc.Name)
	isDefault := "No"
	if objects.IsDefaultStorageClass(sc) {
		isDefault = "Yes"
	}
	w.write(0, "IsDefaultClass:\t%s\n", isDefault)
	w.write(0, "Annotations:\t%s\n", keyValueList(sc.Annotations))
	w.write(0, "Provisioner:\t%s\n", sc.Provisioner)
	w.write(0, "Parameters:\t%s\n", keyValueList(sc.Parameters))
	expand := unsetValue
	if sc.AllowVolumeExpansion != nil {
		expand = strconv.FormatBool(*sc.AllowVolumeExpansion)
	}
	w.write(0, "AllowVolumeExpansion:\t%s\n", expand)
	if len(sc.MountOptions) == 0 {
		w.write(0, "MountOptions:\t<none>\n")
	} else {
		w.write(0, "MountOptions:\n")
		for _, o := range sc.MountOptions {
			w.write(1, "%s\n", o)
		}
	}
	w.write(0, "ReclaimPolicy:\t%s\n", orUnset(sc.ReclaimPolicy))
	w.write(0, "VolumeBindingMode:\t%s\n", orUnset(sc.VolumeBindingMode))
	describeEventsUnlessHidden(w, opts)
	return nil
}

// keyValueList prints a map as describe's labels.FormatLabels does for
// StorageClass parameters and annotations: "k=v,k2=v2", sorted, "<none>" when empty.
func keyValueList(m map[string]string) string {
	if len(m) == 0 {
		return "<none>"
	}
	parts := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, ",")
}
