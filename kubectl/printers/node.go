package printers

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Node: `kubectl get nodes` columns and `kubectl describe node`
// (printers.go printNode, describe.go describeNode).
func init() {
	register("Node", kindPrinter{
		columns: []column{
			{name: "Name", isName: true},
			{name: "Status"},
			{name: "Roles"},
			{name: "Age"},
			{name: "Version"},
			{name: "Internal-IP", wide: true},
			{name: "External-IP", wide: true},
			{name: "OS-Image", wide: true},
			{name: "Kernel-Version", wide: true},
			{name: "Container-Runtime", wide: true},
		},
		row:      typedRow(nodeRow),
		describe: typedDescribe(describeNode),
	})
}

// Node role labels (printers.go labelNodeRolePrefix, nodeLabelRole).
const (
	labelNodeRolePrefix = "node-role.kubernetes.io/"
	labelNodeRole       = "kubernetes.io/role"
)

// nodeRow is upstream's printNode with options.Wide.
func nodeRow(node *objects.Node, now time.Time) []string {
	roles := strings.Join(nodeRoles(node), ",")
	info := node.Status.NodeInfo
	return []string{node.Name, nodeStatus(node), stringOrNone(roles), since(node.CreationTimestamp, now),
		info.KubeletVersion, nodeAddress(node, "InternalIP"), nodeAddress(node, "ExternalIP"),
		unknownIfEmpty(info.OSImage), unknownIfEmpty(info.KernelVersion), unknownIfEmpty(info.ContainerRuntimeVersion)}
}

// nodeStatus is "Ready", "NotReady" or "Unknown" from the (last) Ready
// condition, with ",SchedulingDisabled" for a cordoned node.
func nodeStatus(node *objects.Node) string {
	status := "Unknown"
	for _, c := range node.Status.Conditions {
		if c.Type != objects.NodeReady {
			continue
		}
		status = "Not" + c.Type
		if c.Status == objects.ConditionTrue {
			status = c.Type
		}
	}
	if node.Spec.Unschedulable {
		status += ",SchedulingDisabled"
	}
	return status
}

// nodeRoles returns the node's roles, sorted: the <role> of every
// node-role.kubernetes.io/<role> label and the value of kubernetes.io/role.
func nodeRoles(node *objects.Node) []string {
	set := map[string]bool{}
	for k, v := range node.Labels {
		switch {
		case strings.HasPrefix(k, labelNodeRolePrefix):
			if role := strings.TrimPrefix(k, labelNodeRolePrefix); role != "" {
				set[role] = true
			}
		case k == labelNodeRole && v != "":
			set[v] = true
		}
	}
	return sortedKeys(set)
}

// nodeAddress returns the node's first address of type t, or "<none>".
func nodeAddress(node *objects.Node, t string) string {
	for _, a := range node.Status.Addresses {
		if a.Type == t {
			return a.Address
		}
	}
	return "<none>"
}

// unknownIfEmpty returns s, or "<unknown>" when it is empty.
func unknownIfEmpty(s string) string {
	if s == "" {
		return "<unknown>"
	}
	return s
}

// describeNode follows describe.go describeNode. kubesim's NodeSystemInfo
// has no machine ID, system UUID, boot ID or kube-proxy version: those
// lines print empty.
func describeNode(w *prefixWriter, node *objects.Node, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", node.Name)
	w.write(0, "Roles:\t%s\n", stringOrNone(strings.Join(nodeRoles(node), ",")))
	printLabelsMultiline(w, "Labels", node.Labels)
	printAnnotationsMultiline(w, "Annotations", node.Annotations)
	w.write(0, "CreationTimestamp:\t%s\n", rfc1123z(node.CreationTimestamp))
	printTaintsMultiline(w, "Taints", node.Spec.Taints)
	w.write(0, "Unschedulable:\t%v\n", node.Spec.Unschedulable)
	describeNodeLease(w, node, opts.NodeLease)
	describeNodeConditions(w, node)
	w.write(0, "Addresses:\n")
	for _, a := range node.Status.Addresses {
		w.write(1, "%s:\t%s\n", a.Type, a.Address)
	}
	describeResourceList(w, "Capacity", node.Status.Capacity)
	describeResourceList(w, "Allocatable", node.Status.Allocatable)
	describeSystemInfo(w, node.Status.NodeInfo)
	if node.Spec.PodCIDR != "" {
		w.write(0, "PodCIDR:\t%s\n", node.Spec.PodCIDR)
	}
	if len(node.Spec.PodCIDRs) > 0 {
		w.write(0, "PodCIDRs:\t%s\n", strings.Join(node.Spec.PodCIDRs, ","))
	}
	describeNodeResource(w, node, nodeNonTerminatedPods(node.Name, opts.Pods), opts.Now)
	describeEventsUnlessHidden(w, opts)
	return nil
}

