package serve

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/kubectl/printers"
	"github.com/kubesim/kubesim/objects"
)

// tableMedia is the media type of a Table answer.
const tableMedia = "application/json;as=Table;v=v1;g=meta.k8s.io"

// wantsTable reports whether the client asks for a Table (kubectl get does,
// unless it prints -o json, yaml, name or a template).
func wantsTable(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "as=Table")
}

// tableReply answers with objs as a meta.k8s.io/v1 Table.
func (s *Server) tableReply(r *http.Request, req *apiRequest, objs []objects.Object, cont string, rv int64) (*reply, error) {
	table, err := s.table(req, objs, includeObject(r), s.c.Now())
	if err != nil {
		return nil, err
	}
	meta := table["metadata"].(map[string]any)
	if rv != 0 {
		meta["resourceVersion"] = strconv.FormatInt(rv, 10)
	}
	if cont != "" {
		meta["continue"] = cont
	}
	return &reply{code: http.StatusOK, body: table, media: tableMedia}, nil
}

// includeObject is the Table's includeObject option: None, Metadata (the
// default: each row carries the object's metadata, which kubectl reads for
// -A, --show-labels and -L) or Object (for --sort-by).
func includeObject(r *http.Request) string {
	switch v := r.URL.Query().Get("includeObject"); v {
	case "None", "Object":
		return v
	}
	return "Metadata"
}

// table builds a Table of objs with kubesim's printers, ages measured to
// now. The caller holds the lock.
func (s *Server) table(req *apiRequest, objs []objects.Object, include string, now time.Time) (map[string]any, error) {
	cols, rows, err := printers.ServerTable(req.res.info.Kind, objs, now)
	if err != nil {
		return nil, err
	}
	defs := make([]any, len(cols))
	for i, c := range cols {
		defs[i] = map[string]any{"name": c.Name, "type": "string", "format": c.Format, "description": "", "priority": c.Priority}
	}
	out := make([]any, len(rows))
	for i, cells := range rows {
		row := map[string]any{"cells": cells}
		switch include {
		case "Metadata":
			meta, err := s.served(objs[i], req.res)
			if err != nil {
				return nil, err
			}
			row["object"] = map[string]any{"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta["metadata"]}
		case "Object":
			tree, err := s.served(objs[i], req.res)
			if err != nil {
				return nil, err
			}
			row["object"] = tree
		}
		out[i] = row
	}
	return map[string]any{"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": map[string]any{},
		"columnDefinitions": defs, "rows": out}, nil
}
