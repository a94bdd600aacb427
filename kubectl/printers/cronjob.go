package printers

import (
	"strconv"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// CronJob: `kubectl get cronjobs` columns and `kubectl describe cronjob`
// (printers.go printCronJob, describe.go describeCronJob).
func init() {
	register("CronJob", kindPrinter{
		columns: []column{
			{name: "Name", isName: true},
			{name: "Schedule"},
			{name: "Timezone"},
			{name: "Suspend"},
			{name: "Active"},
			{name: "Last Schedule"},
			{name: "Age"},
			{name: "Containers", wide: true},
			{name: "Images", wide: true},
			{name: "Selector", wide: true},
		},
		row:      typedRow(cronJobRow),
		describe: typedDescribe(describeCronJob),
	})
}

// cronJobRow is upstream's printCronJob with options.Wide.
func cronJobRow(cj *objects.CronJob, now time.Time) []string {
	last := "<none>"
	if cj.Status.LastScheduleTime != nil {
		last = since(*cj.Status.LastScheduleTime, now)
	}
	tz := "<none>"
	if cj.Spec.TimeZone != nil {
		tz = *cj.Spec.TimeZone
	}
	tmpl := &cj.Spec.JobTemplate.Spec
	names, images := containersAndImages(tmpl.Template.Spec.Containers)
	return []string{cj.Name, cj.Spec.Schedule, tz, printBoolPtr(cj.Spec.Suspend), strconv.Itoa(len(cj.Status.Active)),
		last, since(cj.CreationTimestamp, now), names, images, objects.FormatLabelSelector(tmpl.Selector)}
}

// printBoolPtr is printers.go printBoolPtr: "<unset>" for nil, else
// "True" or "False".
func printBoolPtr(b *bool) string {
	if b == nil {
		return "<unset>"
	}
	return printBool(*b)
}

// describeCronJob follows describe.go describeCronJob (which prints no
// time zone line).
func describeCronJob(w *prefixWriter, cj *objects.CronJob, opts DescribeOptions) error {
	spec := &cj.Spec
	w.write(0, "Name:\t%s\n", cj.Name)
	w.write(0, "Namespace:\t%s\n", cj.Namespace)
	printLabelsMultiline(w, "Labels", cj.Labels)
	printAnnotationsMultiline(w, "Annotations", cj.Annotations)
	w.write(0, "Schedule:\t%s\n", spec.Schedule)
	w.write(0, "Concurrency Policy:\t%s\n", spec.ConcurrencyPolicy)
	w.write(0, "Suspend:\t%s\n", printBoolPtr(spec.Suspend))
	w.write(0, "Successful Job History Limit:\t%s\n", int32OrUnset(spec.SuccessfulJobsHistoryLimit))
	w.write(0, "Failed Job History Limit:\t%s\n", int32OrUnset(spec.FailedJobsHistoryLimit))
	if spec.StartingDeadlineSeconds != nil {
		w.write(0, "Starting Deadline Seconds:\t%ds\n", *spec.StartingDeadlineSeconds)
	} else {
		w.write(0, "Starting Deadline Seconds:\t<unset>\n")
	}
	describeJobTemplate(w, &spec.JobTemplate)
	if t := cj.Status.LastScheduleTime; t != nil {
		w.write(0, "Last Schedule Time:\t%s\n", rfc1123z(*t))
	} else {
		w.write(0, "Last Schedule Time:\t<unset>\n")
	}
	printActiveJobs(w, "Active Jobs", cj.Status.Active)
	describeEventsUnlessHidden(w, opts)
	return nil
}

// int32OrUnset prints an optional count, "<unset>" when nil.
func int32OrUnset(v *int32) string {
	if v == nil {
		return "<unset>"
	}
	return strconv.Itoa(int(*v))
}

// describeJobTemplate is describe.go describeJobTemplate.
func describeJobTemplate(w *prefixWriter, t *objects.JobTemplateSpec) {
	if t.Spec.Selector != nil {
		printJobSelector(w, t.Spec.Selector)
	} else {
		w.write(0, "Selector:\t<unset>\n")
	}
	w.write(0, "Parallelism:\t%s\n", int32OrUnset(t.Spec.Parallelism))
	w.write(0, "Completions:\t%s\n", int32OrUnset(t.Spec.Completions))
	if ads := t.Spec.ActiveDeadlineSeconds; ads != nil {
		w.write(0, "Active Deadline Seconds:\t%ds\n", *ads)
	}
	describePodTemplate(w, &t.Spec.Template.ObjectMeta, &t.Spec.Template.Spec)
}

// printActiveJobs is describe.go printActiveJobs: the names, comma-separated,
// or "<none>".
func printActiveJobs(w *prefixWriter, title string, jobs []objects.ObjectReference) {
	w.write(0, "%s:\t", title)
	if len(jobs) == 0 {
		w.writeLine("<none>")
		return
	}
	for i, j := range jobs {
		if i != 0 {
			w.write(0, ", ")
		}
		w.write(0, "%s", j.Name)
	}
	w.writeLine("")
}
