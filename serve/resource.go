package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// serveResource answers get, list, create, update, patch, delete and
// deletecollection.
func (s *Server) serveResource(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	var err error
	switch req.verb {
	case "get":
		err = s.get(w, r, req)
	case "list":
		err = s.list(w, r, req)
	case "create":
		err = s.create(w, r, req)
	case "update":
		err = s.update(w, r, req)
	case "patch":
		err = s.patch(w, r, req)
	case "delete":
		err = s.delete(w, r, req)
	case "deletecollection":
		err = s.deleteCollection(w, r, req)
	default:
		err = methodNotAllowed(r.Method)
	}
	if err != nil {
		writeStatus(w, toStatus(err, req.res, req.name))
	}
}

// reply is an answer prepared under the lock and written after it.
type reply struct {
	code     int
	body     any
	media    string
	warnings []string
}

// send writes a reply.
func (rep *reply) send(w http.ResponseWriter) {
	for _, text := range rep.warnings {
		w.Header().Add("Warning", "299 - "+strconv.Quote(text))
	}
	b, err := jsonMarshal(rep.body)
	if err != nil {
		writeStatus(w, internalError(err))
		return
	}
	media := rep.media
	if media == "" {
		media = "application/json"
	}
	writeRaw(w, rep.code, media, b)
}

// get answers a GET of one object (or its status or scale).
func (s *Server) get(w http.ResponseWriter, r *http.Request, req *apiRequest) error {
	if req.sub != "" && req.sub != "status" && req.sub != "scale" {
		return methodNotAllowed(r.Method)
	}
	if err := s.enter(); err != nil {
		return err
	}
	rep, err := s.getLocked(r, req)
	s.Unlock()
	if err != nil {
		return err
	}
	rep.send(w)
	return nil
}

func (s *Server) getLocked(r *http.Request, req *apiRequest) (*reply, error) {
	obj, err := s.readerFor(r).Get(keyIn(req.res, req.namespace, req.name))
	if err != nil {
		return nil, err
	}
	if req.sub == "scale" {
		scale, err := scaleOf(obj)
		return &reply{code: http.StatusOK, body: scale}, err
	}
	if wantsTable(r) {
		return s.tableReply(r, req, []objects.Object{obj}, "", 0)
	}
	tree, err := s.served(obj, req.res)
	return &reply{code: http.StatusOK, body: tree}, err
}

// listOptions are a list's selectors and chunking.
type listOptions struct {
	labels objects.Selector
	fields fieldSelector
	limit  int
	cont   *continueToken
}

// parseListOptions reads labelSelector, fieldSelector, limit and continue.
func parseListOptions(req *apiRequest) (listOptions, error) {
	var opts listOptions
	if s := req.query.Get("labelSelector"); s != "" {
		sel, err := objects.ParseSelector(s)
		if err != nil {
			return opts, badRequest("unable to parse requirement: %v", err)
		}
		opts.labels = sel
	}
	mapField := func(f string) string { return f }
	if req.res.eventsV1 {
		mapField = coreEventField
	}
	fields, err := parseFieldSelector(req.query.Get("fieldSelector"), req.res.info.Kind, mapField)
	if err != nil {
		return opts, err
	}
	opts.fields = fields
	if l := req.query.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			return opts, badRequest("limit: invalid value %q", l)
		}
		opts.limit = n
	}
	if c := req.query.Get("continue"); c != "" {
		t, err := parseContinue(c)
		if err != nil {
			return opts, err
		}
		opts.cont = &t
	}
	return opts, nil
}

// matches reports whether obj passes the selectors.
func (o listOptions) matches(obj objects.Object) bool {
	if o.labels != nil && !o.labels.Empty() && !o.labels.Matches(obj.GetObjectMeta().Labels) {
		return false
	}
	return o.fields.matchesObject(obj)
}

// list answers a LIST: one chunk of the matching objects, in key order.
func (s *Server) list(w http.ResponseWriter, r *http.Request, req *apiRequest) error {
	opts, err := parseListOptions(req)
	if err != nil {
		return err
	}
	if err := s.enter(); err != nil {
		return err
	}
	rep, err := s.listLocked(r, req, opts)
	s.Unlock()
	if err != nil {
		return err
	}
	rep.send(w)
	return nil
}

