package serve

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Watch timings, in the outside clock's time (a bubble's inside synctest).
const (
	// bookmarkEvery is how often an idle watch that allows bookmarks gets
	// one, so its client can resume from a recent resourceVersion (the
	// apiserver sends them about once a minute).
	bookmarkEvery = time.Minute
	// defaultWatchTimeout ends a watch whose client named no timeout, as
	// the apiserver's --min-request-timeout (1800s) does.
	defaultWatchTimeout = 30 * time.Minute
)

// initialEventsEnd is the annotation of the bookmark that ends a watch's
// initial events (sendInitialEvents), k8s.io/initial-events-end.
const initialEventsEnd = "k8s.io/initial-events-end"

// watchRequest is a watch's parameters.
type watchRequest struct {
	opts      listOptions
	rv        int64
	initial   bool // send the current objects first as ADDED
	endMarker bool // then the initial-events-end bookmark
	bookmarks bool
	timeout   time.Duration
	table     string // includeObject when a Table is asked for, else ""
}

// parseWatch reads a watch's query.
func parseWatch(r *http.Request, req *apiRequest) (*watchRequest, error) {
	opts, err := parseListOptions(req)
	if err != nil {
		return nil, err
	}
	q := req.query
	wr := &watchRequest{opts: opts, bookmarks: isTrue(q.Get("allowWatchBookmarks")), timeout: defaultWatchTimeout}
	rvText := q.Get("resourceVersion")
	if rvText != "" {
		wr.rv, err = strconv.ParseInt(rvText, 10, 64)
		if err != nil || wr.rv < 0 {
			return nil, invalidRV(rvText)
		}
	}
	switch send := q.Get("sendInitialEvents"); {
	case send != "":
		if q.Get("resourceVersionMatch") != "NotOlderThan" {
			return nil, failure(http.StatusUnprocessableEntity, reasonInvalid,
				"ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")
		}
		wr.initial = isTrue(send)
		wr.endMarker = wr.initial && wr.bookmarks
	case rvText == "" || rvText == "0":
		// Legacy semantics: the current state first, as ADDED events.
		wr.initial = true
	}
	if t := q.Get("timeoutSeconds"); t != "" {
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil || n < 0 {
			return nil, badRequest("timeoutSeconds: invalid value %q", t)
		}
		if n > 0 {
			wr.timeout = time.Duration(n) * time.Second
		}
	}
	if wantsTable(r) {
		wr.table = includeObject(r)
	}
	return wr, nil
}

// invalidRV is the apiserver's answer to a resourceVersion that is not a
// number.
func invalidRV(rv string) *Status {
	return failure(http.StatusBadRequest, reasonBadRequest, fmt.Sprintf("invalid resource version: %s", rv))
}

// serveWatch streams watch events: the initial objects when asked, then
// every change after the resourceVersion, bookmarks while idle, until the
// client goes, the timeout passes, or the server's history no longer
// reaches back (then an ERROR event with 410 Expired, as the apiserver's
// watch cache sends it).
func (s *Server) serveWatch(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	wr, err := parseWatch(r, req)
	if err != nil {
		writeStatus(w, err)
		return
	}
	flusher, _ := w.(http.Flusher)
	media := "application/json"
	if wr.table != "" {
		media = tableMedia
	}
	wait := s.changes()
	if err := s.enter(); err != nil {
		writeStatus(w, err)
		return
	}
	var initial []objects.Object
	cur, listedAt := wr.rv, s.c.Now()
	if wr.initial {
		initial, _ = collect(s.readerFor(r), req, listOptions{labels: wr.opts.labels, fields: wr.opts.fields})
		cur = s.c.Store().ResourceVersion()
	}
	_, ok := s.history.since(cur)
	oldest := s.history.oldest()
	s.Unlock()
	w.Header().Set("Content-Type", media)
	w.Header().Set("Cache-Control", "no-cache, private")
	w.WriteHeader(http.StatusOK)
	ew := &eventWriter{s: s, w: w, flusher: flusher, req: req, wr: wr}
	if !ok {
		ew.expired(cur, oldest)
		return
	}
	for _, obj := range initial {
		if !ew.event(storage.Added, obj, listedAt) {
			return
		}
	}
	if wr.endMarker {
		ew.bookmark(cur, true)
	}
	ew.flush()
	s.follow(r, ew, cur, wait)
}

