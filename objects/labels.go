package objects

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Selector matches objects by their labels, as upstream's labels.Selector does.
// Selectors are immutable once built; String prints them in upstream's
// canonical form, requirements sorted by key, so equal selectors print alike.
//
// +kubebuilder:object:generate=false
type Selector interface {
	// Matches reports whether a set of labels satisfies the selector.
	Matches(labels map[string]string) bool
	// Empty reports whether the selector places no restriction (matches everything).
	Empty() bool
	// String prints the selector in kubectl -l syntax.
	String() string
}

// Selector operators, with upstream's (selection.Operator) spellings.
const (
	selectDoesNotExist = "!"
	selectEquals       = "="
	selectDoubleEquals = "=="
	selectIn           = "in"
	selectNotEquals    = "!="
	selectNotIn        = "notin"
	selectExists       = "exists"
	selectGreaterThan  = "gt"
	selectLessThan     = "lt"
)

// binarySelectorOperators lists, in upstream's order, the operators that
// take values; parse errors quote it.
var binarySelectorOperators = []string{selectIn, selectNotIn, selectEquals, selectDoubleEquals, selectNotEquals, selectGreaterThan, selectLessThan}

// requirement is one clause of a selector: key, operator and values.
type requirement struct {
	key    string
	op     string
	values []string
}

// requirementSelector matches when every requirement does. An empty one is Everything.
type requirementSelector []requirement

// nothingSelector matches nothing; it is what a nil *LabelSelector becomes.
type nothingSelector struct{}

// Matches is always false.
func (nothingSelector) Matches(map[string]string) bool { return false }

// Empty is false: matching nothing is a restriction, as upstream reports it.
func (nothingSelector) Empty() bool { return false }

// String is empty, as upstream's; FormatLabelSelector shows it as "<none>".
func (nothingSelector) String() string { return "" }

// Everything returns a selector that matches all objects.
func Everything() Selector { return requirementSelector{} }

// Nothing returns a selector that matches no object.
func Nothing() Selector { return nothingSelector{} }

// SelectorFromSet returns a selector requiring each key to equal its value.
// A nil or empty set gives Everything. Like upstream, it does not validate.
func SelectorFromSet(set map[string]string) Selector {
	reqs := make(requirementSelector, 0, len(set))
	for k, v := range set {
		reqs = append(reqs, requirement{key: k, op: selectEquals, values: []string{v}})
	}
	return reqs.sorted()
}

// sorted orders requirements by key (stably, so that "a=1,a!=2" keeps its
// written order) for a deterministic String.
func (s requirementSelector) sorted() requirementSelector {
	sort.SliceStable(s, func(i, j int) bool { return s[i].key < s[j].key })
	return s
}

// Matches reports whether every requirement matches.
func (s requirementSelector) Matches(labels map[string]string) bool {
	for i := range s {
		if !s[i].matches(labels) {
			return false
		}
	}
	return true
}

// Empty reports whether there are no requirements.
func (s requirementSelector) Empty() bool { return len(s) == 0 }

// String joins the requirements with commas.
func (s requirementSelector) String() string {
	parts := make([]string, len(s))
	for i := range s {
		parts[i] = s[i].String()
	}
	return strings.Join(parts, ",")
}

// matches applies upstream's Requirement.Matches rules: NotIn and != match a
// missing key; gt and lt need an integer label value.
func (r *requirement) matches(labels map[string]string) bool {
	val, ok := labels[r.key]
	switch r.op {
	case selectIn, selectEquals, selectDoubleEquals:
		return ok && slices.Contains(r.values, val)
	case selectNotIn, selectNotEquals:
		return !ok || !slices.Contains(r.values, val)
	case selectExists:
		return ok
	case selectDoesNotExist:
		return !ok
	case selectGreaterThan, selectLessThan:
		return ok && r.compareInt(val)
	}
	return false
}

// compareInt evaluates gt/lt against a label value; non-integers never match.
func (r *requirement) compareInt(val string) bool {
	have, err := strconv.ParseInt(val, 10, 64)
	if err != nil || len(r.values) != 1 {
		return false
	}
	want, err := strconv.ParseInt(r.values[0], 10, 64)
	if err != nil {
		return false
	}
	if r.op == selectGreaterThan {
		return have > want
	}
	return have < want
}

// String prints the requirement as upstream does: "!a", "a", "a=b",
// "a in (x,y)" with the values sorted, "a>3".
func (r *requirement) String() string {
	var b strings.Builder
	if r.op == selectDoesNotExist {
		b.WriteString("!")
	}
	b.WriteString(r.key)
	switch r.op {
	case selectExists, selectDoesNotExist:
		return b.String()
	case selectIn, selectNotIn:
		b.WriteString(" " + r.op + " (" + sortedJoin(r.values) + ")")
		return b.String()
	case selectGreaterThan:
		b.WriteString(">")
	case selectLessThan:
		b.WriteString("<")
	default:
		b.WriteString(r.op)
	}
	b.WriteString(sortedJoin(r.values))
	return b.String()
}

