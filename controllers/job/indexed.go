package job

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// Indexed Jobs, after upstream's indexed_job_utils.go.

// unknownIndex is the index of a pod without a valid completion index.
const unknownIndex = -1

// completionIndexEnv is the variable Indexed pods read their index from.
const completionIndexEnv = "JOB_COMPLETION_INDEX"

// maxGeneratedNameLength is the longest generateName the store keeps
// whole (63 characters less the 5 random ones).
const maxGeneratedNameLength = 58

// interval is a run of indexes, First to Last inclusive.
type interval struct{ First, Last int }

// intervals is a sorted list of disjoint, non-adjacent runs: the form of
// status.completedIndexes and status.failedIndexes.
type intervals []interval

// withIndexes returns oi with the increasing indexes added.
func (oi intervals) withIndexes(indexes []int) intervals {
	add := make(intervals, len(indexes))
	for i, x := range indexes {
		add[i] = interval{x, x}
	}
	return oi.merge(add)
}

// merge returns the union of two interval lists.
func (oi intervals) merge(other intervals) intervals {
	var out intervals
	appendRun := func(r interval) {
		if n := len(out); n > 0 && r.First <= out[n-1].Last+1 {
			out[n-1].Last = max(out[n-1].Last, r.Last)
			return
		}
		out = append(out, r)
	}
	i, j := 0, 0
	for i < len(oi) && j < len(other) {
		if oi[i].First < other[j].First {
			appendRun(oi[i])
			i++
		} else {
			appendRun(other[j])
			j++
		}
	}
	for ; i < len(oi); i++ {
		appendRun(oi[i])
	}
	for ; j < len(other); j++ {
		appendRun(other[j])
	}
	return out
}

// total counts the indexes in oi.
func (oi intervals) total() int {
	n := 0
	for _, r := range oi {
		n += r.Last - r.First + 1
	}
	return n
}

// has reports whether ix is in oi.
func (oi intervals) has(ix int) bool {
	k := sort.Search(len(oi), func(i int) bool { return oi[i].Last >= ix })
	return k < len(oi) && oi[k].First <= ix
}

// String prints oi as upstream does: runs of three or more as "a-b", two
// adjacent indexes as "a,b": {2,4,5,7,8,9} is "2,4,5,7-9".
func (oi intervals) String() string {
	var b strings.Builder
	for _, r := range oi {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(r.First))
		switch {
		case r.Last == r.First+1:
			b.WriteString("," + strconv.Itoa(r.Last))
		case r.Last > r.First:
			b.WriteString("-" + strconv.Itoa(r.Last))
		}
	}
	return b.String()
}

// parseIntervals reads an index list, dropping indexes at or above
// completions and skipping corrupt parts, as upstream's
// parseIndexesFromString does.
func parseIntervals(s string, completions int) intervals {
	if s == "" {
		return nil
	}
	var out intervals
	for _, part := range strings.Split(s, ",") {
		limits := strings.Split(part, "-")
		first, err := strconv.Atoi(limits[0])
		if err != nil {
			continue
		}
		if first >= completions {
			break
		}
		last := first
		if len(limits) > 1 {
			if last, err = strconv.Atoi(limits[1]); err != nil {
				continue
			}
			last = min(last, completions-1)
		}
		if n := len(out); n > 0 && out[n-1].Last == first-1 {
			out[n-1].Last = last
		} else {
			out = append(out, interval{first, last})
		}
	}
	return out
}

// completionIndex returns the pod's batch.kubernetes.io/job-completion-index
// annotation, or unknownIndex when it is missing, malformed or negative.
func completionIndex(p *objects.Pod) int {
	v, ok := p.Annotations[objects.JobCompletionIndexAnnotation]
	if !ok {
		return unknownIndex
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		return unknownIndex
	}
	return i
}

// validIndex reports whether the pod has an index below completions.
func validIndex(p *objects.Pod, completions int32) bool {
	ix := completionIndex(p)
	return ix != unknownIndex && ix < int(completions)
}

// indexesOf returns the set of known indexes of pods, sorted.
func indexesOf(pods []*objects.Pod) []int {
	seen := map[int]bool{}
	var out []int
	for _, p := range pods {
		if ix := completionIndex(p); ix != unknownIndex && !seen[ix] {
			seen[ix] = true
			out = append(out, ix)
		}
	}
	sort.Ints(out)
	return out
}