// follow sends the changes after rv as they are published.
func (s *Server) follow(r *http.Request, ew *eventWriter, rv int64, wait <-chan struct{}) {
	timeout := time.NewTimer(ew.wr.timeout)
	defer timeout.Stop()
	var tick <-chan time.Time
	if ew.wr.bookmarks {
		t := time.NewTicker(bookmarkEvery)
		defer t.Stop()
		tick = t.C
	}
	for {
		if !s.peek() {
			return
		}
		changes, ok := s.history.since(rv)
		oldest := s.history.oldest()
		lost := s.faults.dropWatch(s, r, ew.req, changes)
		s.give()
		if s.isDead(r) {
			return
		}
		if !ok || lost {
			ew.expired(rv, oldest)
			return
		}
		for _, ch := range changes {
			rv = ch.rv
			if !ew.change(ch) {
				return
			}
		}
		ew.flush()
		select {
		case <-r.Context().Done():
			return
		case <-timeout.C:
			return
		case <-tick:
			ew.bookmark(rv, false)
			ew.flush()
			continue
		case <-wait:
		}
		wait = s.changes()
	}
}

// eventWriter writes one watch's events.
type eventWriter struct {
	s       *Server
	w       http.ResponseWriter
	flusher http.Flusher
	req     *apiRequest
	wr      *watchRequest
	failed  bool
}

func (ew *eventWriter) flush() {
	if ew.flusher != nil {
		ew.flusher.Flush()
	}
}

// inScope reports whether obj belongs to the watched collection.
func (ew *eventWriter) inScope(obj objects.Object) bool {
	if obj.GetTypeMeta().Kind != ew.req.res.info.Kind {
		return false
	}
	return ew.req.namespace == "" || obj.GetObjectMeta().Namespace == ew.req.namespace
}

// change sends one store change, as the watched selectors see it: an
// object that starts matching is ADDED, one that stops is DELETED.
func (ew *eventWriter) change(ch change) bool {
	if !ew.inScope(ch.obj) {
		return true
	}
	now := ew.wr.opts.matches(ch.obj)
	before := ch.old != nil && ew.wr.opts.matches(ch.old)
	switch {
	case ch.typ == storage.Modified && now && !before:
		return ew.event(storage.Added, ch.obj, ch.at)
	case ch.typ == storage.Modified && !now && before:
		return ew.event(storage.Deleted, ch.obj, ch.at)
	case now:
		return ew.event(ch.typ, ch.obj, ch.at)
	}
	return true
}

// event sends one event, a Table row's ages as of at (zero: now); false
// when the client is gone.
func (ew *eventWriter) event(typ storage.EventType, obj objects.Object, at time.Time) bool {
	if ew.failed {
		return false
	}
	var body any
	var err error
	if !ew.s.peek() {
		ew.failed = true
		return false
	}
	if ew.wr.table != "" {
		if at.IsZero() {
			at = ew.s.c.Now()
		}
		body, err = ew.s.table(ew.req, []objects.Object{obj}, ew.wr.table, at)
	} else {
		body, err = ew.s.served(obj, ew.req.res)
	}
	ew.s.give()
	if err != nil {
		body, typ = toStatus(err, ew.req.res, ""), "ERROR"
	}
	return ew.write(string(typ), body)
}

// bookmark sends a BOOKMARK at rv; end marks the end of the initial events.
func (ew *eventWriter) bookmark(rv int64, end bool) {
	meta := map[string]any{"resourceVersion": strconv.FormatInt(rv, 10)}
	if end {
		meta["annotations"] = map[string]string{initialEventsEnd: "true"}
	}
	ew.write("BOOKMARK", map[string]any{"kind": ew.req.res.info.Kind, "apiVersion": ew.req.res.apiVersion(), "metadata": meta})
}

// expired ends the watch with the 410 of a resourceVersion the history no
// longer reaches.
func (ew *eventWriter) expired(rv, oldest int64) {
	ew.write("ERROR", expired(fmt.Sprintf("too old resource version: %d (%d)", rv, oldest)))
	ew.flush()
}

// write sends one {"type":..., "object":...} line.
func (ew *eventWriter) write(typ string, obj any) bool {
	b, err := jsonMarshal(map[string]any{"type": typ, "object": obj})
	if err == nil {
		_, err = ew.w.Write(append(b, '\n'))
	}
	if err != nil {
		ew.failed = true
	}
	return !ew.failed
}
