//go:build kubesim_mutants

package kubesim_test

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// job is a Job manifest applied from a scenario: spec lines (indented two
// spaces, under spec:) and the container's shell command.
func job(name, spec, restartPolicy, command string) string {
	return fmt.Sprintf(`kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: %s
spec:
%s  template:
    spec:
      restartPolicy: %s
      containers:
      - name: work
        image: busybox:1.36
        command: ["sh", "-c", %q]
EOF
`, name, spec, restartPolicy, command)
}

// deployment is a Deployment manifest of nginx pods labelled app=<name>.
func deployment(name string, replicas int, image, strategy string) string {
	return fmt.Sprintf(`kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
spec:
  replicas: %d
%s  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
    spec:
      containers:
      - name: nginx
        image: %s
EOF
`, name, replicas, strategy, name, name, image)
}

// cronJob is a CronJob manifest running every minute; spec lines go
// under spec:.
func cronJob(name, spec, command string) string {
	return fmt.Sprintf(`kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: %s
spec:
  schedule: "*/1 * * * *"
%s  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: work
            image: busybox:1.36
            command: ["sh", "-c", %q]
EOF
`, name, spec, command)
}

// statefulSet is a StatefulSet manifest of nginx pods; extra lines go
// under spec:.
func statefulSet(name string, replicas int, extra string) string {
	return fmt.Sprintf(`kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: %s
spec:
  serviceName: %s
  replicas: %d
%s  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
EOF
`, name, name, replicas, extra, name, name)
}

// volume is a static hostPath PersistentVolume manifest.
func volume(name, size string) string {
	return fmt.Sprintf(`kubectl apply -f - <<EOF
apiVersion: v1
kind: PersistentVolume
metadata:
  name: %s
spec:
  capacity:
    storage: %s
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath:
    path: /data/%s
EOF
`, name, size, name)
}