// sortedJoin joins a sorted copy of values with commas, leaving values untouched.
func sortedJoin(values []string) string {
	v := slices.Clone(values)
	sort.Strings(v)
	return strings.Join(v, ",")
}

// newRequirement checks a requirement as upstream's labels.NewRequirement
// does (with no field path, so paths read "key", "values[0][app]").
func newRequirement(key, op string, values []string) (requirement, ErrorList) {
	var errs ErrorList
	for _, msg := range IsQualifiedName(key) {
		errs = append(errs, InvalidError("key", key, msg))
	}
	errs = append(errs, checkRequirementValues(op, values)...)
	for i, v := range values {
		for _, msg := range IsValidLabelValue(v) {
			errs = append(errs, InvalidError(FieldPath("values").Index(i).Key(key), v, msg))
		}
	}
	return requirement{key: key, op: op, values: values}, errs
}

// checkRequirementValues checks the number of values suits the operator.
func checkRequirementValues(op string, values []string) ErrorList {
	const path = FieldPath("values")
	switch op {
	case selectIn, selectNotIn:
		if len(values) == 0 {
			return ErrorList{InvalidError(path, values, "for 'in', 'notin' operators, values set can't be empty")}
		}
	case selectEquals, selectDoubleEquals, selectNotEquals:
		if len(values) != 1 {
			return ErrorList{InvalidError(path, values, "exact-match compatibility requires one single value")}
		}
	case selectExists, selectDoesNotExist:
		if len(values) != 0 {
			return ErrorList{InvalidError(path, values, "values set must be empty for exists and does not exist")}
		}
	case selectGreaterThan, selectLessThan:
		return checkIntegerValues(values)
	default:
		return ErrorList{NotSupportedError("operator", op, append(slices.Clone(binarySelectorOperators), selectExists, selectDoesNotExist))}
	}
	return nil
}

// checkIntegerValues checks gt/lt have exactly one integer value.
func checkIntegerValues(values []string) ErrorList {
	var errs ErrorList
	if len(values) != 1 {
		errs = append(errs, InvalidError("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"))
	}
	for i, v := range values {
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			errs = append(errs, InvalidError(FieldPath("values").Index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"))
		}
	}
	return errs
}

// LabelSelector is the structured selector objects carry (metav1.LabelSelector):
// every matchLabels entry and every matchExpressions requirement must hold.
type LabelSelector struct {
	MatchLabels      map[string]string          `json:"matchLabels,omitempty"`
	MatchExpressions []LabelSelectorRequirement `json:"matchExpressions,omitempty"`
}

// LabelSelectorRequirement is one matchExpressions entry.
type LabelSelectorRequirement struct {
	Key      string   `json:"key"`
	Operator string   `json:"operator"`
	Values   []string `json:"values,omitempty"`
}

// Label selector operators (metav1.LabelSelectorOperator values).
const (
	LabelSelectorOpIn           = "In"
	LabelSelectorOpNotIn        = "NotIn"
	LabelSelectorOpExists       = "Exists"
	LabelSelectorOpDoesNotExist = "DoesNotExist"
)

// labelSelectorOps maps the structured operators to selector operators.
var labelSelectorOps = map[string]string{
	LabelSelectorOpIn:           selectIn,
	LabelSelectorOpNotIn:        selectNotIn,
	LabelSelectorOpExists:       selectExists,
	LabelSelectorOpDoesNotExist: selectDoesNotExist,
}

// LabelSelectorAsSelector converts ls as metav1.LabelSelectorAsSelector does:
// nil matches nothing, an empty selector matches everything, and a bad key,
// value or operator is an error with upstream's message.
func LabelSelectorAsSelector(ls *LabelSelector) (Selector, error) {
	if ls == nil {
		return Nothing(), nil
	}
	if len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 {
		return Everything(), nil
	}
	reqs := make(requirementSelector, 0, len(ls.MatchLabels)+len(ls.MatchExpressions))
	for _, k := range sortedKeys(ls.MatchLabels) {
		r, errs := newRequirement(k, selectEquals, []string{ls.MatchLabels[k]})
		if len(errs) > 0 {
			return nil, errs
		}
		reqs = append(reqs, r)
	}
	for _, expr := range ls.MatchExpressions {
		op, ok := labelSelectorOps[expr.Operator]
		if !ok {
			return nil, fmt.Errorf("%q is not a valid label selector operator", expr.Operator)
		}
		r, errs := newRequirement(expr.Key, op, slices.Clone(expr.Values))
		if len(errs) > 0 {
			return nil, errs
		}
		reqs = append(reqs, r)
	}
	return reqs.sorted(), nil
}

// FormatLabelSelector prints ls as kubectl describe does: the selector
// string, "<none>" when it is empty or nil, "<error>" when it is invalid.
func FormatLabelSelector(ls *LabelSelector) string {
	s, err := LabelSelectorAsSelector(ls)
	if err != nil {
		return "<error>"
	}
	if out := s.String(); out != "" {
		return out
	}
	return "<none>"
}

// sortedKeys returns the keys of m in order, so map order never reaches output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
