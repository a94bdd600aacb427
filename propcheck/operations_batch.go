package propcheck

import (
	"fmt"
	"strings"

	"pgregory.net/rapid"
)

// jobPodSleeps are how long a Job's pod works, in seconds: from a blink to
// 20 minutes, so that some pods outlive the settling at a run's end.
var jobPodSleeps = []int{1, 5, 30, 90, 600, 1200}

// drawJobPod draws a Job's pod: a shell that works a while and exits 0 or 1.
func drawJobPod(t *rapid.T, sleeps []int) podChoice {
	return podChoice{
		image: "busybox:1.36",
		command: fmt.Sprintf("echo run; sleep %d; exit %d",
			rapid.SampledFrom(sleeps).Draw(t, "sleep"), rapid.SampledFrom([]int{0, 0, 0, 1}).Draw(t, "exit")),
		readyAfter: -1,
		cpu:        drawCPU(t),
		grace:      rapid.SampledFrom([]int{-1, 2}).Draw(t, "grace"),
		restart:    rapid.SampledFrom([]string{"Never", "OnFailure"}).Draw(t, "restartPolicy"),
		tolerate:   drawTolerate(t),
	}
}

// drawJobSpec draws the fields of a Job's spec before its template, at the
// given indentation: parallelism, completions (Indexed or not), the
// backoff limit, sometimes a deadline, a TTL, or a suspended start.
func drawJobSpec(t *rapid.T, indent int, batch bool) string {
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	fmt.Fprintf(&b, "%sparallelism: %d\n%sbackoffLimit: %d\n", pad, rapid.IntRange(1, 3).Draw(t, "parallelism"),
		pad, rapid.IntRange(0, 3).Draw(t, "backoffLimit"))
	if completions := rapid.IntRange(0, 4).Draw(t, "completions"); completions > 0 { // 0: unset
		fmt.Fprintf(&b, "%scompletions: %d\n", pad, completions)
		if rapid.Bool().Draw(t, "indexed") {
			fmt.Fprintf(&b, "%scompletionMode: Indexed\n", pad)
		}
	}
	if rapid.IntRange(0, 3).Draw(t, "deadline?") == 0 {
		fmt.Fprintf(&b, "%sactiveDeadlineSeconds: %d\n", pad, rapid.IntRange(10, 200).Draw(t, "deadline"))
	}
	if rapid.IntRange(0, 3).Draw(t, "ttl?") == 0 {
		fmt.Fprintf(&b, "%sttlSecondsAfterFinished: %d\n", pad, rapid.SampledFrom([]int{0, 10, 100}).Draw(t, "ttl"))
	}
	if batch && rapid.IntRange(0, 5).Draw(t, "suspended?") == 0 {
		fmt.Fprintf(&b, "%ssuspend: true\n", pad)
	}
	return b.String()
}

func createJob(s *Scenario) {
	t := s.T
	name := s.NewName("job")
	spec := drawJobSpec(t, 2, true)
	pod := drawJobPod(t, jobPodSleeps)
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: batch/v1
kind: Job
metadata:
  name: %s
spec:
%s  template:
    spec:
%s`, name, spec, pod.yaml(6)))
	s.Add(nameJob, name)
}

// patchJob suspends or resumes a Job, or changes its parallelism.
func patchJob(s *Scenario) {
	name := s.Pick(nameJob)
	var patch string
	switch rapid.SampledFrom([]string{"suspend", "resume", "parallelism"}).Draw(s.T, "change") {
	case "suspend":
		patch = `{"spec":{"suspend":true}}`
	case "resume":
		patch = `{"spec":{"suspend":false}}`
	default:
		patch = fmt.Sprintf(`{"spec":{"parallelism":%d}}`, rapid.IntRange(0, 4).Draw(s.T, "parallelism"))
	}
	s.Do(fmt.Sprintf("kubectl patch job %s -p '%s'", name, patch))
}

// createCronJob makes a CronJob of a frequent schedule, any concurrency
// policy and history limits, whose Jobs may run longer than its period.
func createCronJob(s *Scenario) {
	t := s.T
	name := s.NewName("cron")
	var spec strings.Builder
	fmt.Fprintf(&spec, "  schedule: %q\n  concurrencyPolicy: %s\n",
		rapid.SampledFrom([]string{"*/1 * * * *", "*/1 * * * *", "*/2 * * * *", "*/5 * * * *"}).Draw(t, "schedule"),
		rapid.SampledFrom([]string{"Allow", "Forbid", "Replace"}).Draw(t, "concurrencyPolicy"))
	if rapid.IntRange(0, 5).Draw(t, "suspended?") == 0 {
		spec.WriteString("  suspend: true\n")
	}
	if l := rapid.IntRange(-1, 3).Draw(t, "successfulJobsHistoryLimit"); l >= 0 {
		fmt.Fprintf(&spec, "  successfulJobsHistoryLimit: %d\n", l)
	}
	if l := rapid.IntRange(-1, 2).Draw(t, "failedJobsHistoryLimit"); l >= 0 {
		fmt.Fprintf(&spec, "  failedJobsHistoryLimit: %d\n", l)
	}
	if rapid.IntRange(0, 3).Draw(t, "startingDeadline?") == 0 {
		fmt.Fprintf(&spec, "  startingDeadlineSeconds: %d\n", rapid.SampledFrom([]int{10, 30, 200}).Draw(t, "startingDeadlineSeconds"))
	}
	job := drawJobSpec(t, 6, false)
	pod := drawJobPod(t, []int{5, 30, 90, 200})
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: batch/v1
kind: CronJob
metadata:
  name: %s
spec:
%s  jobTemplate:
    spec:
%s      template:
        spec:
%s`, name, spec.String(), job, pod.yaml(10)))
	s.Add(nameCronJob, name)
}

// patchCronJob suspends or resumes a CronJob, or changes its concurrency
// policy.
func patchCronJob(s *Scenario) {
	name := s.Pick(nameCronJob)
	var patch string
	switch change := rapid.SampledFrom([]string{"suspend", "resume", "policy"}).Draw(s.T, "change"); change {
	case "suspend", "resume":
		patch = fmt.Sprintf(`{"spec":{"suspend":%t}}`, change == "suspend")
	default:
		patch = fmt.Sprintf(`{"spec":{"concurrencyPolicy":"%s"}}`,
			rapid.SampledFrom([]string{"Allow", "Forbid", "Replace"}).Draw(s.T, "concurrencyPolicy"))
	}
	s.Do(fmt.Sprintf("kubectl patch cronjob %s -p '%s'", name, patch))
}
