package job

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/objects"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// IJ: orderedIntervals.String and parseIndexesFromString.
func TestIntervals(t *testing.T) {
	tests := []struct {
		indexes []int
		want    string
	}{
		{nil, ""},
		{[]int{0}, "0"},
		{[]int{0, 1}, "0,1"},
		{[]int{0, 1, 2}, "0-2"},
		{[]int{2, 4, 5, 7, 8, 9}, "2,4,5,7-9"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			got := intervals(nil).withIndexes(tc.indexes)
			assert.Equal(t, tc.want, got.String())
			assert.Equal(t, len(tc.indexes), got.total())
			assert.Equal(t, got, parseIntervals(tc.want, 10), "parsing round-trips")
		})
	}
	merged := parseIntervals("0-2,7", 10).merge(parseIntervals("3,5,8-9", 10))
	assert.Equal(t, "0-3,5,7-9", merged.String())
	assert.True(t, merged.has(3))
	assert.False(t, merged.has(6))
	assert.Equal(t, "1-3", parseIntervals("1-5,8", 4).String(), "indexes at or above completions are dropped")
}

// BU: 10s doubling per consecutive failure, capped at 10 minutes.
func TestBackoffDelay(t *testing.T) {
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second,
		160 * time.Second, 320 * time.Second, 600 * time.Second, 600 * time.Second}
	for i, w := range want {
		assert.Equal(t, w, backoffDelay(int32(i+1)), "failures=%d", i+1)
	}
	last := t0
	assert.Equal(t, 7*time.Second, remainingBackoff(t0.Add(3*time.Second), 1, &last))
	assert.Equal(t, time.Duration(0), remainingBackoff(t0.Add(11*time.Second), 1, &last))
	assert.Equal(t, time.Duration(0), remainingBackoff(t0, 0, nil))
}

func podFinishedAt(name, phase string, at time.Time) *objects.Pod {
	return &objects.Pod{ObjectMeta: objects.ObjectMeta{Name: name}, Status: objects.PodStatus{Phase: phase,
		ContainerStatuses: []objects.ContainerStatus{{State: objects.ContainerState{
			Terminated: &objects.ContainerStateTerminated{FinishedAt: objects.NewTime(at)}}}}}}
}

// BU: newBackoffRecord — a success resets the count, and only failures
// strictly after the latest success count.
func TestNextBackoffRecord(t *testing.T) {
	fail1 := podFinishedAt("f1", objects.PodFailed, t0)
	fail2 := podFinishedAt("f2", objects.PodFailed, t0.Add(20*time.Second))
	ok := podFinishedAt("s", objects.PodSucceeded, t0.Add(10*time.Second))

	rec := nextBackoffRecord(backoffRecord{failuresAfterLastSuccess: 2}, nil, []*objects.Pod{fail2, fail1})
	assert.Equal(t, int32(4), rec.failuresAfterLastSuccess)
	assert.Equal(t, t0.Add(20*time.Second), *rec.lastFailureTime)

	rec = nextBackoffRecord(backoffRecord{failuresAfterLastSuccess: 2}, []*objects.Pod{ok}, []*objects.Pod{fail1, fail2})
	assert.Equal(t, int32(1), rec.failuresAfterLastSuccess)
	assert.Equal(t, t0.Add(20*time.Second), *rec.lastFailureTime)

	rec = nextBackoffRecord(backoffRecord{failuresAfterLastSuccess: 5}, []*objects.Pod{ok}, nil)
	assert.Equal(t, backoffRecord{}, rec)
}

func TestWantActive(t *testing.T) {
	job := func(parallelism int32, completions *int32) *objects.Job {
		return &objects.Job{Spec: objects.JobSpec{Parallelism: &parallelism, Completions: completions}}
	}
	five := int32(5)
	assert.Equal(t, int32(2), wantActive(job(2, &five), 0, 0))
	assert.Equal(t, int32(1), wantActive(job(2, &five), 4, 2), "remaining completions cap it")
	assert.Equal(t, int32(0), wantActive(job(2, &five), 7, 0), "never negative")
	assert.Equal(t, int32(3), wantActive(job(3, nil), 0, 1), "work queue: parallelism until a success")
	assert.Equal(t, int32(1), wantActive(job(3, nil), 1, 1), "then whatever runs")
}

// CU: ActivePods.Less — unscheduled, pending, not ready, recently ready,
// more restarts, newer go first.
func TestSortActivePods(t *testing.T) {
	mk := func(name, node, phase string, ready bool, readySince time.Time, restarts int32, created time.Time) *objects.Pod {
		p := &objects.Pod{ObjectMeta: objects.ObjectMeta{Name: name, CreationTimestamp: objects.NewTime(created)},
			Spec: objects.PodSpec{NodeName: node}, Status: objects.PodStatus{Phase: phase,
				ContainerStatuses: []objects.ContainerStatus{{RestartCount: restarts}}}}
		if ready {
			p.Status.Conditions = []objects.PodCondition{{Type: objects.PodReady, Status: objects.ConditionTrue, LastTransitionTime: objects.NewTime(readySince)}}
		}
		return p
	}
	pods := []*objects.Pod{
		mk("old-ready", "n", objects.PodRunning, true, t0, 0, t0),
		mk("new-ready", "n", objects.PodRunning, true, t0.Add(time.Minute), 0, t0),
		mk("restarted", "n", objects.PodRunning, false, t0, 3, t0),
		mk("running-old", "n", objects.PodRunning, false, t0, 0, t0),
		mk("running-new", "n", objects.PodRunning, false, t0, 0, t0.Add(time.Second)),
		mk("pending", "n", objects.PodPending, false, t0, 0, t0),
		mk("unscheduled", "", objects.PodPending, false, t0, 0, t0),
	}
	sortActivePods(pods)
	var names []string
	for _, p := range pods {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"unscheduled", "pending", "restarted", "running-new", "running-old", "new-ready", "old-ready"}, names)
}

// IJ: podGenerateNameWithIndex keeps "-<index>-" when it cuts the name.
func TestPodGenerateNameWithIndex(t *testing.T) {
	assert.Equal(t, "indexed-job-1-", podGenerateNameWithIndex("indexed-job", 1))
	long := strings.Repeat("a", 60)
	got := podGenerateNameWithIndex(long, 12)
	assert.Len(t, got, maxGeneratedNameLength)
	assert.True(t, strings.HasSuffix(got, "-12-"))
}

// SP: matchSuccessPolicy.
func TestMatchSuccessPolicy(t *testing.T) {
	count := func(n int32) *int32 { return &n }
	idx := func(s string) *string { return &s }
	policy := &objects.SuccessPolicy{Rules: []objects.SuccessPolicyRule{
		{SucceededIndexes: idx("0-2"), SucceededCount: count(2)},
		{SucceededCount: count(4)},
	}}
	tests := []struct {
		succeeded string
		want      string
	}{
		{"", ""},
		{"0", ""},
		{"0,2", "Matched rules at index 0"},
		{"3-6", "Matched rules at index 1"},
	}
	for _, tc := range tests {
		msg, met := matchSuccessPolicy(policy, 10, parseIntervals(tc.succeeded, 10))
		assert.Equal(t, tc.want, msg, tc.succeeded)
		assert.Equal(t, tc.want != "", met)
	}
}
