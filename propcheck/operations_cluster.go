package propcheck

import (
	"fmt"
	"sort"
	"strings"

	"pgregory.net/rapid"

	"github.com/kubesim/kubesim/objects"
)

// dedicatedTaint is the key of the taint taintNode sets.
const dedicatedTaint = "dedicated"

// workers are the nodes ordinary pods run on.
var workers = []string{"k8s-node1", "k8s-node2"}

// createPod makes a bare pod whose labels match what some controller
// selects (a Job's selector, a ReplicaSet's, an app), so that it is
// adopted, or counted against the ones it has.
func createPod(s *Scenario) {
	t := s.T
	targets := adoptionTargets(s)
	if len(targets) == 0 {
		s.T.Skip("no selector to match")
	}
	keys := make([]string, 0, len(targets))
	for k := range targets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	target := rapid.SampledFrom(keys).Draw(t, "matches")
	name := s.NewName("pod")
	pod := podChoice{image: "busybox:1.36", readyAfter: -1, grace: 1, restart: "Never",
		command: fmt.Sprintf("sleep %d", rapid.SampledFrom([]int{5, 60, 600}).Draw(t, "sleep"))}
	labels := targets[target]
	if job, ok := strings.CutPrefix(target, "Job/"); ok {
		labels = symbolicUID(s, job, labels)
	} else {
		pod = drawServer(t, "nginx:1.25")
	}
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: %s
  labels:
%sspec:
%s`, name, labelsYAML(4, labels), pod.yaml(2)))
}

// symbolicUID returns labels with the Job's uid, where a value is it,
// written as the shell substitution that reads it when the step runs:
// $(kubectl get job NAME -o jsonpath='{.metadata.uid}'). Every create
// draws the next uid from the run's seeded stream, so the same Job has
// another uid once the shrinker drops an earlier step; a literal uid
// would then match nothing, and the shrunk scenario would lose the
// failure along with the step.
func symbolicUID(s *Scenario, job string, labels map[string]string) map[string]string {
	obj, err := s.Store().Get(objects.Key{Kind: "Job", Namespace: "default", Name: job})
	if err != nil {
		return labels
	}
	uid := obj.GetObjectMeta().UID
	out := make(map[string]string, len(labels))
	for k, v := range labels {
		if v == uid {
			v = jobUIDSubstitution(job)
		}
		out[k] = v
	}
	return out
}

// jobUIDSubstitution is the shell substitution that reads job's uid.
func jobUIDSubstitution(job string) string {
	return fmt.Sprintf("$(kubectl get job %s -o jsonpath='{.metadata.uid}')", job)
}

// adoptionTargets lists, by "Kind/name", the label sets that match a
// live Job's or ReplicaSet's selector.
func adoptionTargets(s *Scenario) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, kind := range []string{"Job", "ReplicaSet"} {
		for _, o := range s.Store().List(kind, "default", nil) {
			m := o.GetObjectMeta()
			var sel *objects.LabelSelector
			switch w := o.(type) {
			case *objects.Job:
				sel = w.Spec.Selector
			case *objects.ReplicaSet:
				sel = w.Spec.Selector
			}
			if m.DeletionTimestamp != nil || sel == nil || len(sel.MatchLabels) == 0 || len(sel.MatchExpressions) > 0 {
				continue
			}
			out[kind+"/"+m.Name] = sel.MatchLabels
		}
	}
	return out
}

// deletePod deletes a pod, gracefully or at once.
func deletePod(s *Scenario) {
	pods := sortedPods(s, func(p *objects.Pod) bool { return p.DeletionTimestamp == nil })
	if len(pods) == 0 {
		s.T.Skip("no pod")
	}
	pod := rapid.SampledFrom(pods).Draw(s.T, "pod")
	flags := rapid.SampledFrom([]string{"", "", " --grace-period=0 --force"}).Draw(s.T, "how")
	s.Do(fmt.Sprintf("kubectl delete pod %s --wait=false%s", pod, flags))
}

// relabelPod changes the label a pod's controller selects it by, so that
// the controller lets it go (and another may adopt it).
func relabelPod(s *Scenario) {
	pods := sortedPods(s, func(p *objects.Pod) bool {
		return p.DeletionTimestamp == nil && (p.Labels["app"] != "" || p.Labels[objects.ControllerUIDLabel] != "")
	})
	if len(pods) == 0 {
		s.T.Skip("no pod to relabel")
	}
	name := rapid.SampledFrom(pods).Draw(s.T, "pod")
	obj, err := s.Store().Get(objects.Key{Kind: "Pod", Namespace: "default", Name: name})
	if err != nil {
		s.T.Skip("pod gone")
	}
	key := "app"
	if obj.(*objects.Pod).Labels[key] == "" {
		key = objects.ControllerUIDLabel
	}
	values := append([]string{"other"}, s.Names(nameApp)...)
	s.Do(fmt.Sprintf("kubectl label pod %s %s=%s --overwrite", name, key, rapid.SampledFrom(values).Draw(s.T, "value")))
}

// killPod makes a running container exit, when there is one.
func killPod(s *Scenario) {
	running := sortedPods(s, func(p *objects.Pod) bool {
		return p.Status.Phase == objects.PodRunning && len(p.Status.ContainerStatuses) > 0 &&
			p.Status.ContainerStatuses[0].State.Running != nil && !s.down["node "+p.Spec.NodeName]
	})
	if len(running) == 0 {
		s.T.Skip("no running container")
	}
	pod := rapid.SampledFrom(running).Draw(s.T, "pod")
	s.Do(fmt.Sprintf("kill %s --exit-code %d", pod, rapid.SampledFrom([]int{0, 1, 137}).Draw(s.T, "code")))
}

// toggle takes a node or a controller down, or brings it back.
func toggle(s *Scenario) {
	what := rapid.SampledFrom([]string{"node k8s-node1", "node k8s-node2", "controller job-controller",
		"controller deployment-controller", "controller replicaset-controller", "controller garbage-collector-controller",
		"controller statefulset-controller", "controller cronjob-controller", "controller endpoint-controller",
		"controller persistentvolume-binder-controller", "controller ttl-after-finished-controller",
		"controller all"}).Draw(s.T, "what")
	state := "down"
	if s.down[what] {
		state = "up"
	}
	s.down[what] = !s.down[what]
	kind, name, _ := strings.Cut(what, " ")
	s.Do(fmt.Sprintf("%s %s %s", kind, state, name))
}

// taintNode cordons or uncordons a worker, sets or clears a taint on it
// (NoSchedule, or NoExecute, which evicts what does not tolerate it), or
// changes how many pods it takes (its allocatable pods, as a kubelet
// started with another --max-pods reports them).
func taintNode(s *Scenario) {
	node := rapid.SampledFrom(workers).Draw(s.T, "node")
	var patch string
	switch rapid.SampledFrom([]string{"cordon", "uncordon", "taint", "untaint", "maxPods"}).Draw(s.T, "change") {
	case "maxPods":
		s.Do(fmt.Sprintf(`kubectl patch node %s --subresource status -p '{"status":{"allocatable":{"pods":"%d"}}}'`,
			node, rapid.SampledFrom([]int{2, 4, 110}).Draw(s.T, "maxPods")))
		return
	case "cordon":
		patch = `{"spec":{"unschedulable":true}}`
	case "uncordon":
		patch = `{"spec":{"unschedulable":false}}`
	case "taint":
		patch = fmt.Sprintf(`{"spec":{"taints":[{"key":"%s","value":"batch","effect":"%s"}]}}`, dedicatedTaint,
			rapid.SampledFrom([]string{"NoSchedule", "NoSchedule", "NoExecute"}).Draw(s.T, "effect"))
	default:
		patch = `{"spec":{"taints":null}}`
	}
	s.Do(fmt.Sprintf("kubectl patch node %s -p '%s'", node, patch))
}

// nfsClass is the name of the class the nfs provisioner serves.
const nfsClass = "nfs"

// createStorageClass starts the nfs provisioner on k8s-master's /mnt/data
// and makes its StorageClass, once a run.
func createStorageClass(s *Scenario) {
	if len(s.Names(nameClass)) > 0 {
		s.T.Skip("the class exists")
	}
	t := s.T
	s.Do("host k8s-master -- mkdir -p /mnt/data")
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: nfs-provisioner
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: nfs-provisioner
  template:
    metadata:
      labels:
        app: nfs-provisioner
    spec:
      containers:
      - name: nfs-client-provisioner
        image: quay.io/external_storage/nfs-client-provisioner:latest
        env:
        - name: PROVISIONER_NAME
          value: kubesim/nfs
        - name: NFS_SERVER
          value: 192.168.122.24
        - name: NFS_PATH
          value: /mnt/data
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: %s
provisioner: kubesim/nfs
reclaimPolicy: %s
parameters:
  archiveOnDelete: "%t"
`, nfsClass, rapid.SampledFrom([]string{"Delete", "Retain"}).Draw(t, "reclaimPolicy"), rapid.Bool().Draw(t, "archiveOnDelete")))
	s.Add(nameClass, nfsClass)
}