func (s *Server) listLocked(r *http.Request, req *apiRequest, opts listOptions) (*reply, error) {
	src := s.readerFor(r)
	if opts.cont != nil {
		snap, ok := s.pages.byRV[opts.cont.RV]
		if !ok {
			return nil, expired(expiredContinue)
		}
		src = snap
	} else if opts.limit > 0 {
		if snapper, ok := src.(interface{ Snapshot() storage.Reader }); ok {
			src = snapper.Snapshot()
		}
	}
	items, next := collect(src, req, opts)
	token := ""
	if next != nil {
		s.pages.keep(src)
		token = next.encode()
	}
	rv := src.ResourceVersion()
	if wantsTable(r) {
		return s.tableReply(r, req, items, token, rv)
	}
	list := make([]any, 0, len(items))
	for _, obj := range items {
		tree, err := s.served(obj, req.res)
		if err != nil {
			return nil, err
		}
		list = append(list, tree)
	}
	meta := map[string]any{"resourceVersion": strconv.FormatInt(rv, 10)}
	if token != "" {
		meta["continue"] = token
	}
	return &reply{code: http.StatusOK, body: map[string]any{"kind": req.res.info.Kind + "List",
		"apiVersion": req.res.apiVersion(), "metadata": meta, "items": list}}, nil
}

// collect gathers one chunk of the matching objects of src, and where the
// next chunk starts (nil when this is the last).
func collect(src storage.Reader, req *apiRequest, opts listOptions) ([]objects.Object, *continueToken) {
	ns := req.namespace
	var items []objects.Object
	var next *continueToken
	src.Scan(req.res.info.Kind, ns, func(obj objects.Object) bool {
		key := objects.KeyOf(obj)
		if opts.cont != nil && !opts.cont.after(key) {
			return true
		}
		if !opts.matches(obj) {
			return true
		}
		if opts.limit > 0 && len(items) == opts.limit {
			last := objects.KeyOf(items[len(items)-1])
			next = &continueToken{RV: src.ResourceVersion(), Namespace: last.Namespace, Name: last.Name}
			return false
		}
		items = append(items, obj)
		return true
	})
	return items, next
}

// readBody reads a request body up to the apiserver's limit, as JSON: a
// protobuf body (client-go's typed clients send them) is decoded first.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, badRequest("reading the request body: %v", err)
	}
	if len(b) > maxBodyBytes {
		return nil, failure(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("Request entity too large: limit is %d", maxBodyBytes))
	}
	if isProtobuf(r.Header.Get("Content-Type")) && len(b) > 0 {
		return protobufToJSON(b)
	}
	return b, nil
}

// bodyObject decodes a create or update body for req: its kind must be the
// resource's (an object without apiVersion and kind gets them), and its
// namespace the path's.
func bodyObject(body []byte, req *apiRequest) (objects.Object, map[string]any, []string, error) {
	tree, err := decodeTree(yamlOrJSON(body))
	if err != nil {
		return nil, nil, nil, badRequest("the body of the request could not be decoded: %v", err)
	}
	kind, _ := tree["kind"].(string)
	apiVersion, _ := tree["apiVersion"].(string)
	if kind == "" {
		tree["kind"] = req.res.info.Kind
	} else if kind != req.res.info.Kind {
		return nil, nil, nil, badRequest("the kind of the object (%s) does not match the resource %s", kind, req.groupResource())
	}
	if apiVersion == "" {
		tree["apiVersion"] = req.res.apiVersion()
	} else if g, _, _ := strings.Cut(apiVersion, "/"); strings.Contains(apiVersion, "/") && g != req.res.info.Group ||
		!strings.Contains(apiVersion, "/") && req.res.info.Group != "" {
		return nil, nil, nil, badRequest("the API version in the data (%s) does not match the expected API version (%s)", apiVersion, req.res.apiVersion())
	}
	meta, _ := tree["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		tree["metadata"] = meta
	}
	if req.res.info.Namespaced && req.namespace != "" {
		ns, _ := meta["namespace"].(string)
		switch {
		case ns == "":
			meta["namespace"] = req.namespace
		case ns != req.namespace:
			return nil, nil, nil, badRequest("the namespace of the provided object does not match the namespace sent on the request")
		}
	}
	if req.res.eventsV1 {
		fromEventsV1(tree)
	}
	return treeObject(tree)
}

// warningsFor lists the warnings of a write: fields kept without being
// modelled, and the apiserver's own (objects.Warnings).
func warningsFor(obj objects.Object, unknown []string) []string {
	var out []string
	for _, p := range unknown {
		out = append(out, notModelledWarning(p))
	}
	if obj != nil {
		out = append(out, objects.Warnings(obj)...)
	}
	return out
}

