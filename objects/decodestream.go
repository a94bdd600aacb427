package objects

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	yamlv3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/yaml"
)

// Limits on one manifest.
const (
	// MaxObjectBytes is kube-apiserver's limit on a request body
	// (genericapiserver's MaxRequestBodyBytes, 3 MiB): an object larger
	// than this is refused with 413 "Request entity too large: limit is
	// 3145728". A document whose text, or whose JSON, is larger gets that
	// error; a YAML document whose aliases would expand past it is refused
	// as a YAML bomb.
	MaxObjectBytes = 3 << 20
	// MaxManifestObjects caps the documents and List items one manifest may
	// hold. kubectl has no such limit; kubesim has one so that a runaway
	// input (a generated stream of millions of documents) is refused at once,
	// before anything is applied, instead of tying the simulation up.
	MaxManifestObjects = 10000
)

// tooLargeMessage is the apiserver's message for a request body over the
// limit (apierrors.NewRequestEntityTooLargeError, from limitedReadBody).
var tooLargeMessage = fmt.Sprintf("Request entity too large: limit is %d", MaxObjectBytes)

// excessiveAliasing is the YAML parser's message for a document whose
// aliases expand too far (go-yaml's "billion laughs" guard), which kubesim
// also gives when the expansion would outgrow MaxObjectBytes.
const excessiveAliasing = "yaml: document contains excessive aliasing"

// Decoded is one object of a manifest, or why one document (or List item)
// of it could not be decoded. Exactly one of Object and Err is set.
type Decoded struct {
	Object Object
	Err    *DecodeError
}

// DecodeEach decodes data document by document, as kubectl reads a
// manifest: each document ("---"-separated YAML, or one value of a JSON
// stream; a List expanded to its items) gives its object or its own error,
// and a bad document does not stop the next. Per-document errors are a
// missing or non-string kind or apiVersion, a document that is not a
// mapping, a version the API does not serve for a known kind, unknown
// fields, values of the wrong type and a document over MaxObjectBytes.
//
// Text that cannot be read as YAML or JSON stops the reading, as it stops
// kubectl's stream: DecodeEach returns the documents before it and the
// error. A manifest of more than MaxManifestObjects documents and items is
// refused whole: nothing is returned with that error. The error is always a
// *DecodeError.
func DecodeEach(data []byte) ([]Decoded, error) {
	docs, streamErr := splitDocuments(data)
	if len(docs) > MaxManifestObjects {
		return nil, tooMany()
	}
	var out []Decoded
	for _, doc := range docs {
		out = append(out, decodeDocument(doc)...)
		if len(out) > MaxManifestObjects {
			return nil, tooMany()
		}
	}
	if streamErr != nil {
		return out, streamErr
	}
	return out, nil
}

// tooMany is the error for a manifest over MaxManifestObjects.
func tooMany() *DecodeError {
	return &DecodeError{Reason: DecodeTooMany, ListIndex: -1,
		Message: fmt.Sprintf("too many objects: kubesim reads at most %d documents and List items from one manifest", MaxManifestObjects)}
}

// document is one YAML document or JSON value of the input, as JSON.
type document struct {
	index int    // 0-based position in the input
	line  int    // 1-based line of the input the document starts on
	json  []byte // the document converted to JSON; nil when tooLarge
	// tree is json as unmarshalJSONTree reads it, when the conversion had
	// it at hand (yamlToTree); nil otherwise.
	tree any
	// tooLarge is set for a document over MaxObjectBytes, which is not
	// converted at all.
	tooLarge bool
}

// location says where an object sits in the input, for error reports.
type location struct {
	doc, listIndex, line int
}

// errorf builds a DecodeError at this location.
func (at location) errorf(reason DecodeErrorReason, format string, args ...any) *DecodeError {
	return &DecodeError{Reason: reason, Doc: at.doc, ListIndex: at.listIndex, Line: at.line,
		Message: fmt.Sprintf(format, args...)}
}

// decodeDocument decodes the object, or the List's items, one document holds.
func decodeDocument(doc document) []Decoded {
	at := location{doc: doc.index, listIndex: -1, line: doc.line}
	if doc.tooLarge || len(doc.json) > MaxObjectBytes {
		return failed(at.errorf(DecodeTooLarge, "%s", tooLargeMessage))
	}
	tree := doc.tree
	if tree == nil {
		if err := unmarshalJSONTree(doc.json, &tree); err != nil {
			e := at.errorf(DecodeSyntax, "%s", err.Error())
			e.Err = err
			return failed(e)
		}
	}
	if tree == nil {
		return nil // a JSON null in a stream
	}
	return decodeValue(tree, doc.json, at)
}