// createVolume adds a static hostPath volume of a random size and reclaim
// policy.
func createVolume(s *Scenario) {
	t := s.T
	name := s.NewName("pv")
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: v1
kind: PersistentVolume
metadata:
  name: %s
spec:
  capacity:
    storage: %dGi
  accessModes: [%s]
  persistentVolumeReclaimPolicy: %s
  hostPath:
    path: /data/%s
`, name, rapid.IntRange(1, 5).Draw(t, "size"), rapid.SampledFrom([]string{"ReadWriteOnce", "ReadWriteMany"}).Draw(t, "mode"),
		rapid.SampledFrom([]string{"Retain", "Retain", "Recycle", "Delete"}).Draw(t, "reclaimPolicy"), name))
	s.Add(nameVolume, name)
}

// createClaim asks for a volume: a static one (no class), or one the nfs
// class provisions when a run made it.
func createClaim(s *Scenario) {
	t := s.T
	name := s.NewName("claim")
	class := ""
	if len(s.Names(nameClass)) > 0 && rapid.Bool().Draw(t, "dynamic") {
		class = s.Pick(nameClass)
	}
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: %s
spec:
  storageClassName: %q
  accessModes: [%s]
  resources:
    requests:
      storage: %dGi
`, name, class, rapid.SampledFrom([]string{"ReadWriteOnce", "ReadWriteOnce", "ReadWriteMany"}).Draw(t, "mode"),
		rapid.IntRange(1, 5).Draw(t, "size")))
	s.Add(nameClaim, name)
}

func deleteClaim(s *Scenario) {
	name := s.Pick(nameClaim)
	s.Remove(nameClaim, name)
	s.Do(fmt.Sprintf("kubectl delete pvc %s --wait=false", name))
}
