package printers

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// The tutorial's three nodes: a control plane and two workers, the second
// NotReady and cordoned.
func threeNodes() []objects.Object {
	master := node("k8s-master", "192.168.122.24", true)
	master.Labels["node-role.kubernetes.io/control-plane"] = ""
	node2 := node("k8s-node2", "192.168.122.26", false)
	node2.Spec.Unschedulable = true
	return []objects.Object{master, node("k8s-node1", "192.168.122.25", true), node2}
}

// printers.go printNode: STATUS from the Ready condition, ROLES from the
// node-role.kubernetes.io/* labels.
func TestGetNodes(t *testing.T) {
	assert.Equal(t, ""+
		"NAME         STATUS                        ROLES           AGE   VERSION\n"+
		"k8s-master   Ready                         control-plane   4m    v1.37.2\n"+
		"k8s-node1    Ready                         <none>          4m    v1.37.2\n"+
		"k8s-node2    NotReady,SchedulingDisabled   <none>          4m    v1.37.2\n",
		table(t, Options{Now: now}, threeNodes()...))
}

// -o wide adds the addresses and software; -A adds no NAMESPACE column to
// a cluster-scoped kind.
func TestGetNodesWideAllNamespaces(t *testing.T) {
	nodes := threeNodes()[:2]
	assert.Equal(t, ""+
		"NAME         STATUS   ROLES           AGE   VERSION   INTERNAL-IP      EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME\n"+
		"k8s-master   Ready    control-plane   4m    v1.37.2   192.168.122.24   <none>        Debian GNU/Linux 12 (bookworm)   6.1.0-17-amd64   containerd://1.7.11\n"+
		"k8s-node1    Ready    <none>          4m    v1.37.2   192.168.122.25   <none>        Debian GNU/Linux 12 (bookworm)   6.1.0-17-amd64   containerd://1.7.11\n",
		table(t, Options{Now: now, Wide: true, ShowNamespace: true}, nodes...))
}