// splitDocuments cuts data into documents as kubectl's YAMLOrJSONDecoder
// does: input starting with "{" is first read as a stream of JSON values;
// when a value fails to parse after at most one good one, the rest is read
// as "---"-separated YAML, and if that fails at once too, the JSON error is
// the one reported. It returns the documents read before any error.
func splitDocuments(data []byte) ([]document, error) {
	trimmed := bytes.TrimLeftFunc(data, unicode.IsSpace)
	if !bytes.HasPrefix(trimmed, []byte("{")) {
		docs, err := yamlDocuments(data, 0, 1)
		if err != nil {
			return docs, err
		}
		return docs, nil
	}
	docs, consumed, jsonErr := jsonDocuments(data)
	if jsonErr != nil && jsonErr.Reason == DecodeTooMany {
		return nil, jsonErr
	}
	if jsonErr == nil {
		return docs, nil
	}
	if len(docs) > 1 {
		// More than one JSON value parsed: unambiguously JSON.
		return docs, jsonErr
	}
	line := 1 + bytes.Count(data[:consumed], []byte("\n"))
	more, err := yamlDocuments(data[consumed:], len(docs), line)
	if err != nil && len(more) == 0 {
		return docs, jsonErr
	}
	if err != nil {
		return append(docs, more...), err
	}
	return append(docs, more...), nil
}

// jsonDocuments reads data as a stream of JSON values. It returns the
// values read, how many bytes they took, and the error that stopped it.
func jsonDocuments(data []byte) ([]document, int, *DecodeError) {
	dec := json.NewDecoder(bytes.NewReader(data))
	lines := lineCounter{data: data, line: 1}
	var docs []document
	for {
		start := dec.InputOffset()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return docs, int(dec.InputOffset()), nil
		}
		if err != nil {
			return docs, int(start), jsonStreamError(err, len(docs), data)
		}
		if len(docs) >= MaxManifestObjects {
			return nil, 0, tooMany() // refused before reading on
		}
		skipped := len(data[start:]) - len(bytes.TrimLeftFunc(data[start:], unicode.IsSpace))
		line := lines.at(int(start) + skipped)
		doc := document{index: len(docs), line: line, json: raw}
		if len(raw) > MaxObjectBytes {
			doc = document{index: len(docs), line: line, tooLarge: true}
		}
		docs = append(docs, doc)
	}
}

// lineCounter turns increasing offsets of data into 1-based line numbers,
// counting each byte once however many offsets are asked for.
type lineCounter struct {
	data []byte
	off  int
	line int
}

// at returns the line of offset off, which must not be before the last one
// asked for.
func (c *lineCounter) at(off int) int {
	c.line += bytes.Count(c.data[c.off:off], []byte("\n"))
	c.off = off
	return c.line
}

// jsonStreamError wraps a JSON parse error as upstream's JSONSyntaxError
// prints it ("json: offset 42: invalid character...").
func jsonStreamError(err error, doc int, data []byte) *DecodeError {
	e := &DecodeError{Reason: DecodeSyntax, Doc: doc, ListIndex: -1, Message: err.Error(), Err: err}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		e.Message = fmt.Sprintf("json: offset %d: %s", syntax.Offset, syntax.Error())
		if off := int(syntax.Offset); off >= 0 && off <= len(data) {
			e.Line = 1 + bytes.Count(data[:off], []byte("\n"))
		}
	}
	return e
}

// yamlDocuments splits data on "---" lines, as upstream's YAMLReader does,
// and converts each non-empty document to JSON, numbering documents from
// first and lines from line. It stops at the first document that is not
// valid YAML, returning those before it with the error. Documents are
// counted before any is converted, so that a manifest of too many is
// refused at the cost of a scan.
func yamlDocuments(data []byte, first, line int) ([]document, *DecodeError) {
	chunks, sepErr := splitYAML(data, line)
	if countContent(chunks) > MaxManifestObjects {
		return nil, tooMany()
	}
	var docs []document
	for _, c := range chunks {
		index := first + len(docs)
		if !hasContent(c.text) {
			continue
		}
		if len(c.text) > MaxObjectBytes {
			docs = append(docs, document{index: index, line: c.line, tooLarge: true})
			continue
		}
		j, tree, convErr := yamlToTree(c.text)
		if convErr != nil {
			return docs, yamlError(convErr, index, c.line, "error converting YAML to JSON: ")
		}
		if string(j) == "null" {
			continue // only comments
		}
		docs = append(docs, document{index: index, line: c.line, json: j, tree: tree})
	}
	if sepErr != nil {
		sepErr.Doc = first + len(docs)
		return docs, sepErr
	}
	return docs, nil
}

