package printers

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Job: `kubectl get jobs` columns and `kubectl describe job`
// (printers.go printJob, describe.go describeJob).
func init() {
	register("Job", kindPrinter{
		columns: []column{
			{name: "Name", isName: true},
			{name: "Status"},
			{name: "Completions"},
			{name: "Duration"},
			{name: "Age"},
			{name: "Containers", wide: true},
			{name: "Images", wide: true},
			{name: "Selector", wide: true},
		},
		row:      typedRow(jobRow),
		describe: typedDescribe(describeJob),
	})
}

// jobRow is upstream's printJob with options.Wide, as the apiserver
// generates it.
func jobRow(job *objects.Job, now time.Time) []string {
	names, images := containersAndImages(job.Spec.Template.Spec.Containers)
	return []string{job.Name, JobDisplayStatus(job), jobCompletions(job), jobDuration(job, now),
		since(job.CreationTimestamp, now), names, images, objects.FormatLabelSelector(job.Spec.Selector)}
}

// JobDisplayStatus returns what the STATUS column of `kubectl get jobs`
// shows for job, the first that applies of: "Complete", "Failed",
// "Terminating" (a deletion timestamp), "Suspended", "FailureTarget",
// "SuccessCriteriaMet" and "Running". Like upstream's hasJobCondition, it
// looks only at the first condition of each type.
func JobDisplayStatus(job *objects.Job) string {
	if job == nil {
		return ""
	}
	conds := job.Status.Conditions
	switch {
	case objects.JobConditionTrue(conds, objects.JobComplete):
		return "Complete"
	case objects.JobConditionTrue(conds, objects.JobFailed):
		return "Failed"
	case job.DeletionTimestamp != nil:
		return "Terminating"
	case objects.JobConditionTrue(conds, objects.JobSuspended):
		return "Suspended"
	case objects.JobConditionTrue(conds, objects.JobFailureTarget):
		return "FailureTarget"
	case objects.JobConditionTrue(conds, objects.JobSuccessCriteriaMet):
		return "SuccessCriteriaMet"
	}
	return "Running"
}

// jobCompletions is the COMPLETIONS cell: "succeeded/completions", or for
// a work-queue Job (no completions) "succeeded/1 of parallelism" when more
// than one pod runs at once and "succeeded/1" otherwise.
func jobCompletions(job *objects.Job) string {
	if job.Spec.Completions != nil {
		return fmt.Sprintf("%d/%d", job.Status.Succeeded, *job.Spec.Completions)
	}
	var parallelism int32
	if job.Spec.Parallelism != nil {
		parallelism = *job.Spec.Parallelism
	}
	if parallelism > 1 {
		return fmt.Sprintf("%d/1 of %d", job.Status.Succeeded, parallelism)
	}
	return fmt.Sprintf("%d/1", job.Status.Succeeded)
}

// jobDuration is the DURATION cell: empty before the Job started, the time
// since it started while it has no completion time (a Failed Job's keeps
// growing), and the time it took once it completed.
func jobDuration(job *objects.Job, now time.Time) string {
	switch start, end := job.Status.StartTime, job.Status.CompletionTime; {
	case start == nil:
		return ""
	case end == nil:
		return HumanDuration(now.Sub(start.Time))
	default:
		return HumanDuration(end.Sub(start.Time))
	}
}

// completedIndexesSoftLimit is where describe starts looking for a comma
// to cut the Completed Indexes list at.
const completedIndexesSoftLimit = 50

// describeJob follows describe.go describeJob. Like upstream, it prints
// Completed Indexes for an Indexed Job but not status.failedIndexes.
func describeJob(w *prefixWriter, job *objects.Job, opts DescribeOptions) error {
	w.write(0, "Name:\t%s\n", job.Name)
	w.write(0, "Namespace:\t%s\n", job.Namespace)
	printJobSelector(w, job.Spec.Selector)
	printLabelsMultiline(w, "Labels", job.Labels)
	printAnnotationsMultiline(w, "Annotations", job.Annotations)
	printControlledBy(w, &job.ObjectMeta)
	spec, status := &job.Spec, &job.Status
	if spec.Parallelism != nil {
		w.write(0, "Parallelism:\t%d\n", *spec.Parallelism)
	}
	if spec.Completions != nil {
		w.write(0, "Completions:\t%d\n", *spec.Completions)
	} else {
		w.write(0, "Completions:\t<unset>\n")
	}
	if spec.CompletionMode != nil {
		w.write(0, "Completion Mode:\t%s\n", *spec.CompletionMode)
	}
	if spec.Suspend != nil {
		w.write(0, "Suspend:\t%v\n", *spec.Suspend)
	}
	if spec.BackoffLimit != nil {
		w.write(0, "Backoff Limit:\t%v\n", *spec.BackoffLimit)
	}
	if spec.TTLSecondsAfterFinished != nil {
		w.write(0, "TTL Seconds After Finished:\t%v\n", *spec.TTLSecondsAfterFinished)
	}
	if status.StartTime != nil {
		w.write(0, "Start Time:\t%s\n", rfc1123z(*status.StartTime))
	}
	if status.CompletionTime != nil {
		w.write(0, "Completed At:\t%s\n", rfc1123z(*status.CompletionTime))
	}
	if status.StartTime != nil && status.CompletionTime != nil {
		w.write(0, "Duration:\t%s\n", HumanDuration(status.CompletionTime.Sub(status.StartTime.Time)))
	}
	if spec.ActiveDeadlineSeconds != nil {
		w.write(0, "Active Deadline Seconds:\t%ds\n", *spec.ActiveDeadlineSeconds)
	}
	if status.Ready == nil {
		w.write(0, "Pods Statuses:\t%d Active / %d Succeeded / %d Failed\n", status.Active, status.Succeeded, status.Failed)
	} else {
		w.write(0, "Pods Statuses:\t%d Active (%d Ready) / %d Succeeded / %d Failed\n",
			status.Active, *status.Ready, status.Succeeded, status.Failed)
	}
	if spec.CompletionMode != nil && *spec.CompletionMode == objects.IndexedCompletion {
		w.write(0, "Completed Indexes:\t%s\n", capIndexesListOrNone(status.CompletedIndexes, completedIndexesSoftLimit))
	}
	describePodTemplate(w, &spec.Template.ObjectMeta, &spec.Template.Spec)
	describeEventsUnlessHidden(w, opts)
	return nil
}

// capIndexesListOrNone returns indexes ("0-3,7,9-12"), "<none>" when it is
// empty, or, when it is long, its part up to the first comma at or after
// softLimit bytes followed by "...", as describe.go does.
func capIndexesListOrNone(indexes string, softLimit int) string {
	if indexes == "" {
		return "<none>"
	}
	ix := softLimit
	for ; ix < len(indexes); ix++ {
		if indexes[ix] == ',' {
			break
		}
	}
	if ix >= len(indexes) {
		return indexes
	}
	return indexes[:ix+1] + "..."
}

// printJobSelector writes a Job's Selector line as describeJob and
// describeJobTemplate do, or why the selector cannot be read.
func printJobSelector(w *prefixWriter, ls *objects.LabelSelector) {
	if selector, err := objects.LabelSelectorAsSelector(ls); err == nil {
		w.write(0, "Selector:\t%s\n", selector.String())
	} else {
		w.write(0, "Selector:\tFailed to get selector: %s\n", err)
	}
}
