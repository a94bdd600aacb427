package objects

import (
	"fmt"
	"slices"
	"sort"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
)

// Label selectors are apimachinery's labels package (v0.37), the selectors
// the apiserver and controllers match with: parsing of kubectl -l syntax,
// validation with its error lists, matching and printing are upstream's
// own. objects keeps a narrow interface over them so callers match plain
// label maps.

// Selector matches objects by their labels, as upstream's labels.Selector
// does. Selectors are immutable once built; String prints them in
// upstream's canonical form, requirements sorted by key, so equal selectors
// print alike.
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

// upstreamSelector adapts a labels.Selector to Selector.
type upstreamSelector struct{ s labels.Selector }

// Matches reports whether the labels satisfy every requirement.
func (u upstreamSelector) Matches(m map[string]string) bool { return u.s.Matches(labels.Set(m)) }

// Empty reports whether the selector matches everything.
func (u upstreamSelector) Empty() bool { return u.s.Empty() }

// String prints the selector as upstream does.
func (u upstreamSelector) String() string { return u.s.String() }

// everything and nothing are shared: selectors are immutable.
var (
	everything Selector = upstreamSelector{labels.Everything()}
	nothing    Selector = upstreamSelector{labels.Nothing()}
)

// Everything returns a selector that matches all objects.
func Everything() Selector { return everything }

// Nothing returns a selector that matches no object.
func Nothing() Selector { return nothing }

// SelectorFromSet returns a selector requiring each key to equal its value.
// A nil or empty set gives Everything. Like upstream, it does not validate.
func SelectorFromSet(set map[string]string) Selector {
	if len(set) == 0 {
		return everything
	}
	return upstreamSelector{labels.SelectorFromValidatedSet(labels.Set(set))}
}

// ParseSelector parses kubectl -l syntax (labels.Parse): comma-separated
// requirements "a=b", "a==b", "a!=b", "a in (x,y)", "a notin (x)", "a",
// "!a", "a>1", "a<1". An empty string is Everything. Errors are upstream's.
func ParseSelector(s string) (Selector, error) {
	sel, err := labels.Parse(s)
	if err != nil {
		return nil, err
	}
	return upstreamSelector{sel}, nil
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
var labelSelectorOps = map[string]selection.Operator{
	LabelSelectorOpIn:           selection.In,
	LabelSelectorOpNotIn:        selection.NotIn,
	LabelSelectorOpExists:       selection.Exists,
	LabelSelectorOpDoesNotExist: selection.DoesNotExist,
}

// LabelSelectorAsSelector converts ls as metav1.LabelSelectorAsSelector does:
// nil matches nothing, an empty selector matches everything, and a bad key,
// value or operator is an error with upstream's message (labels.NewRequirement's
// aggregate). Upstream walks matchLabels in map order, so which bad entry it
// names first varies; kubesim walks them sorted. Controllers convert their
// selectors on every sync: matchLabels the hand-written matchers accept are
// taken as a validated set, without upstream's regular expressions.
func LabelSelectorAsSelector(ls *LabelSelector) (Selector, error) {
	if ls == nil {
		return nothing, nil
	}
	if len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 {
		return everything, nil
	}
	var sel labels.Selector
	if validSet(ls.MatchLabels) {
		sel = labels.SelectorFromValidatedSet(labels.Set(ls.MatchLabels))
	} else {
		sel = labels.NewSelector()
		for _, k := range sortedKeys(ls.MatchLabels) {
			r, err := labels.NewRequirement(k, selection.Equals, []string{ls.MatchLabels[k]})
			if err != nil {
				return nil, err
			}
			sel = sel.Add(*r)
		}
	}
	reqs := make([]labels.Requirement, 0, len(ls.MatchExpressions))
	for _, expr := range ls.MatchExpressions {
		op, ok := labelSelectorOps[expr.Operator]
		if !ok {
			return nil, fmt.Errorf("%q is not a valid label selector operator", expr.Operator)
		}
		r, err := labels.NewRequirement(expr.Key, op, slices.Clone(expr.Values))
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, *r)
	}
	if len(reqs) > 0 {
		sel = sel.Add(reqs...)
	}
	return upstreamSelector{sel}, nil
}

// validSet reports whether every key and value of set is one
// labels.NewRequirement accepts.
func validSet(set map[string]string) bool {
	for k, v := range set {
		if !isQualifiedNameText(k) || !(v == "" || len(v) <= LabelValueMaxLength && isLabelKeyText(v)) {
			return false
		}
	}
	return true
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