// countContent counts the chunks that hold more than white space.
func countContent(chunks []yamlChunk) int {
	n := 0
	for _, c := range chunks {
		if hasContent(c.text) {
			n++
		}
	}
	return n
}

// hasContent reports whether text holds anything but white space.
func hasContent(text []byte) bool {
	return len(bytes.TrimSpace(text)) > 0
}

// yamlToJSON converts one YAML document as kubectl does (sigs.k8s.io/yaml:
// a key given twice keeps its last value), after refusing a document whose
// aliases would expand past MaxObjectBytes. go-yaml already refuses the
// classic "billion laughs", whose expansion is exponential; this also
// catches one alias repeated many times over a large anchored value, which
// go-yaml's ratio test lets through and which would take minutes and
// gigabytes to expand.
func yamlToJSON(text []byte) ([]byte, error) {
	if aliasesExpandTooFar(text) {
		return nil, errors.New(excessiveAliasing)
	}
	return yaml.YAMLToJSON(text)
}

// aliasesExpandTooFar reports whether text, parsed without expanding its
// aliases, would expand to more than MaxObjectBytes of JSON. Text without
// both an anchor and an alias marker is not parsed at all; text that does not
// parse is left for the converter to report.
func aliasesExpandTooFar(text []byte) bool {
	if !bytes.ContainsRune(text, '&') || !bytes.ContainsRune(text, '*') {
		return false
	}
	var root yamlv3.Node
	if err := yamlv3.Unmarshal(text, &root); err != nil {
		return false
	}
	sizer := expansionSizer{done: map[*yamlv3.Node]int{}, open: map[*yamlv3.Node]bool{}}
	return sizer.size(&root) > MaxObjectBytes
}

// expansionSizer estimates the JSON size of YAML nodes with their aliases
// expanded, remembering each node's size so that the walk stays linear in
// the text however often a node is aliased.
type expansionSizer struct {
	done map[*yamlv3.Node]int
	open map[*yamlv3.Node]bool
}

// expansionCap is where sizes stop growing: anything over MaxObjectBytes is
// already too large, and capping keeps the sums from overflowing.
const expansionCap = MaxObjectBytes + 1

// size returns n's estimated JSON size, capped at expansionCap. An alias
// to a node being sized (a cycle) counts as too large.
func (s expansionSizer) size(n *yamlv3.Node) int {
	if n == nil {
		return 0
	}
	if v, ok := s.done[n]; ok {
		return v
	}
	if s.open[n] {
		return expansionCap
	}
	s.open[n] = true
	total := 0
	switch n.Kind {
	case yamlv3.AliasNode:
		total = s.size(n.Alias)
	case yamlv3.ScalarNode:
		total = len(n.Value) + len(`"",`)
	default: // documents, sequences, mappings
		total = len(`{}`)
		for _, c := range n.Content {
			total = min(total+s.size(c)+len(`,`), expansionCap)
		}
	}
	delete(s.open, n)
	s.done[n] = min(total, expansionCap)
	return s.done[n]
}

// yamlChunk is the text of one YAML document and the line it starts on.
type yamlChunk struct {
	text []byte
	line int
}

// splitYAML cuts data at lines that start with "---" followed only by
// spaces or a comment, numbering lines from line. Like upstream, a "---"
// line followed by anything else is an error rather than a silently merged
// document; the chunks before it are returned with the error.
func splitYAML(data []byte, line int) ([]yamlChunk, *DecodeError) {
	var chunks []yamlChunk
	var cur bytes.Buffer
	start := line
	for i, l := range bytes.SplitAfter(data, []byte("\n")) {
		if !bytes.HasPrefix(l, []byte("---")) {
			cur.Write(l)
			continue
		}
		rest := strings.TrimSpace(string(l[3:]))
		if rest != "" && rest[0] != '#' {
			return chunks, &DecodeError{Reason: DecodeSyntax, ListIndex: -1, Line: line + i,
				Message: "invalid Yaml document separator: " + rest}
		}
		chunks = append(chunks, yamlChunk{text: bytes.Clone(cur.Bytes()), line: start})
		cur.Reset()
		start = line + i + 1
	}
	return append(chunks, yamlChunk{text: cur.Bytes(), line: start}), nil
}