// claim is a class-less claim manifest (only static volumes fit it).
func claim(name, size string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: %s
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: %s
`, name, size)
}

// pod is a bare busybox pod manifest.
func pod(name, restartPolicy, command string) string {
	return fmt.Sprintf(`kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: %s
spec:
  restartPolicy: %s
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", %q]
EOF
`, name, restartPolicy, command)
}

// mutantCases are the behaviour tests, one per mutant, in the catalogue's
// order. Each scenario's comment says what upstream does and what the bug
// does instead.
func mutantCases() []mutantCase {
	return []mutantCase{
		// A pod informer lagging behind the Job's own creates: upstream
		// waits for it, the bug creates the pods again.
		{mutant: "job-stale-view", script: job("pi", "  completions: 3\n", "Never", "sleep 5") + `
sleep 2s
fault stale job-controller 10 --kind Pod --for 10s
sleep 1m
`, measure: final(createdPods("pi")), off: "3", on: "5"},

		// A crash between recording the finished pod in
		// uncountedTerminatedPods and removing its finalizer: the next
		// sync must not record it again.
		{mutant: "job-double-count", script: job("pi", "  completions: 1\n", "Never", "sleep 5") + `
sleep 2s
fault crash job-controller
sleep 1m
`, measure: final(jobState("pi")), off: "Complete/CompletionsReached succeeded=1 failed=0",
			on: "Complete/CompletionsReached succeeded=2 failed=0"},

		// backoffLimit 1 allows one retry: the Job fails at its second
		// failure, the bug at its first.
		{mutant: "job-backoff-off-by-one", script: job("pi", "  backoffLimit: 1\n", "Never", "exit 1") + `
sleep 2m
`, measure: final(jobState("pi")), off: "Failed/BackoffLimitExceeded succeeded=0 failed=2",
			on: "Failed/BackoffLimitExceeded succeeded=0 failed=1"},

		// A 10s deadline on a minute's work: DeadlineExceeded, or (the
		// bug) the Job runs to completion.
		{mutant: "job-deadline-ignored", script: job("pi", "  activeDeadlineSeconds: 10\n", "Never", "sleep 60") + `
sleep 2m
`, measure: final(jobState("pi")), off: "Failed/DeadlineExceeded succeeded=0 failed=1",
			on: "Complete/CompletionsReached succeeded=1 failed=0"},

		// parallelism 2: at most two pods run at once.
		{mutant: "job-extra-pod", script: job("pi", "  parallelism: 2\n  completions: 4\n", "Never", "sleep 30") + `
sleep 3m
`, measure: maxOver(activePods("pi")), off: "2", on: "3"},

		// Two completions, index 0 succeeds and index 1 fails (then waits
		// out its back-off): one success is not enough to complete.
		{mutant: "job-complete-early", script: job("pi", "  completions: 2\n  parallelism: 2\n  completionMode: Indexed\n", "Never",
			`if [ "$JOB_COMPLETION_INDEX" = 0 ]; then exit 0; fi; sleep 3; exit 1`) + `
sleep 8s
`, measure: final(jobState("pi")), off: "running succeeded=1 failed=1",
			on: "Complete/CompletionsReached succeeded=1 failed=1"},

		// Suspending a running Job deletes its pods.
		{mutant: "job-suspend-ignored", script: job("pi", "  parallelism: 2\n", "Never", "sleep 600") + `
sleep 20s
kubectl patch job pi -p '{"spec":{"suspend":true}}'
sleep 1m
`, measure: final(func(r storage.Reader) string { return fmt.Sprint(activePods("pi")(r)) }), off: "0", on: "2"},

		// Forbid with Jobs that outlast the schedule: one Job at a time.
		{mutant: "cronjob-forbid-concurrent", script: cronJob("tick", "  concurrencyPolicy: Forbid\n", "sleep 600") + `
sleep 3m30s
`, measure: final(count("Job", ownedBy("tick"))), off: "1", on: "3"},

		// Replace deletes the running Job when the next one starts.
		{mutant: "cronjob-replace-keeps-old", script: cronJob("tick", "  concurrencyPolicy: Replace\n", "sleep 600") + `
sleep 3m30s
`, measure: final(count("Job", ownedBy("tick"))), off: "1", on: "3"},

		// A history limit of one succeeded Job.
		{mutant: "cronjob-history-untrimmed", script: cronJob("tick", "  successfulJobsHistoryLimit: 1\n", "echo tick") + `
sleep 4m30s
`, measure: final(count("Job", ownedBy("tick"))), off: "1", on: "4"},

		// The controller crashes between creating the slot's Job and
		// writing lastScheduleTime; the retry must not start a second Job
		// for the slot.
		{mutant: "cronjob-two-jobs-one-slot", script: cronJob("tick", "", "sleep 600") + `
fault crash cronjob-controller
sleep 1m30s
`, measure: final(count("Job", ownedBy("tick"))), off: "1", on: "2"},

		// OrderedReady: db-1 waits for db-0 to be Running and Ready (the
		// image pull takes seconds).
		{mutant: "statefulset-ordered-ready-broken", script: statefulSet("db", 3, "") + `
sleep 1s
`, measure: final(count("Pod", ownedBy("db"))), off: "1", on: "3"},

		// Scaling 3 to 1 deletes db-2, then db-1.
		{mutant: "statefulset-scale-down-lowest-first", script: statefulSet("db", 3, "") + `
sleep 2m
kubectl scale statefulset db --replicas=1
sleep 1m
`, measure: deletionOrder, off: "db-2 db-1", on: "db-1 db-2"},

		// whenScaled Retain (the default) keeps db-1's claim after a
		// scale-down.
		{mutant: "statefulset-deletes-retained-claims", script: volume("pv-a", "1Gi") + volume("pv-b", "1Gi") +
			statefulSet("db", 2, `  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      storageClassName: ""
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`) + `
sleep 2m
kubectl scale statefulset db --replicas=1
sleep 2m
`, measure: final(count("PersistentVolumeClaim", nil)), off: "2", on: "1"},

		// Two claims race for one volume while the binder reads a stale
		// view: only one may have it.
		{mutant: "pv-bind-unconditional", script: volume("pv-a", "1Gi") + `
sleep 5s
fault stale persistentvolume-binder-controller 4
kubectl apply -f - <<EOF
` + claim("claim-a", "1Gi") + "---\n" + claim("claim-b", "1Gi") + `EOF
sleep 30s
`, measure: maxOver(boundTo("pv-a")), off: "1", on: "2"},

		// A 1Gi volume cannot serve a 5Gi claim.
		{mutant: "pv-binder-ignores-capacity", script: volume("pv-a", "1Gi") + `
kubectl apply -f - <<EOF
` + claim("claim-a", "5Gi") + `EOF
sleep 10s
`, measure: final(boundClaims), off: "", on: "claim-a->pv-a"},

		// Deleting a Deployment with --cascade=orphan keeps its ReplicaSet.
		{mutant: "gc-orphan-deletes-dependents", script: deployment("web", 2, "nginx:1.25", "") + `
sleep 30s
kubectl delete deployment web --cascade=orphan
sleep 30s
`, measure: final(count("ReplicaSet", nil)), off: "1", on: "0"},

		// A background delete takes the ReplicaSet and the pods along.
		{mutant: "gc-background-leaves-dependents", script: deployment("web", 2, "nginx:1.25", "") + `
sleep 30s
kubectl delete deployment web --cascade=background
sleep 1m
`, measure: final(count("Pod", func(o objects.Object) bool { return o.GetObjectMeta().Labels["app"] == "web" })),
			off: "0", on: "2"},

		// A rollout of 4 replicas with maxSurge 1: the ReplicaSets never
		// ask for more than 5 pods.
		{mutant: "deployment-surge-counts-ready", script: deployment("web", 4, "nginx:1.24", "  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n") + `
sleep 1m
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}}'
sleep 2m
`, measure: maxOver(specReplicasOf("web")), off: "5", on: "8"},

		// A rollout of 4 replicas with maxUnavailable 1: at least 3 pods
		// stay ready throughout.
		{mutant: "deployment-ignores-max-unavailable", script: deployment("web", 4, "nginx:1.24", "  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 1\n") + `