// describeNodeLease writes the Lease section, or kubectl's error line when
// the lease is missing.
func describeNodeLease(w *prefixWriter, node *objects.Node, lease *Lease) {
	if lease == nil {
		w.write(0, "Lease:\tFailed to get lease: leases.coordination.k8s.io %q not found\n", node.Name)
		return
	}
	w.write(0, "Lease:\n")
	w.write(1, "HolderIdentity:\t%s\n", lease.HolderIdentity)
	w.write(1, "AcquireTime:\t%s\n", leaseTime(lease.AcquireTime))
	w.write(1, "RenewTime:\t%s\n", leaseTime(lease.RenewTime))
}

// leaseTime prints a lease time, or "<unset>".
func leaseTime(t time.Time) string {
	if t.IsZero() {
		return "<unset>"
	}
	return rfc1123z(objects.Time{Time: t})
}

// describeNodeConditions writes the node's conditions table.
func describeNodeConditions(w *prefixWriter, node *objects.Node) {
	if len(node.Status.Conditions) == 0 {
		return
	}
	w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
	w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
	for _, c := range node.Status.Conditions {
		w.write(1, "%v \t%v \t%s \t%s \t%v \t%v\n", c.Type, c.Status,
			rfc1123z(c.LastHeartbeatTime), rfc1123z(c.LastTransitionTime), c.Reason, c.Message)
	}
}

// describeResourceList writes "Title:" and one "  name:  amount" per
// resource, sorted, unless the list is empty.
func describeResourceList(w *prefixWriter, title string, list objects.ResourceList) {
	if len(list) == 0 {
		return
	}
	w.write(0, "%s:\n", title)
	for _, name := range sortedKeys(list) {
		q := list[name]
		w.write(0, "  %s:\t%s\n", name, q.String())
	}
}

// describeSystemInfo writes the "System Info:" section.
func describeSystemInfo(w *prefixWriter, info objects.NodeSystemInfo) {
	w.write(0, "System Info:\n")
	for _, f := range [][2]string{
		{"Machine ID", ""},
		{"System UUID", ""},
		{"Boot ID", ""},
		{"Kernel Version", info.KernelVersion},
		{"OS Image", info.OSImage},
		{"Operating System", info.OperatingSystem},
		{"Architecture", info.Architecture},
		{"Container Runtime Version", info.ContainerRuntimeVersion},
		{"Kubelet Version", info.KubeletVersion},
		{"Kube-Proxy Version", ""},
	} {
		w.write(0, "  %s:\t%s\n", f[0], f[1])
	}
}

