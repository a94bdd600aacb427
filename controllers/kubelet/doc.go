// Package kubelet models the kubelet of one simulated node: it runs the pods
// bound to its node and reports their status.
//
// # The pod lifecycle
//
// A pod bound to the node is first given a sandbox (one second, then an IP
// from the node's pod CIDR, allocated in order as host-local IPAM does).
// Containers then start one after another: each image is pulled unless the
// node has it and the pull policy allows reuse (a first pull takes time in
// proportion to the image's size, a registry check for a cached image with
// policy Always takes one second), then the container is created and
// started.
//
// # Images that cannot be pulled
//
// Config.Catalog says which images exist (see internal/workload/images). A pull
// of any other image fails after the registry check, as the image manager
// (pkg/kubelet/images) reports it: a Pulling event, a Failed event with
// containerd's error ("rpc error: code = NotFound desc = failed to pull
// and unpack image ...: not found" for a missing tag; "pull access denied,
// repository does not exist or may require authorization: ..." for a
// Docker Hub repository that does not exist, its Unknown code stripped by
// the CRI client) and Failed "Error: ErrImagePull". Each pod backs off
// each image on its own (upstream's key is the pod UID and the image): 10
// seconds after the first failure, doubling to 5 minutes, forgotten after
// 10 minutes without a failure. A sync that finds the image backing off
// records BackOff "Back-off pulling image" and Failed "Error:
// ImagePullBackOff". The pod worker syncs again 10 seconds after a sync
// that could not start a container, and at once after the first failure
// of an image in a pod (that sync also created the sandbox or killed the
// old container, which the PLEG reports). The container's waiting reason
// is ErrImagePull or ImagePullBackOff (whose message repeats the last pull
// error), shown from the sync after the one that met it, since SyncPod
// generates the status before it acts. The pod stays Pending; a pod update
// that fixes the image is synced at once. A reference that does not parse
// gets InspectFailed and InvalidImageName, retried at every sync. A
// container that cannot get its image does not hold back the next ones. What the container does comes from the workload model
// (internal/workload): its output becomes the container log, its sleeps and
// computations take virtual time, and its exit code decides what happens
// next.
//
// restartPolicy Always restarts any exit, OnFailure a non-zero exit, Never
// none. Restarts follow the kubelet's crash-loop back-off: the first restart
// at once, then waits of 10s doubling to a 5 minute cap (the container shows
// CrashLoopBackOff meanwhile); a container that ran for 10 minutes before
// exiting starts over from no back-off. The pod phase follows the kubelet's
// getPhase: Pending until every container has started once, Running while
// any runs or will restart, then Succeeded or Failed.
//
// A deleted pod is stopped with its grace period: servers (nginx, mysql)
// exit on SIGTERM, a second later, leaving their files as a clean stop
// does (images.Image.Stopped: mysqld removes ibtmp1), while a shell or
// sleep running as PID 1 ignores SIGTERM
// and is killed (exit 137) when the grace period ends. Once every container
// has stopped, the kubelet reports the terminal status and removes the pod
// (a delete with grace period 0), freeing its name.
//
// # Secrets and ConfigMaps
//
// Before the sandbox starts, the pod's secret, configMap and downwardAPI
// volumes are filled with one read-only file per key (mode 0644 unless
// defaultMode or an item's mode says otherwise; downwardAPI label and
// annotation files as sorted key="value" lines). A missing Secret or
// ConfigMap leaves the pod ContainerCreating with FailedMount events,
// retried after 500ms, doubling to 2m2s. A container's environment is
// built when it starts: envFrom keys (with their prefix), then env values,
// fields and secretKeyRef/configMapKeyRef keys. A missing object or key
// that is not optional fails the start with a Failed event and the
// CreateContainerConfigError waiting reason; the kubelet tries again every
// 10 seconds. Volume contents are not refreshed when their source changes.
//
// # State
//
// The kubelet is the one controller with machine state: the images on the
// node, the pods' sandboxes, processes, files and logs. It changes that state
// while reconciling, as a real kubelet changes its machine; everything it
// tells the API goes through the returned Result.
//
// # Imports and determinism
//
// kubelet imports controllers, storage, objects and the internal workload
// and vfs models. Time comes only from Reconcile's now.
package kubelet