// create answers a POST: a new object, or an eviction.
func (s *Server) create(w http.ResponseWriter, r *http.Request, req *apiRequest) error {
	switch req.sub {
	case "":
	case "eviction":
		return s.evict(w, r, req)
	case "binding":
		body, err := readBody(r)
		if err != nil {
			return err
		}
		tree, err := decodeTree(yamlOrJSON(body))
		if err != nil {
			return badRequest("the body of the request could not be decoded: %v", err)
		}
		s.bind(w, r, req, req.name, tree)
		return nil
	default:
		return methodNotAllowed(r.Method)
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	obj, overlay, unknown, err := bodyObject(body, req)
	if err != nil {
		return err
	}
	dryRun := req.query.Get("dryRun") == "All"
	if err := s.enter(); err != nil {
		return err
	}
	var created objects.Object
	if dryRun {
		created, err = s.dryRunCreate(req, obj)
	} else if created, err = s.clientFor(r).Create(obj); err == nil {
		s.kept.set(created, overlay)
	}
	var tree map[string]any
	if err == nil {
		tree, err = s.served(created, req.res)
		if dryRun {
			mergeOverlay(tree, overlay)
		}
	}
	s.Unlock()
	if err != nil {
		return err
	}
	(&reply{code: http.StatusCreated, body: tree, warnings: warningsFor(created, unknown)}).send(w)
	return nil
}

// clientFor is the cluster client a request writes through. The caller
// holds the lock.
func (s *Server) clientFor(r *http.Request) *sim.Client {
	s.faults.wrote(s, r)
	return s.c.As(s.actor(r))
}

// update answers a PUT of an object, its status or its scale.
func (s *Server) update(w http.ResponseWriter, r *http.Request, req *apiRequest) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if req.sub == "scale" {
		tree, err := decodeTree(yamlOrJSON(body))
		if err != nil {
			return badRequest("the body of the request could not be decoded: %v", err)
		}
		return s.writeScale(w, r, req, tree)
	}
	if req.sub != "" && req.sub != "status" {
		return methodNotAllowed(r.Method)
	}
	obj, overlay, unknown, err := bodyObject(body, req)
	if err != nil {
		return err
	}
	if name := obj.GetObjectMeta().Name; name != req.name {
		return badRequest("the name of the object (%s) does not match the name on the URL (%s)", name, req.name)
	}
	if err := s.enter(); err != nil {
		return err
	}
	tree, err := s.writeLocked(r, req, obj, overlay)
	s.Unlock()
	if err != nil {
		return err
	}
	(&reply{code: http.StatusOK, body: tree, warnings: warningsFor(obj, unknown)}).send(w)
	return nil
}

// writeLocked replaces an object (or its status) and returns it as served.
// The caller holds the lock.
func (s *Server) writeLocked(r *http.Request, req *apiRequest, obj objects.Object, overlay map[string]any) (map[string]any, error) {
	current, err := s.c.Store().Get(keyIn(req.res, req.namespace, req.name))
	if err != nil {
		return nil, err
	}
	if req.query.Get("dryRun") == "All" {
		if obj, err = dryRunUpdate(req, obj, current); err != nil {
			return nil, err
		}
		tree, err := s.served(obj, req.res)
		if err == nil {
			mergeOverlay(tree, overlay)
		}
		return tree, err
	}
	cl := s.clientFor(r)
	write := cl.Update
	if req.sub == "status" {
		write = cl.UpdateStatus
	}
	out, err := write(obj)
	if err != nil {
		return nil, err
	}
	if req.sub == "" {
		s.kept.set(out, overlay)
	}
	return s.served(out, req.res)
}

// deleteOptions reads DeleteOptions from the body or the query.
func deleteOptions(r *http.Request, req *apiRequest) (storage.DeleteOptions, bool, error) {
	var body struct {
		GracePeriodSeconds *int64  `json:"gracePeriodSeconds"`
		PropagationPolicy  *string `json:"propagationPolicy"`
		OrphanDependents   *bool   `json:"orphanDependents"`
		DryRun             []string
		Preconditions      *struct {
			UID             *string `json:"uid"`
			ResourceVersion *string `json:"resourceVersion"`
		} `json:"preconditions"`
	}
	b, err := readBody(r)
	if err != nil {
		return storage.DeleteOptions{}, false, err
	}
	if len(strings.TrimSpace(string(b))) > 0 {
		if err := json.Unmarshal(yamlOrJSON(b), &body); err != nil {
			return storage.DeleteOptions{}, false, badRequest("the body of the request could not be decoded: %v", err)
		}
	}
	var opts storage.DeleteOptions
	q := req.query
	if v := q.Get("gracePeriodSeconds"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return opts, false, badRequest("gracePeriodSeconds: invalid value %q", v)
		}
		body.GracePeriodSeconds = &n
	}
	if v := q.Get("propagationPolicy"); v != "" {
		body.PropagationPolicy = &v
	}
	if v := q.Get("orphanDependents"); v != "" {
		o := isTrue(v)
		body.OrphanDependents = &o
	}
	opts.GracePeriodSeconds = body.GracePeriodSeconds
	switch {
	case body.PropagationPolicy != nil:
		opts.PropagationPolicy = *body.PropagationPolicy
	case body.OrphanDependents != nil && *body.OrphanDependents:
		opts.PropagationPolicy = storage.DeletePropagationOrphan
	case body.OrphanDependents != nil:
		opts.PropagationPolicy = storage.DeletePropagationBackground
	}
	if p := body.Preconditions; p != nil {
		opts.Preconditions = &storage.Preconditions{}
		if p.UID != nil {
			opts.Preconditions.UID = *p.UID
		}
		if p.ResourceVersion != nil {
			opts.Preconditions.ResourceVersion = *p.ResourceVersion
		}
	}
	dryRun := q.Get("dryRun") == "All"
	for _, d := range body.DryRun {
		dryRun = dryRun || d == "All"
	}
	return opts, dryRun, nil
}

