package kubectl

import (
	"strconv"
	"time"

	"github.com/kubesim/kubesim/kubectl/printers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// This file is kubectl get --watch (get.go's watch) over a bounded stretch
// of virtual time. kubectl watches until it is interrupted; a scenario
// line has to end, so kubesim watches for --request-timeout (the watch
// request's own timeout, after which kubectl ends quietly, exit 0) and
// requires it. The objects are printed first (not with --watch-only),
// then one row per change as the watch delivers them: each write to a
// matching object (even one that changes no column), and its deletion.

// msgWatchNeedsTimeout says why a watch without --request-timeout is
// refused.
const msgWatchNeedsTimeout = "kubesim's kubectl get --watch needs --request-timeout=DURATION (e.g. 30s): the stretch of virtual time to watch; kubectl would watch until interrupted"

// watchTimeout reads --request-timeout as client-go's clientcmd.ParseTimeout
// does: a whole number of seconds, or a duration; 0 means none, which
// kubesim refuses for a watch.
func watchTimeout(inv *invocation) (time.Duration, error) {
	s := inv.p.get("request-timeout")
	d, err := parseRequestTimeout(s)
	if err != nil {
		return 0, err
	}
	switch {
	case d == 0:
		return 0, plainError(msgWatchNeedsTimeout)
	case d < 0:
		// kubectl's client would time out at once; virtual time cannot go back.
		return 0, plainError("kubesim's kubectl get --watch needs a positive --request-timeout, not %s", s)
	}
	return d, nil
}

// parseRequestTimeout is clientcmd.ParseTimeout ("" is 0).
func parseRequestTimeout(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil && i >= 0 {
		return time.Duration(i) * time.Second, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	return 0, plainError("Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)")
}

// watchGet lists the target, then lets the timeout pass in virtual time
// and prints every change to a matching object as it came.
func (k *Kubectl) watchGet(inv *invocation, format, template string, sel objects.Selector, fields []fieldRequirement) error {
	timeout, err := watchTimeout(inv)
	if err != nil {
		return err
	}
	targets, err := k.targetsOf(inv)
	if err != nil {
		return err
	}
	if len(targets) != 1 {
		return plainError("you may only specify a single resource type")
	}
	t := targets[0]
	ns := inv.namespace()
	if inv.p.bool("all-namespaces") || !t.info.Namespaced {
		ns = ""
	}
	matches := func(obj objects.Object) bool {
		m := obj.GetObjectMeta()
		if resourceInfo(obj).Kind != t.info.Kind || (ns != "" && m.Namespace != ns) {
			return false
		}
		if len(t.names) > 0 && !containsString(t.names, m.Name) {
			return false
		}
		return (sel == nil || sel.Matches(m.Labels)) && matchesFields(obj, fields)
	}
	var initial []objects.Object
	if !inv.p.bool("watch-only") {
		objs, missing := k.fetch(inv, t, sel)
		if len(missing) > 0 {
			return missing[0]
		}
		initial = filterFields(objs, fields)
	}
	type seen struct {
		obj objects.Object
		at  time.Time
	}
	var changes []seen
	active := true
	// The observer stays registered after the watch (sim has no way to
	// remove one) and does nothing once it is over.
	k.c.Observe(func(ch sim.Change) {
		if active && matches(ch.Event.Object) {
			changes = append(changes, seen{obj: ch.Event.Object, at: ch.At})
		}
	})
	start := k.c.Now()
	k.c.RunUntil(func(storage.Reader) bool { return false }, timeout)
	active = false
	p := watchPrinter{k: k, inv: inv, format: format, template: template}
	if format == "table" || format == "wide" {
		p.stream = printers.NewTableStream(&inv.out, printers.Options{Wide: format == "wide", ShowLabels: inv.p.bool("show-labels"),
			ShowNamespace: inv.p.bool("all-namespaces"), NoHeaders: inv.p.bool("no-headers")})
	}
	if err := p.print(initial, start); err != nil {
		return err
	}
	for _, c := range changes {
		if err := p.print([]objects.Object{c.obj}, c.at); err != nil {
			return err
		}
	}
	return nil
}

// watchPrinter prints a watch's objects in the chosen output format.
type watchPrinter struct {
	k                *Kubectl
	inv              *invocation
	format, template string
	stream           *printers.TableStream
}

// print prints objs as seen at time at.
func (p watchPrinter) print(objs []objects.Object, at time.Time) error {
	if len(objs) == 0 {
		return nil
	}
	if p.stream != nil {
		return wrapPrint(p.stream.Print(objs, at))
	}
	for _, o := range objs {
		if err := p.k.print(p.inv, p.format, p.template, [][]objects.Object{{o}}, []objects.Object{o}, true, false); err != nil {
			return err
		}
	}
	return nil
}

// containsString reports whether list holds s.
func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// watchFlagsUsed reports whether a watch was asked for.
func watchFlagsUsed(inv *invocation) bool {
	return inv.p.bool("watch") || inv.p.bool("watch-only")
}