sleep 1m
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}}'
sleep 2m
`, measure: minOverOnce(4, readyPods("web")), off: "3", on: "0"},

		// A stale view without the ReplicaSet's own creates: scaling 2 to 4
		// must not run a fifth pod.
		{mutant: "replicaset-stale-view", script: deployment("web", 2, "nginx:1.25", "") + `
sleep 30s
fault stale replicaset-controller 8 --kind Pod --for 10s
kubectl scale deployment/web --replicas=4
sleep 1m
`, measure: maxOver(appPods("web")), off: "4", on: "8"},

		// A restartPolicy Never container that fails stays failed.
		{mutant: "kubelet-restarts-never", script: pod("once", "Never", "sleep 1; exit 1") + `
sleep 1m
`, measure: final(restarts("once")), off: "0", on: "3"},

		// A crash-looping container restarts after 10s, 20s, 40s... (the
		// bug: a second after every exit).
		{mutant: "kubelet-no-crashloop-backoff", script: pod("loop", "Always", "sleep 1; exit 1") + `
sleep 2m
`, measure: final(restarts("loop")), off: "4", on: "58"},

		// k8s-master carries node-role.kubernetes.io/control-plane:NoSchedule.
		{mutant: "scheduler-ignores-taints", script: deployment("web", 6, "nginx:1.25", "") + `
sleep 30s
`, measure: final(podsOnNode("k8s-master")), off: "0", on: "2"},

		// No node has 64 cores to spare.
		{mutant: "scheduler-ignores-resources", script: `
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: main
    image: nginx:1.25
    resources:
      requests:
        cpu: "64"
EOF
sleep 30s
`, measure: final(func(r storage.Reader) string {
			o, _ := r.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "big"})
			return "node=" + o.(*objects.Pod).Spec.NodeName
		}), off: "node=", on: "node=k8s-node1"},

		// A pod whose readiness probe fails is no ready address.
		{mutant: "endpoints-include-unready", script: `
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx:1.25
    ports:
    - name: http
      containerPort: 80
    readinessProbe:
      exec:
        command: ["cat", "/tmp/ready"]
      periodSeconds: 2
EOF
sleep 30s
`, measure: final(readyAddresses("web")), off: "0", on: "1"},

		// ttlSecondsAfterFinished 60: the Job outlives its finish by a minute.
		{mutant: "ttl-deletes-early", script: job("pi", "  ttlSecondsAfterFinished: 60\n", "Never", "echo done") + `
sleep 30s
`, measure: final(count("Job", nil)), off: "1", on: "0"},
	}
}
