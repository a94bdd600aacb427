package objects

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const labelKeyNameMsg = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

func TestParseSelectorString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"a=b", "a=b"},
		{"a==b,c!=d", "a==b,c!=d"},
		{"  x = y ", "x=y"},
		{"x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"},
		{"!a", "!a"},
		{"a in (in)", "a in (in)"},
		{"a notin (b,a,b)", "a notin (a,b)"},
		{"a=", "a="},
		{"a>1,b<2", "a>1,b<2"},
		{"k8s.io/app=x,app", "app,k8s.io/app=x"},
		{"b=1,a=2,a!=3", "a=2,a!=3,b=1"}, // sorted by key, stable within a key
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			s, err := ParseSelector(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, s.String())
			again, err := ParseSelector(s.String())
			require.NoError(t, err, "the printed form must parse back")
			assert.Equal(t, tc.want, again.String())
		})
	}
}

func TestParseSelectorErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"a in", "unable to parse requirement: found '' expected: '('"},
		{"a=b c", "found 'c', expected: ',' or 'end of string'"},
		{"a,", "found '', expected: identifier after ','"},
		{",a", "found ',', expected: !, identifier, or 'end of string'"},
		{"a in (x", "unable to parse requirement: found '', expected: ',' or ')'"},
		{"a in (x y)", "unable to parse requirement: found 'y', expected: ',' or ')'"},
		{"a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"},
		{"a=(b", "unable to parse requirement: found '(', expected: identifier"},
		{"a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"},
		{"!a=b", "found '=', expected: ',' or 'end of string'"},
		{"a>x", `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`},
		{"-a", `unable to parse requirement: <nil>: Invalid value: "-a": ` + labelKeyNameMsg},
		{"a=b c d", "found 'c', expected: ',' or 'end of string'"},
		{"a=-b", `unable to parse requirement: values[0][a]: Invalid value: "-b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			s, err := ParseSelector(tc.in)
			assert.Nil(t, s)
			require.EqualError(t, err, tc.want)
		})
	}
}

func TestSelectorMatches(t *testing.T) {
	labels := map[string]string{"app": "web", "tier": "front", "n": "5"}
	tests := []struct {
		sel  string
		want bool
	}{
		{"", true},
		{"app=web", true},
		{"app==web,tier=front", true},
		{"app!=web", false},
		{"app!=db", true},
		{"missing!=x", true},
		{"app in (db,web)", true},
		{"app notin (db,web)", false},
		{"missing notin (x)", true},
		{"missing in (x)", false},
		{"app", true},
		{"!app", false},
		{"!missing", true},
		{"n>4", true},
		{"n>5", false},
		{"n<6", true},
		{"app>1", false}, // a non-integer label value never satisfies gt
		{"missing=", false},
		{"tier in ()", false},
	}
	for _, tc := range tests {
		t.Run(tc.sel, func(t *testing.T) {
			s, err := ParseSelector(tc.sel)
			require.NoError(t, err)
			assert.Equal(t, tc.want, s.Matches(labels))
		})
	}
}

func TestEverythingNothingAndSets(t *testing.T) {
	assert.True(t, Everything().Matches(nil))
	assert.True(t, Everything().Empty())
	assert.Equal(t, "", Everything().String())
	assert.False(t, Nothing().Matches(map[string]string{}))
	assert.False(t, Nothing().Empty())

	s := SelectorFromSet(map[string]string{"tier": "web", "app": "nginx"})
	assert.Equal(t, "app=nginx,tier=web", s.String())
	assert.True(t, s.Matches(map[string]string{"app": "nginx", "tier": "web", "x": "y"}))
	assert.False(t, s.Matches(map[string]string{"app": "nginx"}))
	assert.True(t, SelectorFromSet(nil).Empty())
}

// naiveRequirement is an independent reading of the selector semantics,
// written directly from the documentation, to check the parser against.
type naiveRequirement struct {
	key, op string
	values  []string
}

func (r naiveRequirement) text() string {
	switch r.op {
	case "exists":
		return r.key
	case "!":
		return "!" + r.key
	case "in", "notin":
		return r.key + " " + r.op + " (" + strings.Join(r.values, ",") + ")"
	}
	return r.key + r.op + r.values[0]
}

func (r naiveRequirement) holds(labels map[string]string) bool {
	v, ok := labels[r.key]
	in := false
	for _, x := range r.values {
		in = in || x == v
	}
	switch r.op {
	case "exists":
		return ok
	case "!":
		return !ok
	case "=", "==", "in":
		return ok && in
	}
	return !ok || !in // "!=", "notin"
}

func TestSelectorAgainstNaiveMatcher(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []string{"app", "tier", "env", "example.com/team"}
	vals := []string{"a", "b", "c", ""}
	ops := []string{"=", "==", "!=", "in", "notin", "exists", "!"}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	for i := range 2000 {
		var reqs []naiveRequirement
		var parts []string
		for range 1 + rng.IntN(3) {
			r := naiveRequirement{key: pick(keys), op: pick(ops)}
			switch r.op {
			case "in", "notin":
				r.values = []string{pick(vals[:3]), pick(vals[:3])}
			case "=", "==", "!=":
				r.values = []string{pick(vals)}
			}
			reqs = append(reqs, r)
			parts = append(parts, r.text())
		}
		sel, err := ParseSelector(strings.Join(parts, ","))
		require.NoError(t, err, "case %d: %s", i, strings.Join(parts, ","))
		labels := map[string]string{}
		for _, k := range keys {
			if rng.IntN(2) == 0 {
				labels[k] = pick(vals)
			}
		}
		want := true
		for _, r := range reqs {
			want = want && r.holds(labels)
		}
		assert.Equal(t, want, sel.Matches(labels), "case %d: %q on %v", i, sel.String(), labels)
	}
}

func TestLabelSelectorAsSelector(t *testing.T) {
	tests := []struct {
		name    string
		ls      *LabelSelector
		want    string
		empty   bool
		matches map[string]string
		wantErr string
	}{
		{name: "nil matches nothing", ls: nil, want: "", matches: map[string]string{}},
		{name: "empty matches everything", ls: &LabelSelector{}, want: "", empty: true, matches: map[string]string{}},
		{name: "labels and expressions", ls: &LabelSelector{
			MatchLabels: map[string]string{"b": "1", "a": "2"},
			MatchExpressions: []LabelSelectorRequirement{
				{Key: "env", Operator: LabelSelectorOpIn, Values: []string{"prod", "dev"}},
				{Key: "gpu", Operator: LabelSelectorOpDoesNotExist},
			},
		}, want: "a=2,b=1,env in (dev,prod),!gpu", matches: map[string]string{"a": "2", "b": "1", "env": "dev"}},
		{name: "bad operator", ls: &LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "x", Operator: "Foo"}}},
			wantErr: `"Foo" is not a valid label selector operator`},
		{name: "In without values", ls: &LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "x", Operator: LabelSelectorOpIn}}},
			wantErr: "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"},
		{name: "Exists with values", ls: &LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "x", Operator: LabelSelectorOpExists, Values: []string{"a"}}}},
			wantErr: `values: Invalid value: ["a"]: values set must be empty for exists and does not exist`},
		{name: "bad key and value", ls: &LabelSelector{MatchLabels: map[string]string{"-k": "v v"}},
			wantErr: `[key: Invalid value: "-k": ` + labelKeyNameMsg + `, values[0][-k]: Invalid value: "v v": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := LabelSelectorAsSelector(tc.ls)
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				assert.Equal(t, "<error>", FormatLabelSelector(tc.ls))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, s.String())
			assert.Equal(t, tc.empty, s.Empty())
			assert.Equal(t, tc.ls != nil, s.Matches(tc.matches))
			formatted := tc.want
			if formatted == "" {
				formatted = "<none>"
			}
			assert.Equal(t, formatted, FormatLabelSelector(tc.ls))
		})
	}
}