// Roles come sorted from both label styles; a node without a Ready
// condition is Unknown; missing software is <unknown>.
func TestNodeRolesAndUnknowns(t *testing.T) {
	n := &objects.Node{ObjectMeta: objects.ObjectMeta{Name: "n", Labels: map[string]string{
		"node-role.kubernetes.io/worker": "", "kubernetes.io/role": "infra", "node-role.kubernetes.io/": "x"}}}
	assert.Equal(t, []string{"n", "Unknown", "infra,worker", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"},
		nodeRow(n, now))
}

func TestGetNamespaces(t *testing.T) {
	ns := func(name, phase string, created time.Duration) objects.Object {
		return &objects.Namespace{ObjectMeta: meta("", name, created), Status: objects.NamespaceStatus{Phase: phase}}
	}
	assert.Equal(t, ""+
		"NAME          STATUS        AGE\n"+
		"default       Active        4m\n"+
		"kube-system   Active        4m\n"+
		"team-a        Terminating   2m\n",
		table(t, Options{Now: now, ShowNamespace: true},
			ns("default", "Active", 0), ns("kube-system", "Active", 0), ns("team-a", "Terminating", 2*time.Minute)))
}

// Two events: a scheduling event and a repeated back-off from the kubelet.
func twoEvents() []objects.Object {
	scheduled := event("nginx.17a1", "Normal", "Scheduled", "nginx", "default-scheduler",
		"Successfully assigned default/nginx to k8s-node1", 0, 0, 1)
	backoff := event("crash.17a2", "Warning", "BackOff", "crash", "kubelet",
		"Back-off restarting failed container crash in pod crash_default(uid-crash)\n", time.Minute, 4*time.Minute-10*time.Second, 5)
	backoff.Source.Host = "k8s-node1"
	backoff.InvolvedObject.FieldPath = "spec.containers{crash}"
	return []objects.Object{scheduled, backoff}
}

// printers.go printEvent: LAST SEEN from lastTimestamp, OBJECT kind/name,
// the message trimmed.
func TestGetEvents(t *testing.T) {
	assert.Equal(t, ""+
		"LAST SEEN   TYPE      REASON      OBJECT      MESSAGE\n"+
		"4m          Normal    Scheduled   pod/nginx   Successfully assigned default/nginx to k8s-node1\n"+
		"10s         Warning   BackOff     pod/crash   Back-off restarting failed container crash in pod crash_default(uid-crash)\n",
		table(t, Options{Now: now}, twoEvents()...))
}

func TestGetEventsWide(t *testing.T) {
	assert.Equal(t, ""+
		"LAST SEEN   TYPE      REASON      OBJECT      SUBOBJECT                SOURCE               MESSAGE                                                                      FIRST SEEN   COUNT   NAME\n"+
		"4m          Normal    Scheduled   pod/nginx                            default-scheduler    Successfully assigned default/nginx to k8s-node1                             4m           1       nginx.17a1\n"+
		"10s         Warning   BackOff     pod/crash   spec.containers{crash}   kubelet, k8s-node1   Back-off restarting failed container crash in pod crash_default(uid-crash)   3m           5       crash.17a2\n",
		table(t, Options{Now: now, Wide: true}, twoEvents()...))
}

// An event without lastTimestamp is as old as its firstTimestamp; one
// without either is <unknown>; a count of 0 prints 1.
func TestEventRowFallbacks(t *testing.T) {
	e := &objects.Event{InvolvedObject: objects.ObjectReference{Kind: "Node"}, FirstTimestamp: at(time.Minute)}
	row := eventRow(e, now)
	assert.Equal(t, "3m", row[0])
	assert.Equal(t, "node", row[3])
	assert.Equal(t, "1", row[8])
	assert.Equal(t, "<unknown>", eventRow(&objects.Event{}, now)[0])
}

// clusterRole returns an unstructured ClusterRole.
func clusterRole(name string) *objects.Unstructured {
	return &objects.Unstructured{
		TypeMeta:   objects.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
		ObjectMeta: meta("", name, 0),
		Content: map[string]any{"rules": []any{map[string]any{
			"apiGroups": []any{""}, "resources": []any{"pods"}, "verbs": []any{"get", "list"}}}},
	}
}

// Kinds without a printer on the apiserver get its default table: NAME and
// CREATED AT in RFC 3339.
func TestGetClusterRoles(t *testing.T) {
	assert.Equal(t, ""+
		"NAME         CREATED AT\n"+
		"pod-reader   2023-12-22T00:00:00Z\n",
		table(t, Options{Now: now}, clusterRole("pod-reader")))
}

// A kind nobody registered, such as a custom resource, prints NAME AGE.
func TestGetCustomResource(t *testing.T) {
	w := &objects.Unstructured{TypeMeta: objects.TypeMeta{APIVersion: "example.com/v1", Kind: "Widget"},
		ObjectMeta: meta("default", "w1", 3*time.Minute), Content: map[string]any{"spec": map[string]any{"size": int64(3)}}}
	assert.Equal(t, ""+
		"NAMESPACE   NAME   AGE\n"+
		"default     w1     60s\n",
		table(t, Options{Now: now, ShowNamespace: true}, w))
}

func TestGetServiceAccountsAndBindings(t *testing.T) {
	sa := &objects.Unstructured{TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
		ObjectMeta: meta("default", "default", 0), Content: map[string]any{}}
	assert.Equal(t, ""+
		"NAME      SECRETS   AGE\n"+
		"default   0         4m\n",
		table(t, Options{Now: now}, sa))

	rb := &objects.Unstructured{TypeMeta: objects.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding"},
		ObjectMeta: meta("default", "read-pods", 0), Content: map[string]any{
			"roleRef": map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
			"subjects": []any{
				map[string]any{"kind": "User", "name": "jane"},
				map[string]any{"kind": "ServiceAccount", "name": "default", "namespace": "default"},
			}}}
	assert.Equal(t, ""+
		"NAME        ROLE              AGE   USERS   GROUPS   SERVICEACCOUNTS\n"+
		"read-pods   Role/pod-reader   4m    jane             default/default\n",
		table(t, Options{Now: now, Wide: true}, rb))
}

// Several kinds in one get: one table per kind, an empty line between
// them, names prefixed by kind and group (kubectl get.go printObjs).
func TestGetSeveralKinds(t *testing.T) {
	assert.Equal(t, ""+
		"NAME        READY   STATUS    RESTARTS   AGE\n"+
		"pod/nginx   1/1     Running   0          4m\n"+
		"\n"+
		"NAME             STATUS   ROLES    AGE   VERSION\n"+
		"node/k8s-node1   Ready    <none>   4m    v1.37.2\n"+
		"\n"+
		"NAME                                               CREATED AT\n"+
		"clusterrole.rbac.authorization.k8s.io/pod-reader   2023-12-22T00:00:00Z\n",
		table(t, Options{Now: now}, nginxPod(), node("k8s-node1", "192.168.122.25", true), clusterRole("pod-reader")))

	// Without headers there is no separating line.
	assert.Equal(t, ""+
		"pod/nginx   1/1   Running   0     4m\n"+
		"node/k8s-node1   Ready   <none>   4m    v1.37.2\n",
		table(t, Options{Now: now, NoHeaders: true}, nginxPod(), node("k8s-node1", "192.168.122.25", true)))
}

// Cells stop at a line break with "..." and escape terminal escapes.
func TestCellEscaping(t *testing.T) {
	assert.Equal(t, "first...", escapeCell("first\nsecond"))
	assert.Equal(t, "^[[31mred", escapeCell("\x1b[31mred"))
	assert.Equal(t, "a...", escapeCell("a\r\nb"))
}

func TestPrintTableNothingAndErrors(t *testing.T) {
	assert.Equal(t, "", table(t, Options{Now: now}))
	var b bytes.Buffer
	require.ErrorIs(t, PrintTable(&b, []objects.Object{nginxPod(), nil}, Options{}), errNilObject)
	var nilPod *objects.Pod
	require.ErrorIs(t, PrintTable(&b, []objects.Object{nilPod}, Options{}), errNilObject)
	assert.Empty(t, b.String())
}

// kubectl get.go: "No resources found in <ns> namespace." unless -A, even
// for cluster-scoped kinds (kubernetes/kubectl#757).
func TestNoResourcesMessage(t *testing.T) {
	assert.Equal(t, "No resources found in default namespace.", NoResourcesMessage("default", false))
	assert.Equal(t, "No resources found", NoResourcesMessage("default", true))
}
