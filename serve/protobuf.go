package serve

//go:generate sh -c "go run ./internal/genapi $(go env GOMODCACHE)/k8s.io/api@v0.37.2 $(go env GOMODCACHE)/k8s.io/apimachinery@v0.37.2 . ../internal/openapi"

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// client-go's typed clients, and so kubectl's create commands, send their
// bodies as protobuf (application/vnd.kubernetes.protobuf) and read
// answers in protobuf or JSON, whichever comes. The server reads such
// bodies with upstream's message definitions (zz_generated_proto.go,
// generated from k8s.io/api's generated.proto files) into the JSON tree
// the rest of the server works on, and always answers in JSON.

// protobufMedia is the media type of Kubernetes' protobuf encoding.
const protobufMedia = "application/vnd.kubernetes.protobuf"

// protoMagic starts every protobuf-encoded Kubernetes object: the bytes
// "k8s\x00", then a runtime.Unknown wrapping the object.
var protoMagic = []byte{0x6b, 0x38, 0x73, 0x00}

// protoField is one field of an upstream protobuf message.
type protoField struct {
	name     string
	typ      string // a scalar type or a message's full name; "map" for map<string, mapValue>
	repeated bool
	mapValue string
}

// isProtobuf reports whether a request body is protobuf.
func isProtobuf(contentType string) bool {
	return strings.HasPrefix(strings.TrimSpace(contentType), protobufMedia)
}

// protobufToJSON decodes a protobuf-encoded object into its JSON form.
func protobufToJSON(body []byte) ([]byte, error) {
	tree, err := protobufTree(body)
	if err != nil {
		return nil, badRequest("the protobuf body could not be decoded: %v", err)
	}
	return jsonMarshal(tree)
}

// protobufTree decodes the envelope and the object it wraps.
func protobufTree(body []byte) (map[string]any, error) {
	raw, ok := bytes.CutPrefix(body, protoMagic)
	if !ok {
		return nil, errors.New("missing the k8s protobuf prefix")
	}
	unknown, err := decodeMessage(raw, "k8s.io.apimachinery.pkg.runtime.Unknown")
	if err != nil {
		return nil, err
	}
	tm, _ := unknown["typeMeta"].(map[string]any)
	apiVersion, _ := tm["apiVersion"].(string)
	kind, _ := tm["kind"].(string)
	msg := messageOfKind(apiVersion, kind)
	if _, ok := protoMessages[msg]; !ok {
		return nil, fmt.Errorf("no protobuf definition of %s %s", apiVersion, kind)
	}
	inner, _ := unknown["raw"].(string)
	rawObj, err := base64.StdEncoding.DecodeString(inner)
	if err != nil {
		return nil, err
	}
	tree, err := decodeMessage(rawObj, msg)
	if err != nil {
		return nil, err
	}
	if apiVersion != "" {
		tree["apiVersion"] = apiVersion
	}
	if kind != "" {
		tree["kind"] = kind
	}
	return tree, nil
}

// messageOfKind is the protobuf message of a kind:
// k8s.io.api.<package>.<version>.<Kind>, or apimachinery's meta/v1 one for
// the options kinds (DeleteOptions) every group shares.
func messageOfKind(apiVersion, kind string) string {
	group, version, ok := strings.Cut(apiVersion, "/")
	if !ok {
		group, version = "", apiVersion
	}
	pkg := "core"
	if group != "" {
		pkg, _, _ = strings.Cut(group, ".")
	}
	if msg := "k8s.io.api." + pkg + "." + version + "." + kind; protoMessages[msg] != nil {
		return msg
	}
	return "k8s.io.apimachinery.pkg.apis.meta.v1." + kind
}

// Protobuf wire types.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// decodeMessage decodes one message of type name into a JSON tree.
func decodeMessage(b []byte, name string) (map[string]any, error) {
	fields, ok := protoMessages[name]
	if !ok {
		return nil, fmt.Errorf("unknown message %s", name)
	}
	out := map[string]any{}
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errors.New("bad field key")
		}
		b = b[n:]
		num, wire := int(key>>3), int(key&7)
		val, rest, err := readWire(b, wire)
		if err != nil {
			return nil, err
		}
		b = rest
		f, known := fields[num]
		if !known {
			continue // a field newer than the table: skipped, as proto2 readers do
		}
		if err := setField(out, f, wire, val); err != nil {
			return nil, fmt.Errorf("%s.%s: %w", name, f.name, err)
		}
	}
	return out, nil
}

// wireValue is a field's raw value: a number for varint and fixed wire
// types, bytes for length-delimited ones.
type wireValue struct {
	n     uint64
	bytes []byte
}

// readWire reads one value of a wire type.
func readWire(b []byte, wire int) (wireValue, []byte, error) {
	switch wire {
	case wireVarint:
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return wireValue{}, nil, errors.New("bad varint")
		}
		return wireValue{n: v}, b[n:], nil
	case wireFixed64:
		if len(b) < 8 {
			return wireValue{}, nil, errors.New("short fixed64")
		}
		return wireValue{n: binary.LittleEndian.Uint64(b)}, b[8:], nil
	case wireFixed32:
		if len(b) < 4 {
			return wireValue{}, nil, errors.New("short fixed32")
		}
		return wireValue{n: uint64(binary.LittleEndian.Uint32(b))}, b[4:], nil
	case wireBytes:
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return wireValue{}, nil, errors.New("bad length")
		}
		return wireValue{bytes: b[n : n+int(l)]}, b[n+int(l):], nil
	}
	return wireValue{}, nil, fmt.Errorf("unsupported wire type %d", wire)
}

