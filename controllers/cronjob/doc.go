// Package cronjob models kube-controller-manager's CronJob controller v2
// (pkg/controller/cronjob, cronjob_controllerv2.go and utils.go, 1.37) as a
// pure reconcile function.
//
// # Scheduling
//
// Schedules are parsed with robfig/cron/v3's standard parser, the pure core
// upstream uses; its goroutine runner is never started. Time only arrives
// as Reconcile's now argument. The schedule arithmetic is upstream's, quirks
// included: [mostRecentScheduleTime] estimates the number of missed slots
// from the gap between the first two (more than 100 warns
// TooManyMissedTimes, and the job still starts), only the most recent
// missed slot is started, startingDeadlineSeconds narrows the window that
// is searched, and a sync asks to run again 100ms after the next slot.
//
// # Time zones
//
// A CronJob with spec.timeZone is scheduled in that IANA zone (the
// schedule becomes "TZ=<zone> <schedule>", as upstream formats it). One
// without is scheduled in the controller manager's local zone, which in a
// simulation is a setting ([New]'s loc, UTC when nil).
//
// # Writes
//
// One reconcile returns upstream's one sync as actions in upstream's
// order: history-limit deletes, Replace deletes, the Job create, and one
// status write. The status write names the created Job by uid and
// resourceVersion, which only the store knows: the create's Then fills
// them into the status object the later action writes.
//
// # Imports and determinism
//
// It imports controllers, storage (the read side), objects and
// robfig/cron/v3. No wall clock, no goroutines, no map order in output.
package cronjob
