package sim

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// injected is a fault a scenario turned on for one controller, on top of
// the Config's Faults. Scenario faults count events rather than call
// functions, so a scenario file replays them exactly.
type injected struct {
	stale int  // reconcile against the store as it was this many changes ago
	drop  int  // lose this many more watch events
	crash bool // crash after the first write of the next reconcile with two or more
}

// FaultKinds lists the faults InjectFault accepts.
var FaultKinds = []string{"stale", "drop", "crash", "clear"}

// InjectFault turns on a control-plane fault for the controller called
// name, as a scenario's `fault` command does:
//
//	stale N   the controller reads a view N store changes old (catching up after Faults.StaleFor)
//	drop N    the next N watch events on their way to it are lost
//	crash     at its next reconcile with two or more writes it crashes after the first
//	clear     every injected fault of the controller is turned off
func (c *Cluster) InjectFault(kind, name string, n int) error {
	if c.loopNamed(name) == nil {
		return fmt.Errorf("no controller named %q (have: %s)", name, strings.Join(c.ControllerNames(), ", "))
	}
	if n < 0 {
		return fmt.Errorf("fault %s: count %d is negative", kind, n)
	}
	f := c.injected[name]
	if f == nil {
		f = &injected{}
		c.injected[name] = f
	}
	switch kind {
	case "stale":
		f.stale = n
		c.views.depth = max(c.views.depth, n)
	case "drop":
		f.drop = n
	case "crash":
		f.crash = true
	case "clear":
		delete(c.injected, name)
	default:
		return fmt.Errorf("unknown fault %q (want one of %s)", kind, strings.Join(FaultKinds, ", "))
	}
	c.traceNote(name, "fault %s %d injected", kind, n)
	return nil
}

// InjectedFaults describes the faults scenarios turned on, for messages.
func (c *Cluster) InjectedFaults() []string {
	var out []string
	for name, f := range c.injected {
		out = append(out, fmt.Sprintf("%s: stale=%d drop=%d crash=%v", name, f.stale, f.drop, f.crash))
	}
	sort.Strings(out)
	return out
}

// staleness is how many changes behind name's view is.
func (c *Cluster) staleness(name string) int {
	lag := c.cfg.Faults.staleness(name)
	if f := c.injected[name]; f != nil {
		lag = max(lag, f.stale)
	}
	return lag
}

// dropsEvent reports whether ev is lost on its way to name.
func (c *Cluster) dropsEvent(name string, ev storage.WatchEvent) bool {
	if f := c.injected[name]; f != nil && f.drop > 0 {
		f.drop--
		return true
	}
	return c.cfg.Faults.dropsEvent(name, ev)
}

// crashPoint returns after how many of n writes name crashes, or -1.
func (c *Cluster) crashPoint(name string, key objects.Key, n int) int {
	if f := c.injected[name]; f != nil && f.crash && n >= 2 {
		f.crash = false
		return 1
	}
	return c.cfg.Faults.crashPoint(name, key, n)
}