// setField stores one decoded value in out.
func setField(out map[string]any, f protoField, wire int, val wireValue) error {
	if f.typ == "map" {
		m, _ := out[f.name].(map[string]any)
		if m == nil {
			m = map[string]any{}
			out[f.name] = m
		}
		return setMapEntry(m, f.mapValue, val.bytes)
	}
	if f.repeated && wire == wireBytes && isNumeric(f.typ) {
		// A packed list of numbers.
		for b := val.bytes; len(b) > 0; {
			v, rest, err := readWire(b, packedWire(f.typ))
			if err != nil {
				return err
			}
			b = rest
			out[f.name] = append(listOf(out[f.name]), scalarValue(f.typ, v))
		}
		return nil
	}
	v, err := protoValue(f.typ, val)
	if err != nil {
		return err
	}
	if f.repeated {
		out[f.name] = append(listOf(out[f.name]), v)
	} else {
		out[f.name] = v
	}
	return nil
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

// setMapEntry decodes one map entry message {key = 1, value = 2}.
func setMapEntry(m map[string]any, valueType string, b []byte) error {
	var key string
	var value any
	for len(b) > 0 {
		k, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("bad map entry")
		}
		b = b[n:]
		val, rest, err := readWire(b, int(k&7))
		if err != nil {
			return err
		}
		b = rest
		switch k >> 3 {
		case 1:
			key = string(val.bytes)
		case 2:
			if value, err = protoValue(valueType, val); err != nil {
				return err
			}
		}
	}
	if value == nil {
		value, _ = protoValue(valueType, wireValue{})
	}
	m[key] = value
	return nil
}

// protoValue converts one value of type typ to its JSON form.
func protoValue(typ string, val wireValue) (any, error) {
	switch typ {
	case "string":
		return string(val.bytes), nil
	case "bytes":
		return base64.StdEncoding.EncodeToString(val.bytes), nil
	}
	if scalarTypes[typ] {
		return scalarValue(typ, val), nil
	}
	if v, ok, err := specialValue(typ, val.bytes); ok {
		return v, err
	}
	return decodeMessage(val.bytes, typ)
}

// scalarTypes are the numeric and boolean scalar types.
var scalarTypes = map[string]bool{"bool": true, "int32": true, "int64": true, "uint32": true, "uint64": true,
	"double": true, "float": true, "fixed64": true, "sfixed64": true}

func isNumeric(typ string) bool { return scalarTypes[typ] }

// packedWire is the wire type of one element of a packed list.
func packedWire(typ string) int {
	switch typ {
	case "double", "fixed64", "sfixed64":
		return wireFixed64
	case "float":
		return wireFixed32
	}
	return wireVarint
}

// scalarValue converts a numeric or boolean value.
func scalarValue(typ string, val wireValue) any {
	switch typ {
	case "bool":
		return val.n != 0
	case "int32":
		return int64(int32(val.n))
	case "double":
		return math.Float64frombits(val.n)
	case "float":
		return float64(math.Float32frombits(uint32(val.n)))
	}
	return int64(val.n)
}

// specialValue converts the messages whose JSON form is not an object of
// their fields: times, durations, quantities, int-or-strings and embedded
// raw JSON. It reports false for other messages.
func specialValue(typ string, b []byte) (any, bool, error) {
	const meta, runtime = "k8s.io.apimachinery.pkg.apis.meta.v1.", "k8s.io.apimachinery.pkg.runtime."
	switch typ {
	case meta + "Time":
		v, err := protoTime(b, time.RFC3339)
		return v, true, err
	case meta + "MicroTime":
		v, err := protoTime(b, "2006-01-02T15:04:05.000000Z07:00")
		return v, true, err
	case meta + "Duration":
		m, err := decodeMessage(b, typ)
		d, _ := m["duration"].(int64)
		return time.Duration(d).String(), true, err
	case "k8s.io.apimachinery.pkg.api.resource.Quantity":
		m, err := decodeMessage(b, typ)
		return m["string"], true, err
	case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
		m, err := decodeMessage(b, typ)
		if t, _ := m["type"].(int64); t == 1 {
			return m["strVal"], true, err
		}
		if v, ok := m["intVal"]; ok {
			return v, true, err
		}
		return int64(0), true, err
	case runtime + "RawExtension":
		v, err := embeddedJSON(b, typ, "raw")
		return v, true, err
	case meta + "FieldsV1":
		v, err := embeddedJSON(b, typ, "Raw")
		return v, true, err
	}
	return nil, false, nil
}

// protoTime converts a Time {seconds, nanos} to its JSON text; an empty
// message is the zero time, null in JSON (apimachinery's Time.Unmarshal).
func protoTime(b []byte, layout string) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	m, err := decodeMessage(b, "k8s.io.apimachinery.pkg.apis.meta.v1.Time")
	if err != nil {
		return nil, err
	}
	secs, _ := m["seconds"].(int64)
	nanos, _ := m["nanos"].(int64)
	return time.Unix(secs, nanos).UTC().Format(layout), nil
}

// embeddedJSON converts a message holding raw JSON bytes in one field.
func embeddedJSON(b []byte, msg, fieldName string) (any, error) {
	m, err := decodeMessage(b, msg)
	if err != nil {
		return nil, err
	}
	enc, _ := m[fieldName].(string)
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return v, nil
}