func TestNameChecks(t *testing.T) {
	const (
		labelMsg     = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
		subdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
		valueMsg     = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
	)
	long := strings.Repeat("a", 64)
	tests := []struct {
		name  string
		check func(string) []string
		in    string
		want  []string
	}{
		{"label ok", IsDNS1123Label, "my-name", nil},
		{"label upper", IsDNS1123Label, "Pi", []string{labelMsg}},
		{"label dots", IsDNS1123Label, "a.b", []string{"must not contain dots"}},
		{"label long", IsDNS1123Label, long, []string{"must be no more than 63 characters"}},
		{"subdomain ok", IsDNS1123Subdomain, "a.b-c", nil},
		{"subdomain bad", IsDNS1123Subdomain, "Pi", []string{subdomainMsg}},
		{"subdomain long", IsDNS1123Subdomain, strings.Repeat("a", 254), []string{"must be no more than 253 characters"}},
		{"key ok", IsQualifiedName, "example.com/My_key.1", nil},
		{"key bad name", IsQualifiedName, "-a", []string{labelKeyNameMsg}},
		{"key empty prefix", IsQualifiedName, "/a", []string{"prefix part must be non-empty"}},
		{"key bad prefix", IsQualifiedName, "A/b", []string{"prefix part " + subdomainMsg}},
		{"key empty name", IsQualifiedName, "a/", []string{"name part must be non-empty", labelKeyNameMsg}},
		{"key long name", IsQualifiedName, long, []string{"name part must be no more than 63 bytes"}},
		{"key two slashes", IsQualifiedName, "a/b/c", []string{"a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"}},
		{"value ok", IsValidLabelValue, "", nil},
		{"value bad", IsValidLabelValue, "a b", []string{valueMsg}},
		{"value long", IsValidLabelValue, long, []string{"must be no more than 63 bytes"}},
		{"env ok", IsEnvVarName, "MY.VAR-1", nil},
		{"env bad", IsEnvVarName, "A=B", []string{"a valid environment variable name must consist only of printable ASCII characters other than '='"}},
		{"port name bad", IsValidPortName, "-http--", []string{"must not contain consecutive hyphens", "must not begin or end with a hyphen"}},
		{"port name digits", IsValidPortName, "8080", []string{"must contain at least one letter (a-z)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.check(tc.in))
		})
	}
	assert.Equal(t, []string{"must be between 1 and 65535, inclusive"}, IsValidPortNum(0))
	assert.Nil(t, IsValidPortNum(65535))
}

func BenchmarkParseSelector(b *testing.B) {
	for b.Loop() {
		_, _ = ParseSelector("app=web,tier in (front,back),!canary,env!=dev")
	}
}

// Drift the hand-written selectors had from apimachinery (found by
// differential fuzzing): a requirement whose value has two problems is one
// field error whose detail joins them with "; " (labels.NewRequirement's
// validateLabelValue), not two errors in brackets.
func TestSelectorValueErrorsJoined(t *testing.T) {
	bad := strings.Repeat("a", 63) + "-"
	_, err := LabelSelectorAsSelector(&LabelSelector{MatchLabels: map[string]string{"app": bad}})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), `values[0][app]: Invalid value: "`+bad+`": must be no more than 63 bytes; a valid label must be an empty string`), err.Error())
	_, err = ParseSelector("app=" + bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "must be no more than 63 bytes; a valid label")
}
