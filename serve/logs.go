package serve

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// logOptions are a pods/log request's parameters.
type logOptions struct {
	container  string
	previous   bool
	follow     bool
	tailLines  int // -1: all
	limitBytes int // 0: no limit
}

func parseLogOptions(req *apiRequest) (logOptions, error) {
	q := req.query
	opts := logOptions{container: q.Get("container"), previous: isTrue(q.Get("previous")),
		follow: isTrue(q.Get("follow")), tailLines: -1}
	if v := q.Get("tailLines"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return opts, badRequest("tailLines: invalid value %q", v)
		}
		opts.tailLines = max(n, 0)
	}
	if v := q.Get("limitBytes"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return opts, badRequest("limitBytes: invalid value %q", v)
		}
		opts.limitBytes = n
	}
	return opts, nil
}

// serveLogs answers pods/{name}/log: what a container printed, as the
// workload model ran it; with follow, the stream goes on as virtual time
// passes until the container's run ends.
func (s *Server) serveLogs(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	opts, err := parseLogOptions(req)
	if err != nil {
		writeStatus(w, err)
		return
	}
	wait := s.changes()
	if err := s.enter(); err != nil {
		writeStatus(w, err)
		return
	}
	lines, run, err := s.logLines(req, &opts)
	s.Unlock()
	if err != nil {
		writeStatus(w, err)
		return
	}
	sent := len(lines)
	if opts.tailLines >= 0 && len(lines) > opts.tailLines {
		lines = lines[len(lines)-opts.tailLines:]
	}
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusOK)
	lw := &logWriter{w: w, limit: opts.limitBytes}
	lw.lines(lines)
	if !opts.follow || opts.previous || run.ended {
		return
	}
	s.followLogs(r, req, opts, lw, sent, run, wait)
}

// followLogs sends a followed container's new lines as they come.
func (s *Server) followLogs(r *http.Request, req *apiRequest, opts logOptions, lw *logWriter, sent int, run containerRun, wait <-chan struct{}) {
	for !lw.full {
		if f, ok := lw.w.(http.Flusher); ok {
			f.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-wait:
		}
		wait = s.changes()
		if s.enter() != nil {
			return
		}
		lines, now, err := s.logLines(req, &opts)
		s.Unlock()
		if err != nil {
			return
		}
		if now.restarts != run.restarts {
			return // the run followed ended; a new one began
		}
		if sent < len(lines) {
			lw.lines(lines[sent:])
			sent = len(lines)
		}
		if now.ended {
			return
		}
	}
}

// containerRun is where a container's current run stands.
type containerRun struct {
	restarts int32
	ended    bool
}

// logLines reads a container's log and where its run stands. The caller
// holds the lock.
func (s *Server) logLines(req *apiRequest, opts *logOptions) ([]string, containerRun, error) {
	obj, err := s.c.Store().Get(keyIn(req.res, req.namespace, req.name))
	if err != nil {
		return nil, containerRun{}, err
	}
	pod, ok := obj.(*objects.Pod)
	if !ok {
		return nil, containerRun{}, notFoundPath()
	}
	if opts.container == "" {
		if len(pod.Spec.Containers) != 1 {
			return nil, containerRun{}, badRequest("a container name must be specified for pod %s, choose one of: [%s]", pod.Name, containerNames(pod))
		}
		opts.container = pod.Spec.Containers[0].Name
	}
	if !hasContainer(pod, opts.container) {
		return nil, containerRun{}, badRequest("container %s is not valid for pod %s", opts.container, pod.Name)
	}
	run := runOf(pod, opts.container)
	lines, err := s.c.Logs(req.namespace, req.name, opts.container, opts.previous)
	if err != nil {
		return nil, run, badRequest("%v", err)
	}
	return lines, run, nil
}

// containerNames lists a pod's containers as the apiserver's error does.
func containerNames(pod *objects.Pod) string {
	names := make([]string, len(pod.Spec.Containers))
	for i, c := range pod.Spec.Containers {
		names[i] = c.Name
	}
	return strings.Join(names, " ")
}

func hasContainer(pod *objects.Pod, name string) bool {
	for _, c := range pod.Spec.Containers {
		if c.Name == name {
			return true
		}
	}
	return false
}

// runOf reads a container's restart count and whether its run ended.
func runOf(pod *objects.Pod, name string) containerRun {
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.Name == name {
			return containerRun{restarts: cs.RestartCount, ended: cs.State.Terminated != nil}
		}
	}
	return containerRun{}
}

// logWriter writes log lines up to a byte limit.
type logWriter struct {
	w       http.ResponseWriter
	limit   int
	written int
	full    bool
}

func (lw *logWriter) lines(lines []string) {
	for _, l := range lines {
		text := l + "\n"
		if lw.limit > 0 && lw.written+len(text) > lw.limit {
			text = text[:lw.limit-lw.written]
			lw.full = true
		}
		n, err := fmt.Fprint(lw.w, text)
		lw.written += n
		if err != nil || lw.full {
			lw.full = true
			return
		}
	}
}
