package objects

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Job validation, after upstream's pkg/apis/batch/validation/validation.go
// (ValidateJob, ValidateJobUpdate, ValidateJobUpdateStatus) and the options
// the registry strategy (pkg/registry/batch/job/strategy.go) passes it.

// Limits of Job specs, as upstream names them.
const (
	maxParallelismForIndexedJob                = 100000
	maxFailedIndexesForIndexedJob              = 100000
	completionsSoftLimit                       = 100000
	parallelismLimitForHighCompletions         = 10000
	maxFailedIndexesLimitForHighCompletions    = 10000
	maxPodFailurePolicyRules                   = 20
	maxPodFailurePolicyOnExitCodesValues       = 255
	maxPodFailurePolicyOnPodConditionsPatterns = 20
	maxManagedByLength                         = 63
	maxJobSuccessPolicySucceededIndexesLimit   = 64 * 1024
	maxSuccessPolicyRule                       = 20
)

// dryRunJobUID stands in for the uid when a Job is validated before the
// store assigned one (a client-side check of a manifest): the generated
// selector and labels are checked as they will be, with this uid.
const dryRunJobUID = "00000000-0000-0000-0000-000000000000"

// Supported values, sorted as upstream's sets.List prints them.
var (
	supportedPodFailurePolicyActions = []string{PodFailurePolicyActionCount, PodFailurePolicyActionFailIndex,
		PodFailurePolicyActionFailJob, PodFailurePolicyActionIgnore}
	supportedOnExitCodesOperators  = []string{PodFailurePolicyOnExitCodesOpIn, PodFailurePolicyOnExitCodesOpNotIn}
	supportedOnPodConditionsStatus = []string{ConditionFalse, ConditionTrue, ConditionUnknown}
	supportedPodReplacementPolicy  = []string{ReplaceFailed, TerminatingOrFailed}
	httpPathRegexp                 = regexp.MustCompile(`^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$`)
)

// jobValidationOptions are upstream's JobValidationOptions.
type jobValidationOptions struct {
	// requirePrefixedLabels asks for the batch.kubernetes.io/ template
	// labels, not only the legacy ones.
	requirePrefixedLabels bool
	// allowMutableTemplate lets a suspended Job change its template's
	// scheduling directives and resources.
	allowMutableTemplate bool
}

// validateJobCreate is the Job strategy's Validate.
func validateJobCreate(j *Job) ErrorList {
	if j.UID == "" && (j.Spec.ManualSelector == nil || !*j.Spec.ManualSelector) {
		dry := j.DeepCopy()
		dry.UID = dryRunJobUID
		GenerateJobSelector(dry)
		j = dry
	}
	return validateJob(j, jobValidationOptions{requirePrefixedLabels: true})
}

