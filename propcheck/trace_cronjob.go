package propcheck

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/kubesim/kubesim/controllers/cronjob"
	"github.com/kubesim/kubesim/controllers/endpoints"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// cronJobConcurrency is the trace invariant cronjob-concurrency: when the
// CronJob controller starts a Job, no other Job of the CronJob it ever
// listed as active is still unfinished under Forbid, or unfinished and
// not being deleted under Replace (upstream's syncCronJob: Forbid skips
// the slot while status.active is not empty; Replace deletes every active
// Job first). A Job the controller never listed as active (it crashed
// between the create and the status write, and upstream does not adopt
// such a Job into status.active) is not held against it, nor one listed
// after the view the controller decided on (Change.Seen): upstream has no
// expectations for its CronJobs, so a lagging CronJob informer that lacks
// its own status write starts the next Job beside the active one. The
// policy is the one in that view too: a lagging informer that lacks a
// change of concurrencyPolicy to Forbid or Replace starts the Job as the
// old policy allows, as upstream's controller, reading its lister, does.
type cronJobConcurrency struct {
	listed map[string]int64 // uids of Jobs some CronJob listed as active: the revision that first did
	// policies holds each CronJob's concurrencyPolicy changes, by uid.
	policies map[string][]policyFrom
}

// policyFrom is a concurrencyPolicy and the revision it was written at.
type policyFrom struct {
	rev    int64
	policy string
}

func newCronJobConcurrency() traceCheck {
	return &cronJobConcurrency{listed: map[string]int64{}, policies: map[string][]policyFrom{}}
}

// policyAt returns the CronJob's policy in a view holding revision seen
// (the latest when seen is zero).
func (c *cronJobConcurrency) policyAt(cj *objects.CronJob, seen int64) string {
	policy := cj.Spec.ConcurrencyPolicy
	if seen <= 0 {
		return policy
	}
	for _, p := range c.policies[cj.UID] {
		if p.rev <= seen {
			policy = p.policy
		}
	}
	return policy
}

func (c *cronJobConcurrency) observe(ch sim.Change, ix *index) []error {
	switch o := ch.Event.Object.(type) {
	case *objects.CronJob:
		rev, _ := strconv.ParseInt(o.ResourceVersion, 10, 64)
		if ps := c.policies[o.UID]; len(ps) == 0 || ps[len(ps)-1].policy != o.Spec.ConcurrencyPolicy {
			c.policies[o.UID] = append(ps, policyFrom{rev, o.Spec.ConcurrencyPolicy})
		}
		for _, ref := range o.Status.Active {
			if _, ok := c.listed[ref.UID]; !ok {
				c.listed[ref.UID] = rev
			}
		}
	case *objects.Job:
		if ch.Actor != cronjob.Name || created(ch) == nil {
			return nil
		}
		cj, ok := ix.controllerOf(o).(*objects.CronJob)
		if !ok {
			return nil
		}
		policy := c.policyAt(cj, ch.Seen)
		if policy != objects.ForbidConcurrent && policy != objects.ReplaceConcurrent {
			return nil
		}
		for _, other := range ix.ownedBy(cj.UID) {
			j, ok := other.(*objects.Job)
			listedAt, listed := c.listed[j.UID]
			if !ok || !listed || (ch.Seen > 0 && ch.Seen < listedAt) || objects.IsJobFinished(j) ||
				(policy == objects.ReplaceConcurrent && j.DeletionTimestamp != nil) {
				continue
			}
			return []error{fmt.Errorf("cronjob %s: %s started %s while %s was still active, under concurrencyPolicy %s",
				objects.KeyOf(cj), ch.Actor, o.Name, j.Name, policy)}
		}
	}
	return nil
}

// cronJobOneJobPerSlot is the trace invariant cronjob-one-job-per-slot:
// the CronJob controller starts at most one Job for each scheduled time
// of a CronJob (upstream names a slot's Job <cronjob>-<minutes since the
// epoch>, so a repeated create fails with AlreadyExists while the first
// Job exists, and lastScheduleTime moves past the slot). Once the first
// Job is gone (its history limit deleted it), a view of the CronJob that
// lacks the controller's own status write for the slot starts it again,
// as upstream's does (it has no expectations for its CronJobs); that is
// held against it only when the write is older than any informer lags.
type cronJobOneJobPerSlot struct {
	started map[string]slotJob // cronjob uid + slot -> the Job started
}

// slotJob is the first Job started for a slot.
type slotJob struct {
	name, uid string
	at        time.Time
}

func newCronJobOneJobPerSlot() traceCheck {
	return &cronJobOneJobPerSlot{started: map[string]slotJob{}}
}

func (c *cronJobOneJobPerSlot) observe(ch sim.Change, ix *index) []error {
	j, ok := created(ch).(*objects.Job)
	if !ok || ch.Actor != cronjob.Name {
		return nil
	}
	ref := j.ControllerRef()
	slot, has := j.Annotations[objects.CronJobScheduledTimestampAnnotation]
	if ref == nil || !has {
		return nil
	}
	key := ref.UID + "@" + slot
	first, dup := c.started[key]
	if !dup {
		c.started[key] = slotJob{name: j.Name, uid: j.UID, at: ch.At}
		return nil
	}
	if ix.get(first.uid) == nil && ch.At.Sub(first.at) < maxInformerLag {
		return nil // a view from before the first start, which is gone
	}
	return []error{fmt.Errorf("cronjob %s/%s: %s started %s for the slot %s, which %s had already run",
		j.Namespace, ref.Name, ch.Actor, j.Name, slot, first.name)}
}

// endpointsNeverReady is the trace invariant endpoints-ready-only: the
// Endpoints controller never lists, among a Service's ready addresses, a
// pod that has never been Ready (unless the Service publishes not-ready
// addresses); a pod that was Ready once may still be Ready in a view that
// lags, so only the never-ready ones are held against it.
type endpointsNeverReady struct {
	everReady map[string]bool // pod uids
}

func newEndpointsNeverReady() traceCheck { return &endpointsNeverReady{everReady: map[string]bool{}} }

func (c *endpointsNeverReady) observe(ch sim.Change, ix *index) []error {
	switch o := ch.Event.Object.(type) {
	case *objects.Pod:
		if objects.PodHasReadyCondition(o) {
			c.everReady[o.UID] = true
		}
	case *objects.Endpoints:
		if ch.Actor != endpoints.Name || ch.Event.Type == storage.Deleted {
			return nil
		}
		svc, ok := ix.getKey(objects.Key{Kind: "Service", Namespace: o.Namespace, Name: o.Name}).(*objects.Service)
		if !ok || svc.Spec.PublishNotReadyAddresses {
			return nil
		}
		var bad []string
		for _, ss := range o.Subsets {
			for _, a := range ss.Addresses {
				if a.TargetRef != nil && a.TargetRef.Kind == "Pod" && a.TargetRef.UID != "" && !c.everReady[a.TargetRef.UID] {
					bad = append(bad, a.TargetRef.Name)
				}
			}
		}
		if len(bad) > 0 {
			sort.Strings(bad)
			return []error{fmt.Errorf("endpoints %s/%s: %s lists pods never Ready as ready addresses: %v", o.Namespace, o.Name, ch.Actor, bad)}
		}
	}
	return nil
}
