package printers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Pod: `kubectl get pods` columns and `kubectl describe pod`
// (printers.go printPod, describe.go describePod).
func init() {
	register("Pod", kindPrinter{
		columns: []column{
			{name: "Name", isName: true},
			{name: "Ready"},
			{name: "Status"},
			{name: "Restarts"},
			{name: "Age"},
			{name: "IP", wide: true},
			{name: "Node", wide: true},
			{name: "Nominated Node", wide: true},
			{name: "Readiness Gates", wide: true},
		},
		row:      typedRow(podRow),
		describe: typedDescribe(describePod),
	})
}

// podRow is upstream's printPod with options.Wide, as the apiserver
// generates it.
func podRow(pod *objects.Pod, now time.Time) []string {
	s := summarizePod(pod)
	restarts := strconv.Itoa(s.restarts)
	if s.restarts != 0 && !s.lastRestart.IsZero() {
		restarts = fmt.Sprintf("%d (%s ago)", s.restarts, since(s.lastRestart, now))
	}
	ip := "<none>"
	if len(pod.Status.PodIPs) > 0 && pod.Status.PodIPs[0].IP != "" {
		ip = pod.Status.PodIPs[0].IP
	}
	// kubesim models neither nominatedNodeName nor readiness gates.
	return []string{pod.Name, fmt.Sprintf("%d/%d", s.ready, s.total), s.status, restarts,
		since(pod.CreationTimestamp, now), ip, stringOrNone(pod.Spec.NodeName), "<none>", "<none>"}
}

// PodDisplayStatus returns what the STATUS column of `kubectl get pods`
// shows for pod: the phase, or a more telling reason ("ContainerCreating",
// "Completed", "Error", "CrashLoopBackOff", "Init:0/1", "Terminating"...).
func PodDisplayStatus(pod *objects.Pod) string {
	if pod == nil {
		return ""
	}
	return summarizePod(pod).status
}

// podSummary is what printPod works out of a pod.
type podSummary struct {
	ready, total int
	status       string
	restarts     int
	lastRestart  objects.Time
}

// summarizePod follows upstream's printPod (kubernetes
// pkg/printers/internalversion/printers.go, 1.35+): the phase or status
// reason, then init containers, then the containers scanned from last to
// first, then Terminating. kubesim has no restartable (sidecar) init
// containers, so every init container is a plain one.
func summarizePod(pod *objects.Pod) podSummary {
	s := podSummary{total: len(pod.Spec.Containers), status: pod.Status.Phase}
	if pod.Status.Reason != "" {
		s.status = pod.Status.Reason
	}
	for _, c := range pod.Status.Conditions {
		if c.Type == objects.PodScheduled && c.Reason == podReasonSchedulingGated {
			s.status = podReasonSchedulingGated
		}
	}
	initializing := s.initContainers(pod)
	if !initializing || conditionTrue(pod.Status.Conditions, objects.PodInitialized) {
		s.containers(pod)
	}
	if pod.DeletionTimestamp != nil && pod.Status.Reason == podReasonNodeLost {
		s.status = "Unknown"
	} else if pod.DeletionTimestamp != nil && !podTerminal(pod.Status.Phase) {
		s.status = "Terminating"
	}
	return s
}

// Reasons printPod gives special meaning to.
const (
	podReasonSchedulingGated = "SchedulingGated"
	podReasonNodeLost        = "NodeLost"
	reasonPodInitializing    = "PodInitializing"
	reasonCompleted          = "Completed"
)

// initContainers scans the init container statuses in order, stopping at
// the first that has not succeeded, and reports whether the pod is still
// initializing. Their restarts count until the pod is initialized.
func (s *podSummary) initContainers(pod *objects.Pod) bool {
	for i, c := range pod.Status.InitContainerStatuses {
		s.addRestarts(c)
		t, w := c.State.Terminated, c.State.Waiting
		switch {
		case t != nil && t.ExitCode == 0:
			continue
		case t != nil:
			s.status = "Init:" + terminatedReason(t)
		case w != nil && w.Reason != "" && w.Reason != reasonPodInitializing:
			s.status = "Init:" + w.Reason
		default:
			s.status = fmt.Sprintf("Init:%d/%d", i, len(pod.Spec.InitContainers))
		}
		return true
	}
	return false
}

// containers scans the container statuses from last to first; the first
// container's reason wins. Restarts are recounted from the containers
// alone, as upstream does once the pod is initialized.
func (s *podSummary) containers(pod *objects.Pod) {
	s.restarts, s.lastRestart = 0, objects.Time{}
	hasRunning, errorReason := false, ""
	for i := len(pod.Status.ContainerStatuses) - 1; i >= 0; i-- {
		c := pod.Status.ContainerStatuses[i]
		s.addRestarts(c)
		switch {
		case c.State.Waiting != nil && c.State.Waiting.Reason != "":
			s.status = c.State.Waiting.Reason
		case c.State.Terminated != nil:
			s.status = terminatedReason(c.State.Terminated)
			if c.State.Terminated.ExitCode != 0 {
				errorReason = s.status
			}
		case c.Ready && c.State.Running != nil:
			hasRunning = true
			s.ready++
		}
	}
	if s.status != reasonCompleted {
		return
	}
	// A Completed container among running ones: the pod is still running.
	// Since 1.35 a sibling that failed outranks one that completed.
	switch {
	case hasRunning && conditionTrue(pod.Status.Conditions, objects.PodReady):
		s.status = "Running"
	case errorReason != "":
		s.status = errorReason
	case hasRunning:
		s.status = "NotReady"
	}
}

// addRestarts counts a container's restarts and remembers its latest restart.
func (s *podSummary) addRestarts(c objects.ContainerStatus) {
	s.restarts += int(c.RestartCount)
	if t := c.LastState.Terminated; t != nil && s.lastRestart.Before(t.FinishedAt.Time) {
		s.lastRestart = t.FinishedAt
	}
}

// terminatedReason is a terminated container's reason, or
// "Signal:<n>"/"ExitCode:<n>" when the runtime gave none.
func terminatedReason(t *objects.ContainerStateTerminated) string {
	switch {
	case t.Reason != "":
		return t.Reason
	case t.Signal != 0:
		return fmt.Sprintf("Signal:%d", t.Signal)
	}
	return fmt.Sprintf("ExitCode:%d", t.ExitCode)
}

// conditionTrue reports whether the first pod condition of type t is True.
func conditionTrue(conds []objects.PodCondition, t string) bool {
	for _, c := range conds {
		if c.Type == t {
			return c.Status == objects.ConditionTrue
		}
	}
	return false
}

// podTerminal reports whether a pod phase is Succeeded or Failed.
func podTerminal(phase string) bool {
	return phase == objects.PodSucceeded || phase == objects.PodFailed
}

// containersAndImages returns the CONTAINERS and IMAGES cells of a
// workload's wide row: names and images joined by commas (printers.go
// layoutContainerCells), for the Job, CronJob, StatefulSet and Deployment tables.
func containersAndImages(containers []objects.Container) (names, images string) {
	n := make([]string, 0, len(containers))
	i := make([]string, 0, len(containers))
	for _, c := range containers {
		n = append(n, c.Name)
		i = append(i, c.Image)
	}
	return strings.Join(n, ","), strings.Join(i, ",")
}