// validateJob is upstream's ValidateJob.
func validateJob(j *Job, opts jobValidationOptions) ErrorList {
	errs := validateObjectMeta(&j.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	errs = append(errs, validateGeneratedSelector(j, opts.requirePrefixedLabels)...)
	errs = append(errs, validateJobSpecWithSelector(&j.Spec, "spec")...)
	s := &j.Spec
	if s.CompletionMode != nil && *s.CompletionMode == IndexedCompletion && s.Completions != nil && *s.Completions > 0 {
		host := fmt.Sprintf("%s-%d", j.Name, *s.Completions-1)
		if msgs := IsDNS1123Label(host); len(msgs) > 0 {
			errs = append(errs, InvalidError(NewFieldPath("metadata").Child("name"), j.Name,
				"will not able to create pod with invalid DNS label: "+host))
		}
	}
	return errs
}

// validateGeneratedSelector checks that a generated selector and the
// template's generated labels carry the Job's name and uid.
func validateGeneratedSelector(j *Job, prefixed bool) ErrorList {
	if (j.Spec.ManualSelector != nil && *j.Spec.ManualSelector) || j.Spec.Selector == nil {
		return nil
	}
	var errs ErrorList
	if j.UID == "" {
		errs = append(errs, RequiredError(NewFieldPath("metadata").Child("uid"), ""))
	}
	meta := NewFieldPath("spec").Child("template").Child("metadata")
	all := [...]struct{ key, value string }{{LegacyControllerUIDLabel, j.UID}, {LegacyJobNameLabel, j.Name},
		{ControllerUIDLabel, j.UID}, {JobNameLabel, j.Name}}
	want := all[:2]
	if prefixed {
		want = all[:]
	}
	for _, w := range want {
		errs = append(errs, validateHasLabel(j.Spec.Template.Labels, meta, w.key, w.value)...)
	}
	expected := func(key string) (string, bool) {
		for _, w := range want {
			if w.key == key {
				return w.value, true
			}
		}
		return "", false
	}
	asMap := func() map[string]string {
		m := make(map[string]string, len(want))
		for _, w := range want {
			m[w.key] = w.value
		}
		return m
	}
	if !selectorAllows(j.Spec.Selector, expected, asMap) {
		errs = append(errs, InvalidError(NewFieldPath("spec").Child("selector"), j.Spec.Selector, "`selector` not auto-generated"))
	}
	return errs
}

// selectorAllows reports whether the labels lookup finds satisfy ls as
// LabelSelectorAsSelector converts it, or ls does not convert (its own
// validation reports that). A selector of plain, well-formed matchLabels,
// as every generated one is, is matched entry by entry without building
// it; any other is built and matched against asMap's labels.
func selectorAllows(ls *LabelSelector, lookup func(key string) (string, bool), asMap func() map[string]string) bool {
	if ls != nil && len(ls.MatchExpressions) == 0 && len(ls.MatchLabels) > 0 && validSet(ls.MatchLabels) {
		for k, v := range ls.MatchLabels {
			if got, ok := lookup(k); !ok || got != v {
				return false
			}
		}
		return true
	}
	sel, err := LabelSelectorAsSelector(ls)
	return err != nil || sel.Matches(asMap())
}

// validateHasLabel is upstream's ValidateHasLabel.
func validateHasLabel(labels map[string]string, meta FieldPath, key, value string) ErrorList {
	actual, ok := labels[key]
	if !ok {
		return ErrorList{RequiredError(meta.Child("labels").Key(key), value)}
	}
	if actual != value {
		return ErrorList{InvalidError(meta.Child("labels").Key(key), labels, fmt.Sprintf("must be '%s'", value))}
	}
	return nil
}

// validateJobSpecWithSelector is upstream's ValidateJobSpec: the spec, a
// required valid selector, and template labels the selector matches.
func validateJobSpecWithSelector(s *JobSpec, fld FieldPath) ErrorList {
	errs := validateJobSpec(s, fld)
	if s.Selector == nil {
		errs = append(errs, RequiredError(fld.Child("selector"), ""))
	} else {
		errs = append(errs, ValidateLabelSelector(s.Selector, fld.Child("selector"))...)
	}
	lookup := func(key string) (string, bool) {
		v, ok := s.Template.Labels[key]
		return v, ok
	}
	if !selectorAllows(s.Selector, lookup, func() map[string]string { return s.Template.Labels }) {
		errs = append(errs, InvalidError(fld.Child("template").Child("metadata").Child("labels"), s.Template.Labels,
			"`selector` does not match template `labels`"))
	}
	return errs
}

// validateJobSpec is upstream's validateJobSpec.
func validateJobSpec(s *JobSpec, fld FieldPath) ErrorList {
	errs := validateJobCounts(s, fld)
	errs = append(errs, validateManagedBy(s.ManagedBy, fld.Child("managedBy"))...)
	errs = append(errs, validateCompletionMode(s, fld)...)
	if s.PodFailurePolicy != nil {
		errs = append(errs, validatePodFailurePolicy(s, fld.Child("podFailurePolicy"))...)
	}
	if s.SuccessPolicy != nil {
		if !isIndexed(s) {
			errs = append(errs, InvalidError(fld.Child("successPolicy"), *s.SuccessPolicy, "requires indexed completion mode"))
		} else {
			errs = append(errs, validateSuccessPolicy(s, fld.Child("successPolicy"))...)
		}
	}
	errs = append(errs, validatePodReplacementPolicy(s, fld.Child("podReplacementPolicy"))...)
	errs = append(errs, validatePodTemplateSpec(&s.Template, fld.Child("template"))...)
	return append(errs, validateJobRestartPolicy(s, fld.Child("template").Child("spec").Child("restartPolicy"))...)
}

// isIndexed reports whether the spec asks for Indexed completion.
func isIndexed(s *JobSpec) bool {
	return s.CompletionMode != nil && *s.CompletionMode == IndexedCompletion
}

// validateJobCounts checks the non-negative counters and the
// maxFailedIndexes/backoffLimitPerIndex pairing.
func validateJobCounts(s *JobSpec, fld FieldPath) ErrorList {
	var errs ErrorList
	for _, f := range []struct {
		name  string
		value *int64
	}{
		{"parallelism", int64Of(s.Parallelism)}, {"completions", int64Of(s.Completions)},
		{"activeDeadlineSeconds", s.ActiveDeadlineSeconds}, {"backoffLimit", int64Of(s.BackoffLimit)},
		{"ttlSecondsAfterFinished", int64Of(s.TTLSecondsAfterFinished)},
		{"backoffLimitPerIndex", int64Of(s.BackoffLimitPerIndex)}, {"maxFailedIndexes", int64Of(s.MaxFailedIndexes)},
	} {
		if f.value != nil && *f.value < 0 {
			errs = append(errs, InvalidError(fld.Child(f.name), *f.value, isNegativeErrorMsg))
		}
	}
	if s.MaxFailedIndexes != nil && s.BackoffLimitPerIndex == nil {
		errs = append(errs, RequiredError(fld.Child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
	}
	return errs
}

// int64Of widens an optional int32.
func int64Of(v *int32) *int64 {
	if v == nil {
		return nil
	}
	w := int64(*v)
	return &w
}

// validateManagedBy checks managedBy is a domain-prefixed path of at most 63 characters.
func validateManagedBy(v *string, fld FieldPath) ErrorList {
	if v == nil {
		return nil
	}
	errs := isDomainPrefixedPath(fld, *v)
	if len(*v) > maxManagedByLength {
		errs = append(errs, TooLongError(fld, maxManagedByLength))
	}
	return errs
}

// isDomainPrefixedPath is upstream's IsDomainPrefixedPath.
func isDomainPrefixedPath(fld FieldPath, dp string) ErrorList {
	if dp == "" {
		return ErrorList{RequiredError(fld, "")}
	}
	host, path, ok := strings.Cut(dp, "/")
	if !ok || host == "" || path == "" {
		return ErrorList{InvalidError(fld, dp, `must be a domain-prefixed path (such as "acme.io/foo")`)}
	}
	var errs ErrorList
	for _, msg := range IsDNS1123Subdomain(host) {
		errs = append(errs, InvalidError(fld, host, msg))
	}
	if !httpPathRegexp.MatchString(path) {
		errs = append(errs, InvalidError(fld, path, regexError("Invalid path", `[A-Za-z0-9/\-._~%!$&'()*+,;=:]+`)))
	}
	return errs
}

// validateCompletionMode checks the mode and the rules that depend on it.
func validateCompletionMode(s *JobSpec, fld FieldPath) ErrorList {
	var errs ErrorList
	if s.CompletionMode != nil && !isIndexed(s) && *s.CompletionMode != NonIndexedCompletion {
		errs = append(errs, NotSupportedError(fld.Child("completionMode"), *s.CompletionMode,
			[]string{NonIndexedCompletion, IndexedCompletion}))
	}
	if isIndexed(s) {
		return append(errs, validateIndexedLimits(s, fld)...)
	}
	if s.CompletionMode == nil || *s.CompletionMode == NonIndexedCompletion {
		if s.BackoffLimitPerIndex != nil {
			errs = append(errs, InvalidError(fld.Child("backoffLimitPerIndex"), *s.BackoffLimitPerIndex, "requires indexed completion mode"))
		}
		if s.MaxFailedIndexes != nil {
			errs = append(errs, InvalidError(fld.Child("maxFailedIndexes"), *s.MaxFailedIndexes, "requires indexed completion mode"))
		}
	}
	return errs
}

// validateIndexedLimits checks what an Indexed Job needs: completions, and
// bounds on parallelism and maxFailedIndexes.
func validateIndexedLimits(s *JobSpec, fld FieldPath) ErrorList {
	var errs ErrorList
	if s.Completions == nil {
		errs = append(errs, RequiredError(fld.Child("completions"), "when completion mode is "+IndexedCompletion))
	}
	if s.Parallelism != nil && *s.Parallelism > maxParallelismForIndexedJob {
		errs = append(errs, InvalidError(fld.Child("parallelism"), *s.Parallelism, fmt.Sprintf(
			"must be less than or equal to %d when completion mode is %s", maxParallelismForIndexedJob, IndexedCompletion)))
	}
	if s.Completions != nil && s.MaxFailedIndexes != nil && *s.MaxFailedIndexes > *s.Completions {
		errs = append(errs, InvalidError(fld.Child("maxFailedIndexes"), *s.MaxFailedIndexes, "must be less than or equal to completions"))
	}
	if s.MaxFailedIndexes != nil && *s.MaxFailedIndexes > maxFailedIndexesForIndexedJob {
		errs = append(errs, InvalidError(fld.Child("maxFailedIndexes"), *s.MaxFailedIndexes,
			fmt.Sprintf("must be less than or equal to %d", maxFailedIndexesForIndexedJob)))
	}
	if s.Completions == nil || *s.Completions <= completionsSoftLimit || s.BackoffLimitPerIndex == nil {
		return errs
	}
	const high = "when completions are above %d and used with backoff limit per index"
	if s.MaxFailedIndexes == nil {
		errs = append(errs, RequiredError(fld.Child("maxFailedIndexes"), fmt.Sprintf("must be specified when completions is above %d", completionsSoftLimit)))
	}
	if s.Parallelism != nil && *s.Parallelism > parallelismLimitForHighCompletions {
		errs = append(errs, InvalidError(fld.Child("parallelism"), *s.Parallelism, fmt.Sprintf(
			"must be less than or equal to %d "+high, parallelismLimitForHighCompletions, completionsSoftLimit)))
	}
	if s.MaxFailedIndexes != nil && *s.MaxFailedIndexes > maxFailedIndexesLimitForHighCompletions {
		errs = append(errs, InvalidError(fld.Child("maxFailedIndexes"), *s.MaxFailedIndexes, fmt.Sprintf(
			"must be less than or equal to %d "+high, maxFailedIndexesLimitForHighCompletions, completionsSoftLimit)))
	}
	return errs
}

// validatePodTemplateSpec is upstream's ValidatePodTemplateSpec for the modelled fields.
func validatePodTemplateSpec(t *PodTemplateSpec, fld FieldPath) ErrorList {
	meta := fld.Child("metadata")
	errs := ValidateLabels(t.Labels, meta.Child("labels"))
	errs = append(errs, validateAnnotations(t.Annotations, meta.Child("annotations"))...)
	return append(errs, ValidatePodSpec(&t.Spec, fld.Child("spec"))...)
}

// validateJobRestartPolicy requires OnFailure or Never. An empty value or
// Always (what pod defaulting turns "" into) is a Required error, and
// podFailurePolicy allows only Never.
func validateJobRestartPolicy(s *JobSpec, fld FieldPath) ErrorList {
	rp := s.Template.Spec.RestartPolicy
	switch {
	case rp == RestartPolicyAlways || rp == "":
		return ErrorList{RequiredError(fld, fmt.Sprintf("valid values: %q, %q", RestartPolicyOnFailure, RestartPolicyNever))}
	case rp != RestartPolicyOnFailure && rp != RestartPolicyNever:
		return ErrorList{NotSupportedError(fld, rp, []string{RestartPolicyOnFailure, RestartPolicyNever})}
	case s.PodFailurePolicy != nil && rp != RestartPolicyNever:
		return ErrorList{InvalidError(fld, rp, fmt.Sprintf("only %q is supported when podFailurePolicy is specified", RestartPolicyNever))}
	}
	return nil
}

// validatePodReplacementPolicy allows Failed and TerminatingOrFailed, and
// only Failed with a podFailurePolicy.
func validatePodReplacementPolicy(s *JobSpec, fld FieldPath) ErrorList {
	p := s.PodReplacementPolicy
	switch {
	case p == nil:
		return nil
	case s.PodFailurePolicy != nil && *p != ReplaceFailed:
		return ErrorList{NotSupportedError(fld, *p, []string{ReplaceFailed})}
	case s.PodFailurePolicy == nil && !containsString(supportedPodReplacementPolicy, *p):
		return ErrorList{NotSupportedError(fld, *p, supportedPodReplacementPolicy)}
	}
	return nil
}

// validatePodFailurePolicy checks the rule count and each rule.
func validatePodFailurePolicy(s *JobSpec, fld FieldPath) ErrorList {
	rulesPath := fld.Child("rules")
	var errs ErrorList
	if n := len(s.PodFailurePolicy.Rules); n > maxPodFailurePolicyRules {
		errs = append(errs, TooManyError(rulesPath, n, maxPodFailurePolicyRules))
	}
	names := map[string]bool{}
	for _, c := range s.Template.Spec.Containers {
		names[c.Name] = true
	}
	for _, c := range s.Template.Spec.InitContainers {
		names[c.Name] = true
	}
	for i := range s.PodFailurePolicy.Rules {
		errs = append(errs, validatePodFailurePolicyRule(s, &s.PodFailurePolicy.Rules[i], rulesPath.Index(i), names)...)
	}
	return errs
}

// validatePodFailurePolicyRule checks one rule's action and requirement.
func validatePodFailurePolicyRule(s *JobSpec, r *PodFailurePolicyRule, fld FieldPath, names map[string]bool) ErrorList {
	var errs ErrorList
	action := fld.Child("action")
	switch {
	case r.Action == "":
		errs = append(errs, RequiredError(action, "valid values: "+quotedList(supportedPodFailurePolicyActions)))
	case r.Action == PodFailurePolicyActionFailIndex:
		if s.BackoffLimitPerIndex == nil {
			errs = append(errs, InvalidError(action, r.Action, "requires the backoffLimitPerIndex to be set"))
		}
	case !containsString(supportedPodFailurePolicyActions, r.Action):
		errs = append(errs, NotSupportedError(action, r.Action, supportedPodFailurePolicyActions))
	}
	if r.OnExitCodes != nil {
		errs = append(errs, validateOnExitCodes(r.OnExitCodes, fld.Child("onExitCodes"), names)...)
	}
	if len(r.OnPodConditions) > 0 {
		errs = append(errs, validateOnPodConditions(r.OnPodConditions, fld.Child("onPodConditions"))...)
	}
	if r.OnExitCodes != nil && len(r.OnPodConditions) > 0 {
		errs = append(errs, InvalidError(fld, OmitValue, "specifying both OnExitCodes and OnPodConditions is not supported"))
	}
	if r.OnExitCodes == nil && len(r.OnPodConditions) == 0 {
		errs = append(errs, InvalidError(fld, OmitValue, "specifying one of OnExitCodes and OnPodConditions is required"))
	}
	return errs
}

// quotedList prints values as Go's %q prints a []string: ["a" "b"].
func quotedList(values []string) string { return fmt.Sprintf("%q", values) }

// validateOnPodConditions checks each pattern's type and status.
func validateOnPodConditions(patterns []PodFailurePolicyOnPodConditionsPattern, fld FieldPath) ErrorList {
	var errs ErrorList
	if len(patterns) > maxPodFailurePolicyOnPodConditionsPatterns {
		errs = append(errs, TooManyError(fld, len(patterns), maxPodFailurePolicyOnPodConditionsPatterns))
	}
	for j, p := range patterns {
		for _, msg := range IsQualifiedName(p.Type) {
			errs = append(errs, InvalidError(fld.Index(j).Child("type"), p.Type, msg))
		}
		status := fld.Index(j).Child("status")
		if p.Status == "" {
			errs = append(errs, RequiredError(status, "valid values: "+quotedList(supportedOnPodConditionsStatus)))
		} else if !containsString(supportedOnPodConditionsStatus, p.Status) {
			errs = append(errs, NotSupportedError(status, p.Status, supportedOnPodConditionsStatus))
		}
	}
	return errs
}

// validateOnExitCodes checks the operator, container name and values
// (1 to 255, ordered, unique, no 0 with In).
func validateOnExitCodes(r *PodFailurePolicyOnExitCodesRequirement, fld FieldPath, names map[string]bool) ErrorList {
	var errs ErrorList
	op := fld.Child("operator")
	if r.Operator == "" {
		errs = append(errs, RequiredError(op, "valid values: "+quotedList(supportedOnExitCodesOperators)))
	} else if !containsString(supportedOnExitCodesOperators, r.Operator) {
		errs = append(errs, NotSupportedError(op, r.Operator, supportedOnExitCodesOperators))
	}
	if r.ContainerName != nil && !names[*r.ContainerName] {
		errs = append(errs, InvalidError(fld.Child("containerName"), *r.ContainerName,
			"must be one of the container or initContainer names in the pod template"))
	}
	values := fld.Child("values")
	if len(r.Values) == 0 {
		errs = append(errs, InvalidError(values, r.Values, "at least one value is required"))
	} else if len(r.Values) > maxPodFailurePolicyOnExitCodesValues {
		errs = append(errs, TooManyError(values, len(r.Values), maxPodFailurePolicyOnExitCodesValues))
	}
	seen, ordered := map[int32]bool{}, true
	for j, v := range r.Values {
		if r.Operator == PodFailurePolicyOnExitCodesOpIn && v == 0 {
			errs = append(errs, InvalidError(values.Index(j), v, "must not be 0 for the In operator"))
		}
		if seen[v] {
			errs = append(errs, DuplicateError(values.Index(j), v))
		}
		seen[v] = true
		if j > 0 && r.Values[j-1] > v {
			ordered = false
		}
	}
	if !ordered {
		errs = append(errs, InvalidError(values, r.Values, "must be ordered"))
	}
	return errs
}

// validateSuccessPolicy checks the rule count and each rule.
func validateSuccessPolicy(s *JobSpec, fld FieldPath) ErrorList {
	rules := fld.Child("rules")
	var errs ErrorList
	if len(s.SuccessPolicy.Rules) == 0 {
		errs = append(errs, RequiredError(rules, "at least one rules must be specified when the successPolicy is specified"))
	}
	if len(s.SuccessPolicy.Rules) > maxSuccessPolicyRule {
		errs = append(errs, TooManyError(rules, len(s.SuccessPolicy.Rules), maxSuccessPolicyRule))
	}
	for i := range s.SuccessPolicy.Rules {
		errs = append(errs, validateSuccessPolicyRule(s, &s.SuccessPolicy.Rules[i], rules.Index(i))...)
	}
	return errs
}

// validateSuccessPolicyRule checks a rule's indexes and count against completions.
func validateSuccessPolicyRule(s *JobSpec, r *SuccessPolicyRule, fld FieldPath) ErrorList {
	var errs ErrorList
	completions := int32(0)
	if s.Completions != nil {
		completions = *s.Completions
	}
	if r.SucceededCount == nil && r.SucceededIndexes == nil {
		errs = append(errs, RequiredError(fld, "at least one of succeededCount or succeededIndexes must be specified"))
	}
	var total int32
	if r.SucceededIndexes != nil {
		path := fld.Child("succeededIndexes")
		if len(*r.SucceededIndexes) > maxJobSuccessPolicySucceededIndexesLimit {
			errs = append(errs, TooLongError(path, maxJobSuccessPolicySucceededIndexesLimit))
		}
		var err error
		if total, err = validateIndexesFormat(*r.SucceededIndexes, completions); err != nil {
			errs = append(errs, InvalidError(path, *r.SucceededIndexes, "error parsing succeededIndexes: "+err.Error()))
		}
	}
	if r.SucceededCount != nil {
		path := fld.Child("succeededCount")
		if *r.SucceededCount < 0 {
			errs = append(errs, InvalidError(path, *r.SucceededCount, isNegativeErrorMsg))
		}
		if *r.SucceededCount > completions {
			errs = append(errs, InvalidError(path, *r.SucceededCount, fmt.Sprintf(
				"must be less than or equal to %d (the number of specified completions)", completions)))
		}
		if r.SucceededIndexes != nil && *r.SucceededCount > total {
			errs = append(errs, InvalidError(path, *r.SucceededCount, fmt.Sprintf(
				"must be less than or equal to %d (the number of indexes in the specified succeededIndexes field)", total)))
		}
	}
	return errs
}

// validateIndexesFormat checks an index list like "0,2-4": increasing
// intervals of indexes below completions. It returns how many indexes it holds.
func validateIndexesFormat(indexes string, completions int32) (int32, error) {
	if indexes == "" {
		return 0, nil
	}
	var last *int32
	var total int32
	for _, part := range strings.Split(indexes, ",") {
		x, y, err := parseIndexInterval(part, completions)
		if err != nil {
			return 0, err
		}
		if last != nil && *last >= x {
			return 0, fmt.Errorf("non-increasing order, previous: %d, current: %d", *last, x)
		}
		total += y - x + 1
		last = &y
	}
	return total, nil
}

// parseIndexInterval parses "x" or "x-y" with x < y < completions.
func parseIndexInterval(s string, completions int32) (int32, int32, error) {
	limits := strings.Split(s, "-")
	if len(limits) > 2 {
		return 0, 0, fmt.Errorf("the fragment %q violates the requirement that an index interval can have at most two parts separated by '-'", s)
	}
	x, err := strconv.Atoi(limits[0])
	if err != nil {
		return 0, 0, fmt.Errorf("cannot convert string to integer for index: %q", limits[0])
	}
	if x >= int(completions) {
		return 0, 0, fmt.Errorf("too large index: %q", limits[0])
	}
	if len(limits) == 1 {
		return int32(x), int32(x), nil
	}
	y, err := strconv.Atoi(limits[1])
	if err != nil {
		return 0, 0, fmt.Errorf("cannot convert string to integer for index: %q", limits[1])
	}
	if y >= int(completions) {
		return 0, 0, fmt.Errorf("too large index: %q", limits[1])
	}
	if x >= y {
		return 0, 0, fmt.Errorf("non-increasing order, previous: %d, current: %d", x, y)
	}
	return int32(x), int32(y), nil
}

// validateJobUpdate is the Job strategies' ValidateUpdate: the new Job
// must be valid, its immutable spec fields unchanged, and its status
// transition allowed. The store does not say which endpoint an update
// came through; the main endpoint keeps the stored status and the status
// endpoint the stored spec, so each half's checks pass on the half that
// did not change.
func validateJobUpdate(j, old *Job) ErrorList {
	opts := updateOptions(old)
	errs := validateJob(j, opts)
	errs = append(errs, validateJobSpecUpdate(&j.Spec, &old.Spec, "spec", opts)...)
	return append(errs, validateJobStatusUpdate(j, old)...)
}

// updateOptions is the strategy's validationOptionsForJob for an update of old.
func updateOptions(old *Job) jobValidationOptions {
	_, hadName := old.Spec.Template.Labels[JobNameLabel]
	_, hadUID := old.Spec.Template.Labels[ControllerUIDLabel]
	suspended := old.Spec.Suspend != nil && *old.Spec.Suspend
	quiet := old.Status.StartTime == nil || JobConditionTrue(old.Status.Conditions, JobSuspended)
	return jobValidationOptions{
		requirePrefixedLabels: hadName && hadUID,
		// Scheduling directives and resources of a suspended Job that runs
		// nothing (MutableSchedulingDirectivesForSuspendedJobs and
		// MutablePodResourcesForSuspendedJobs, beta in 1.36).
		allowMutableTemplate: suspended && old.Status.Active == 0 && quiet,
	}
}

// validateJobSpecUpdate checks the immutable fields (ValidateJobSpecUpdate).
func validateJobSpecUpdate(s, old *JobSpec, fld FieldPath, opts jobValidationOptions) ErrorList {
	errs := validateCompletionsUpdate(s, old, fld.Child("completions"))
	errs = append(errs, validateImmutable(s.Selector, old.Selector, fld.Child("selector"))...)
	errs = append(errs, validateTemplateUpdate(&s.Template, &old.Template, fld.Child("template"), opts)...)
	for _, f := range []struct {
		name     string
		now, was any
	}{
		{"completionMode", s.CompletionMode, old.CompletionMode},
		{"podFailurePolicy", s.PodFailurePolicy, old.PodFailurePolicy},
		{"backoffLimitPerIndex", s.BackoffLimitPerIndex, old.BackoffLimitPerIndex},
		{"managedBy", s.ManagedBy, old.ManagedBy},
		{"successPolicy", s.SuccessPolicy, old.SuccessPolicy},
	} {
		errs = append(errs, validateImmutable(f.now, f.was, fld.Child(f.name))...)
	}
	return errs
}

// validateCompletionsUpdate allows completions to change only on an
// Indexed Job, and only to the new parallelism (elastic Indexed Jobs).
func validateCompletionsUpdate(s, old *JobSpec, fld FieldPath) ErrorList {
	if !isIndexed(s) {
		return validateImmutable(s.Completions, old.Completions, fld)
	}
	if semanticDeepEqual(s.Completions, old.Completions) || s.Completions == nil {
		return nil
	}
	if s.Parallelism == nil || *s.Completions != *s.Parallelism {
		return ErrorList{InvalidError(fld, s.Completions, "can only be modified in tandem with spec.parallelism")}
	}
	return nil
}

// validateTemplateUpdate keeps the template immutable, except for the
// scheduling directives and resources of a suspended Job that runs nothing.
func validateTemplateUpdate(t, old *PodTemplateSpec, fld FieldPath, opts jobValidationOptions) ErrorList {
	was := old
	if opts.allowMutableTemplate {
		was = old.DeepCopy()
		was.Labels, was.Annotations = t.Labels, t.Annotations
		was.Spec.NodeSelector, was.Spec.Tolerations = t.Spec.NodeSelector, t.Spec.Tolerations
		copyResources(was.Spec.Containers, t.Spec.Containers)
		copyResources(was.Spec.InitContainers, t.Spec.InitContainers)
	}
	return validateImmutable(*t, *was, fld)
}

// copyResources gives each container in dst the resources of the container
// of the same name in src.
func copyResources(dst, src []Container) {
	for i := range dst {
		for _, c := range src {
			if c.Name == dst[i].Name {
				dst[i].Resources = *c.Resources.DeepCopy()
			}
		}
	}
}
