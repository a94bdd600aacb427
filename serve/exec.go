package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
)

// serveExec answers pods/{name}/exec and pods/{name}/attach over a
// WebSocket. exec runs the command in the workload model, live: its output
// is sent as virtual time passes and it ends with the command. attach
// streams what the container prints from now until its run ends. Standard
// input is read to its end (the v5 protocol's close of channel 0) before
// the command starts, which serves `kubectl exec -i` with piped input; with
// a terminal (-it) the command is an interactive session (see execTTY).
func (s *Server) serveExec(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	q := req.query
	container := q.Get("container")
	if err := s.enter(); err != nil {
		writeStatus(w, err)
		return
	}
	pod, err := s.execTarget(req, &container)
	s.Unlock()
	if err != nil {
		// Refused before any upgrade, as the apiserver and kubelet refuse
		// it: kubectl then retries over SPDY and prints this error.
		writeStatus(w, err)
		return
	}
	if !isWebSocket(r) {
		writeStatus(w, badRequest("kubesim streams %s over WebSocket (%s) only; "+
			"kubectl 1.30 and later use it by default (SPDY is not spoken)", req.sub, protocolV5))
		return
	}
	ws, err := upgradeWebSocket(w, r)
	if err != nil {
		writeStatus(w, err)
		return
	}
	defer ws.close()
	in := newStdinReader(ws, isTrue(q.Get("stdin")))
	go in.run()
	if req.sub == "attach" {
		s.attach(r, req, ws, in, pod, container)
		return
	}
	if isTrue(q.Get("tty")) && isTrue(q.Get("stdin")) && ws.protocol == protocolV5 {
		s.execTTY(r, req, ws, in, container, q["command"])
		return
	}
	s.exec(r, req, ws, in, container, q["command"])
}

// execTarget checks that the pod exists and the container runs, as the
// apiserver and kubelet do before upgrading. The caller holds the lock.
func (s *Server) execTarget(req *apiRequest, container *string) (*objects.Pod, error) {
	obj, err := s.c.Store().Get(keyIn(req.res, req.namespace, req.name))
	if err != nil {
		return nil, err
	}
	pod := obj.(*objects.Pod)
	if *container == "" {
		if len(pod.Spec.Containers) != 1 {
			return nil, badRequest("a container name must be specified for pod %s, choose one of: [%s]", pod.Name, containerNames(pod))
		}
		*container = pod.Spec.Containers[0].Name
	}
	if !hasContainer(pod, *container) {
		return nil, badRequest("container %s is not valid for pod %s", *container, pod.Name)
	}
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.Name == *container && cs.State.Running != nil {
			return pod, nil
		}
	}
	return nil, badRequest("unable to upgrade connection: container not found (%q)", *container)
}

// exec runs argv in the container and streams its output.
func (s *Server) exec(r *http.Request, req *apiRequest, ws *wsConn, in *stdinReader, container string, argv []string) {
	if len(argv) == 0 {
		_ = ws.send(chanError, statusJSON(badRequest("you must specify at least one command for the container")))
		return
	}
	stdin, ok := in.all(r)
	if !ok {
		return
	}
	if err := s.enter(); err != nil {
		_ = ws.send(chanError, statusJSON(toStatus(err, req.res, req.name)))
		return
	}
	proc, err := s.c.StartExec(req.namespace, req.name, container, argv, stdin)
	s.Unlock()
	if err != nil {
		st := internalError(err)
		st.Message = err.Error()
		_ = ws.send(chanError, statusJSON(st))
		return
	}
	sent := 0
	for {
		wait := s.changes()
		if s.enter() != nil {
			return
		}
		out := proc.Output()
		code, done := proc.Done()
		s.Unlock()
		if sent < len(out) {
			if ws.send(chanStdout, []byte(strings.Join(out[sent:], "\n")+"\n")) != nil {
				s.Do(func(*sim.Cluster) { proc.Kill() })
				return
			}
			sent = len(out)
		}
		if done {
			_ = ws.send(chanError, exitStatus(argv, code))
			return
		}
		select {
		case <-wait:
		case <-in.gone:
			s.Do(func(*sim.Cluster) { proc.Kill() })
			return
		case <-r.Context().Done():
			s.Do(func(*sim.Cluster) { proc.Kill() })
			return
		}
	}
}