// nodeNonTerminatedPods keeps the pods bound to node whose phase is
// neither Succeeded nor Failed, in namespace and name order (the order of
// kubectl's field-selected list).
func nodeNonTerminatedPods(node string, pods []*objects.Pod) []*objects.Pod {
	var out []*objects.Pod
	for _, p := range pods {
		if p != nil && p.Spec.NodeName == node && !podTerminal(p.Status.Phase) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Resource names describe node reports on besides cpu and memory.
const (
	resourceEphemeralStorage = "ephemeral-storage"
	hugePagesPrefix          = "hugepages-"
)

// describeNodeResource writes "Non-terminated Pods" and "Allocated
// resources" (describe.go describeNodeResource).
func describeNodeResource(w *prefixWriter, node *objects.Node, pods []*objects.Pod, now time.Time) {
	w.write(0, "Non-terminated Pods:\t(%d in total)\n", len(pods))
	w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
	w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
	allocatable := node.Status.Capacity
	if len(node.Status.Allocatable) > 0 {
		allocatable = node.Status.Allocatable
	}
	cpu, memory := allocatable.Cpu(), allocatable.Memory()
	for _, p := range pods {
		req, lim := podRequestsAndLimits(p)
		w.write(1, "%s\t%s\t\t%s\t%s\t%s\t%s\t%s\n", p.Namespace, p.Name,
			milliFraction(req.Cpu(), cpu), milliFraction(lim.Cpu(), cpu),
			valueFraction(req.Memory(), memory), valueFraction(lim.Memory(), memory),
			since(p.CreationTimestamp, now))
	}
	w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
	w.write(1, "Resource\tRequests\tLimits\n")
	w.write(1, "--------\t--------\t------\n")
	reqs, limits := totalRequestsAndLimits(pods)
	w.write(1, "%s\t%s\t%s\n", objects.ResourceCPU, guardedMilliFraction(reqs.Cpu(), cpu), guardedMilliFraction(limits.Cpu(), cpu))
	w.write(1, "%s\t%s\t%s\n", objects.ResourceMemory, guardedValueFraction(reqs.Memory(), memory), guardedValueFraction(limits.Memory(), memory))
	storage := allocatable.Name(resourceEphemeralStorage, objects.BinarySI)
	w.write(1, "%s\t%s\t%s\n", resourceEphemeralStorage,
		guardedValueFraction(reqs.Name(resourceEphemeralStorage, objects.BinarySI), storage),
		guardedValueFraction(limits.Name(resourceEphemeralStorage, objects.BinarySI), storage))
	describeExtraResources(w, allocatable, reqs, limits)
}

// describeExtraResources writes the huge page and extended resource rows.
func describeExtraResources(w *prefixWriter, allocatable, reqs, limits objects.ResourceList) {
	var hugePages, extended []string
	for _, name := range sortedKeys(allocatable) {
		switch {
		case strings.HasPrefix(name, hugePagesPrefix):
			hugePages = append(hugePages, name)
		case !standardContainerResource(name) && name != objects.ResourcePods:
			extended = append(extended, name)
		}
	}
	for _, name := range hugePages {
		total := allocatable.Name(name, objects.BinarySI)
		w.write(1, "%s\t%s\t%s\n", name, guardedValueFraction(reqs.Name(name, objects.BinarySI), total),
			guardedValueFraction(limits.Name(name, objects.BinarySI), total))
	}
	for _, name := range extended {
		w.write(1, "%s\t%s\t%s\n", name, reqs.Name(name, objects.DecimalSI).String(), limits.Name(name, objects.DecimalSI).String())
	}
}

// standardContainerResource reports whether name is cpu, memory,
// ephemeral-storage or a huge page size.
func standardContainerResource(name string) bool {
	switch name {
	case objects.ResourceCPU, objects.ResourceMemory, resourceEphemeralStorage:
		return true
	}
	return strings.HasPrefix(name, hugePagesPrefix)
}

// milliFraction prints "amount (percent%)" of a CPU amount, as the per-pod
// rows do, without guarding against a zero total (kubectl does not).
func milliFraction(q, total *objects.Quantity) string {
	return fmt.Sprintf("%s (%d%%)", q.String(), int64(float64(q.MilliValue())/float64(total.MilliValue())*100))
}

// valueFraction is milliFraction for whole-unit amounts such as memory.
func valueFraction(q, total *objects.Quantity) string {
	return fmt.Sprintf("%s (%d%%)", q.String(), int64(float64(q.Value())/float64(total.Value())*100))
}

// guardedMilliFraction is milliFraction with 0% against a zero total, as
// the "Allocated resources" rows do.
func guardedMilliFraction(q, total *objects.Quantity) string {
	if total.MilliValue() == 0 {
		return fmt.Sprintf("%s (0%%)", q.String())
	}
	return milliFraction(q, total)
}

// guardedValueFraction is valueFraction with 0% against a zero total.
func guardedValueFraction(q, total *objects.Quantity) string {
	if total.Value() == 0 {
		return fmt.Sprintf("%s (0%%)", q.String())
	}
	return valueFraction(q, total)
}

// podRequestsAndLimits sums a pod's container requests and limits, each
// resource at least any single init container's (kubectl
// pkg/util/resource PodRequestsAndLimits, without sidecars or overhead,
// which kubesim does not model).
func podRequestsAndLimits(p *objects.Pod) (reqs, limits objects.ResourceList) {
	reqs, limits = objects.ResourceList{}, objects.ResourceList{}
	for _, c := range p.Spec.Containers {
		addResources(reqs, c.Resources.Requests)
		addResources(limits, c.Resources.Limits)
	}
	for _, c := range p.Spec.InitContainers {
		maxResources(reqs, c.Resources.Requests)
		maxResources(limits, c.Resources.Limits)
	}
	return reqs, limits
}

// totalRequestsAndLimits sums podRequestsAndLimits over pods.
func totalRequestsAndLimits(pods []*objects.Pod) (reqs, limits objects.ResourceList) {
	reqs, limits = objects.ResourceList{}, objects.ResourceList{}
	for _, p := range pods {
		r, l := podRequestsAndLimits(p)
		addResources(reqs, r)
		addResources(limits, l)
	}
	return reqs, limits
}

// addResources adds every amount of from into into.
func addResources(into, from objects.ResourceList) {
	for _, name := range sortedKeys(from) {
		q, ok := into[name]
		if !ok {
			into[name] = from[name].DeepCopy()
			continue
		}
		q.Add(from[name])
		into[name] = q
	}
}

// maxResources raises every amount of into to at least from's.
func maxResources(into, from objects.ResourceList) {
	for _, name := range sortedKeys(from) {
		if q, ok := into[name]; !ok || ptrTo(from[name]).Cmp(q) > 0 {
			into[name] = from[name].DeepCopy()
		}
	}
}

// ptrTo returns a pointer to a copy of q, for resource.Quantity's pointer
// methods on a map value.
func ptrTo(q objects.Quantity) *objects.Quantity { return &q }
