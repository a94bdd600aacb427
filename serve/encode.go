package serve

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/kubesim/kubesim/objects"
)

// jsonMarshal encodes v as compact JSON without HTML escaping, as the
// apiserver writes it.
func jsonMarshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decodeTree decodes a JSON object keeping numbers exact (json.Number).
func decodeTree(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var tree map[string]any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	if tree == nil {
		return nil, fmt.Errorf("expected a JSON object")
	}
	return tree, nil
}

// served is an object as a client reads it through one resource: its JSON
// tree, with the apiVersion of the version asked for and the fields kubesim
// does not model put back.
func (s *Server) served(obj objects.Object, res *resource) (map[string]any, error) {
	b, err := objects.Encode(obj)
	if err != nil {
		return nil, err
	}
	tree, err := decodeTree(b)
	if err != nil {
		return nil, err
	}
	if res != nil && !res.custom {
		tree["apiVersion"] = res.apiVersion()
	}
	s.kept.restore(obj, tree)
	if res != nil && res.eventsV1 {
		toEventsV1(tree)
	}
	return tree, nil
}

// servedJSON is served, encoded.
func (s *Server) servedJSON(obj objects.Object, res *resource) (json.RawMessage, error) {
	tree, err := s.served(obj, res)
	if err != nil {
		return nil, err
	}
	return jsonMarshal(tree)
}

// treeObject decodes a JSON tree into a kubesim object, keeping aside
// (and reporting) the fields the kind's type does not model.
func treeObject(tree map[string]any) (objects.Object, map[string]any, []string, error) {
	b, err := jsonMarshal(tree)
	if err != nil {
		return nil, nil, nil, err
	}
	return decodeObject(b)
}