// attach streams what the container prints from now on, until its run
// ends or the client goes.
func (s *Server) attach(r *http.Request, req *apiRequest, ws *wsConn, in *stdinReader, pod *objects.Pod, container string) {
	opts := logOptions{container: container, tailLines: -1}
	if err := s.enter(); err != nil {
		return
	}
	lines, run, err := s.logLines(req, &opts)
	s.Unlock()
	if err != nil {
		_ = ws.send(chanError, statusJSON(toStatus(err, req.res, req.name)))
		return
	}
	sent := len(lines)
	for {
		wait := s.changes()
		select {
		case <-wait:
		case <-in.gone:
			return
		case <-r.Context().Done():
			return
		}
		if s.enter() != nil {
			return
		}
		lines, now, err := s.logLines(req, &opts)
		s.Unlock()
		if err != nil || now.restarts != run.restarts {
			break
		}
		if sent < len(lines) {
			if ws.send(chanStdout, []byte(strings.Join(lines[sent:], "\n")+"\n")) != nil {
				return
			}
			sent = len(lines)
		}
		if now.ended {
			break
		}
	}
	_ = ws.send(chanError, statusJSON(&Status{Metadata: map[string]any{}, Status: "Success"}))
}

// exitStatus is the final status of a command: Success, or the kubelet's
// NonZeroExitCode failure that kubectl prints as "command terminated with
// exit code N".
func exitStatus(argv []string, code int) []byte {
	if code == 0 {
		return statusJSON(&Status{Metadata: map[string]any{}, Status: "Success"})
	}
	return statusJSON(&Status{Metadata: map[string]any{}, Status: "Failure",
		Message: fmt.Sprintf("command terminated with non-zero exit code: error executing command [%s], exit code %d", strings.Join(argv, " "), code),
		Reason:  "NonZeroExitCode",
		Details: &StatusDetails{Causes: []StatusCause{{Reason: "ExitCode", Message: strconv.Itoa(code)}}}})
}

// statusJSON encodes a Status for the error channel, without the kind and
// apiVersion the kubelet leaves out there.
func statusJSON(st *Status) []byte {
	st.Kind, st.APIVersion, st.Code = "", "", 0
	b, _ := json.Marshal(struct {
		Metadata map[string]any `json:"metadata"`
		Status   string         `json:"status"`
		Message  string         `json:"message,omitempty"`
		Reason   string         `json:"reason,omitempty"`
		Details  *StatusDetails `json:"details,omitempty"`
	}{map[string]any{}, st.Status, st.Message, st.Reason, st.Details})
	return b
}

// stdinReader reads a stream's client messages: standard input until its
// channel closes, then anything else until the client goes.
type stdinReader struct {
	ws   *wsConn
	want bool
	eof  chan struct{} // closed when stdin ended (or is not wanted)
	gone chan struct{} // closed when the client closed the connection
	// more is signalled when data came (a terminal reads it as it comes).
	more chan struct{}

	mu    sync.Mutex // guards data and ended
	data  []byte
	ended bool
}

func newStdinReader(ws *wsConn, want bool) *stdinReader {
	in := &stdinReader{ws: ws, want: want, eof: make(chan struct{}), gone: make(chan struct{}),
		more: make(chan struct{}, 1)}
	if !want || ws.protocol != protocolV5 {
		// Without v5's close message, the end of stdin cannot be told:
		// the command runs without it.
		in.ended = true
		close(in.eof)
	}
	return in
}

// run reads messages until the connection ends.
func (in *stdinReader) run() {
	defer close(in.gone)
	for {
		msg, err := in.ws.readMessage()
		if err != nil {
			in.endStdin()
			return
		}
		if len(msg) == 0 {
			continue
		}
		switch msg[0] {
		case chanStdin:
			in.mu.Lock()
			if !in.ended {
				in.data = append(in.data, msg[1:]...)
			}
			in.mu.Unlock()
			in.signal()
		case chanClose:
			if len(msg) > 1 && msg[1] == chanStdin {
				in.endStdin()
			}
		}
	}
}

func (in *stdinReader) endStdin() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.ended {
		in.ended = true
		close(in.eof)
	}
}

// signal tells a waiting terminal that data came.
func (in *stdinReader) signal() {
	select {
	case in.more <- struct{}{}:
	default:
	}
}

// take returns the data read so far, leaving none, and whether standard
// input has ended.
func (in *stdinReader) take() ([]byte, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	data := in.data
	in.data = nil
	return data, in.ended
}

// all waits for standard input's end and returns it; false when the
// client went first.
func (in *stdinReader) all(r *http.Request) (string, bool) {
	select {
	case <-in.eof:
		data, _ := in.take()
		return string(data), true
	case <-r.Context().Done():
		return "", false
	}
}