// sortByIndex orders pods by completion index, keeping the given order among equals.
func sortByIndex(pods []*objects.Pod) {
	sort.SliceStable(pods, func(i, j int) bool { return completionIndex(pods[i]) < completionIndex(pods[j]) })
}

// annotationInt32 reads a non-negative int32 annotation, 0 when missing or invalid.
func annotationInt32(p *objects.Pod, key string) int32 {
	v, ok := p.Annotations[key]
	if !ok {
		return 0
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 || i > math.MaxInt32 {
		return 0
	}
	return int32(i)
}

// indexFailureCount is the pod's job-index-failure-count annotation.
func indexFailureCount(p *objects.Pod) int32 {
	return annotationInt32(p, objects.JobIndexFailureCountAnnotation)
}

// indexAbsoluteFailureCount adds the ignored failures to the counted ones.
func indexAbsoluteFailureCount(p *objects.Pod) int32 {
	return indexFailureCount(p) + annotationInt32(p, objects.JobIndexIgnoredFailureCountAnnotation)
}

// podGenerateNameWithIndex is "<job>-<index>-", the job name cut so that
// the whole stays within 58 characters.
func podGenerateNameWithIndex(job string, index int) string {
	suffix := "-" + strconv.Itoa(index) + "-"
	prefix := job + suffix
	if len(prefix) > maxGeneratedNameLength {
		prefix = prefix[:maxGeneratedNameLength-len(suffix)] + suffix
	}
	return prefix
}

// addCompletionIndexEnv gives every container JOB_COMPLETION_INDEX from the
// pod's completion-index label, unless the container defines it.
func addCompletionIndexEnv(spec *objects.PodSpec) {
	for _, cs := range [][]objects.Container{spec.InitContainers, spec.Containers} {
		for i := range cs {
			addCompletionIndexEnvVar(&cs[i])
		}
	}
}

// addCompletionIndexEnvVar adds the variable to one container.
func addCompletionIndexEnvVar(c *objects.Container) {
	for _, e := range c.Env {
		if e.Name == completionIndexEnv {
			return
		}
	}
	c.Env = append(c.Env, objects.EnvVar{Name: completionIndexEnv, ValueFrom: &objects.EnvVarSource{
		FieldRef: &objects.ObjectFieldSelector{APIVersion: "v1",
			FieldPath: "metadata.labels['" + objects.JobCompletionIndexAnnotation + "']"},
	}})
}

// firstPendingIndexes returns up to count indexes below completions that
// no active pod holds and that neither succeeded nor failed (nor, when only
// failed pods are replaced, are held by a terminating pod).
func (s *syncer) firstPendingIndexes(count int) []int {
	if count == 0 {
		return nil
	}
	taken := s.succeededIdx.withIndexes(indexesOf(s.active))
	if onlyReplaceFailedPods(s.job) {
		taken = taken.withIndexes(indexesOf(terminatingPods(s.pods)))
	}
	if s.failedIdx != nil {
		taken = taken.merge(*s.failedIdx)
	}
	completions := int(completionsOf(s.job))
	var out []int
	candidate := 0
	for _, r := range taken {
		for ; candidate < completions && len(out) < count && candidate < r.First; candidate++ {
			out = append(out, candidate)
		}
		candidate = max(candidate, r.Last+1)
	}
	for ; candidate < completions && len(out) < count; candidate++ {
		out = append(out, candidate)
	}
	return out
}

// duplicatedIndexPodsForRemoval splits active pods of an Indexed Job into
// those to remove (no or invalid index, index at or above completions, all
// but the most progressed pod of a repeated index) and the rest.
func duplicatedIndexPodsForRemoval(pods []*objects.Pod, completions int) (rm, left []*objects.Pod) {
	sorted := append([]*objects.Pod(nil), pods...)
	sortByIndex(sorted)
	start := 0
	for i := 1; i <= len(sorted); i++ {
		if i < len(sorted) && completionIndex(sorted[i]) == completionIndex(sorted[start]) {
			continue
		}
		group := sorted[start:i]
		switch ix := completionIndex(group[0]); {
		case ix == unknownIndex || ix >= completions:
			rm = append(rm, group...)
		case len(group) == 1:
			left = append(left, group[0])
		default:
			sortActivePods(group)
			rm = append(rm, group[:len(group)-1]...)
			left = append(left, group[len(group)-1])
		}
		start = i
	}
	return rm, left
}