// delete answers a DELETE of one object: the object while it is still
// there (a grace period, finalizers), else a Success Status naming it.
func (s *Server) delete(w http.ResponseWriter, r *http.Request, req *apiRequest) error {
	if req.sub != "" {
		return methodNotAllowed(r.Method)
	}
	opts, dryRun, err := deleteOptions(r, req)
	if err != nil {
		return err
	}
	if err := s.enter(); err != nil {
		return err
	}
	rep, err := s.deleteLocked(r, req, keyIn(req.res, req.namespace, req.name), opts, dryRun)
	s.Unlock()
	if err != nil {
		return err
	}
	rep.send(w)
	return nil
}

func (s *Server) deleteLocked(r *http.Request, req *apiRequest, key objects.Key, opts storage.DeleteOptions, dryRun bool) (*reply, error) {
	if dryRun {
		obj, err := s.c.Store().Get(key)
		if err != nil {
			return nil, err
		}
		tree, err := s.served(obj, req.res)
		return &reply{code: http.StatusOK, body: tree}, err
	}
	out, err := s.clientFor(r).Delete(key, opts)
	if err != nil {
		return nil, err
	}
	if _, err := s.c.Store().Get(key); err == nil {
		tree, err := s.served(out, req.res)
		return &reply{code: http.StatusOK, body: tree}, err
	}
	st := &Status{Kind: "Status", APIVersion: "v1", Metadata: map[string]any{}, Status: "Success", Code: http.StatusOK,
		Details: &StatusDetails{Name: key.Name, Group: req.res.info.Group, Kind: req.res.info.Resource, UID: out.GetObjectMeta().UID}}
	return &reply{code: http.StatusOK, body: st}, nil
}

// deleteCollection answers a DELETE of a collection: every object the
// selectors match, as a list of what was deleted.
func (s *Server) deleteCollection(w http.ResponseWriter, r *http.Request, req *apiRequest) error {
	lopts, err := parseListOptions(req)
	if err != nil {
		return err
	}
	lopts.limit, lopts.cont = 0, nil
	opts, dryRun, err := deleteOptions(r, req)
	if err != nil {
		return err
	}
	if err := s.enter(); err != nil {
		return err
	}
	items, _ := collect(s.c.Store(), req, lopts)
	list := []any{}
	for _, obj := range items {
		if !dryRun {
			out, derr := s.clientFor(r).Delete(objects.KeyOf(obj), opts)
			if derr != nil {
				if errors.Is(derr, storage.ErrNotFound) {
					continue
				}
				err = derr
				break
			}
			obj = out
		}
		tree, terr := s.served(obj, req.res)
		if terr != nil {
			err = terr
			break
		}
		list = append(list, tree)
	}
	rv := s.c.Store().ResourceVersion()
	s.Unlock()
	if err != nil {
		return err
	}
	(&reply{code: http.StatusOK, body: map[string]any{"kind": req.res.info.Kind + "List", "apiVersion": req.res.apiVersion(),
		"metadata": map[string]any{"resourceVersion": strconv.FormatInt(rv, 10)}, "items": list}}).send(w)
	return nil
}

// evict answers a POST to pods/{name}/eviction: the pod is deleted with
// the eviction's DeleteOptions. kubesim models no PodDisruptionBudget
// checks (they are stored unstructured), so evictions always go through.
func (s *Server) evict(w http.ResponseWriter, r *http.Request, req *apiRequest) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var ev struct {
		DeleteOptions *struct {
			GracePeriodSeconds *int64 `json:"gracePeriodSeconds"`
		} `json:"deleteOptions"`
	}
	if err := json.Unmarshal(yamlOrJSON(body), &ev); err != nil {
		return badRequest("the body of the request could not be decoded: %v", err)
	}
	var opts storage.DeleteOptions
	if ev.DeleteOptions != nil {
		opts.GracePeriodSeconds = ev.DeleteOptions.GracePeriodSeconds
	}
	if err := s.enter(); err != nil {
		return err
	}
	_, err = s.clientFor(r).Delete(keyIn(req.res, req.namespace, req.name), opts)
	s.Unlock()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, &Status{Kind: "Status", APIVersion: "v1", Metadata: map[string]any{}, Status: "Success", Code: http.StatusCreated})
	return nil
}
