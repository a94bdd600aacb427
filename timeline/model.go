package timeline

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/kubectl/printers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/record"
)

// Timeline is a run drawn as rows of bars over virtual time: every pod
// under the object that owns it, the claims, volumes and nodes, the events
// that explain them and the scenario's commands.
type Timeline struct {
	// Title names the scenario; Seed is the run's.
	Title string
	Seed  uint64
	// End is the virtual time the run ended at, since the cluster's start.
	End      time.Duration
	Commands []Command
	Groups   []*Group
}

// Command is a scenario command on the time axis.
type Command struct {
	Index, Line int
	At          time.Duration
	Text        string
}

// Group is a block of rows under one heading: the pods of one owner (a
// Job, a CronJob's runs, a StatefulSet, a Deployment), the pods no one
// owns, the claims, the volumes, or the nodes.
type Group struct {
	// Kind and Name name the owner ("Job", "pi"); for the other blocks
	// Kind is "Pods", "PersistentVolumeClaims", "PersistentVolumes" or
	// "Nodes" and Name is empty.
	Kind, Name string
	// Label is the heading; Marks the events about the owner (and the
	// owners under it: a CronJob's Jobs, a Deployment's ReplicaSets).
	Label string
	Marks []Mark
	Rows  []*Row
	// first is when the group was first seen, for ordering.
	first time.Duration
	order int
}

// Row is one line of bars: a pod's name (a StatefulSet's ordinal, a pod
// made again under the same name, shares its row), a claim, a volume or a
// node.
type Row struct {
	// Label is the row's name; Sub the owner under the group's (a Job of a
	// CronJob) and Note what follows it (the node, the bound volume).
	Label, Sub, Note string
	Bars             []*Bar
	Marks            []Mark
}

// Bar is one object's life: a pod from creation to deletion (or the run's
// end), in segments of one state each.
type Bar struct {
	Name, Namespace, UID string
	Node                 string
	From, To             time.Duration
	Segments             []Segment
	// Events lists what the events about it said, for hover details.
	Events []Mark
	// Restarts is the containers' restart count at the end of the bar.
	Restarts int32
}

// Segment is a stretch of a bar in one state.
type Segment struct {
	From, To time.Duration
	// State is the colour class (see States); Word what kubectl showed
	// (STATUS column for pods, the phase for claims and volumes, Ready's
	// status for nodes).
	State, Word string
}

// Mark is an event at its virtual time.
type Mark struct {
	At                    time.Duration
	Type, Reason, Message string
	// About names the object when it is not the row's own (an event
	// about a Job drawn on its group's heading).
	About string
}

// The colour classes of pods, in the order the legend lists them.
const (
	StatePending           = "Pending"
	StateContainerCreating = "ContainerCreating"
	StateRunning           = "Running"
	StateCompleted         = "Completed"
	StateError             = "Error"
	StateCrashLoopBackOff  = "CrashLoopBackOff"
	StateImagePullBackOff  = "ImagePullBackOff"
	StateTerminating       = "Terminating"
	StateOther             = "Other"
	// Claims and volumes.
	StateVolumePending   = "VolumePending"
	StateVolumeAvailable = "Available"
	StateBound           = "Bound"
	StateReleased        = "Released"
	StateVolumeFailed    = "VolumeFailed"
	// Nodes.
	StateNodeReady    = "NodeReady"
	StateNodeNotReady = "NodeNotReady"
	StateNodeUnknown  = "NodeUnknown"
)

// States lists every colour class with its colour and what the legend
// calls it, in legend order.
var States = []struct{ Name, Color, Legend string }{
	{StatePending, "#c8ccd2", "Pending"},
	{StateContainerCreating, "#f2c14e", "ContainerCreating"},
	{StateRunning, "#3fa34d", "Running"},
	{StateCompleted, "#4a7fc1", "Completed"},
	{StateError, "#d1453b", "Error"},
	{StateCrashLoopBackOff, "#8e2c8e", "CrashLoopBackOff"},
	{StateImagePullBackOff, "#e07b28", "ImagePullBackOff"},
	{StateTerminating, "#7d7d7d", "Terminating"},
	{StateOther, "#b59ad6", "other waiting reasons"},
	{StateVolumePending, "#d9d2c3", "claim/volume Pending"},
	{StateVolumeAvailable, "#9fd3c7", "volume Available"},
	{StateBound, "#2e8b8b", "Bound"},
	{StateReleased, "#9bb7c9", "Released"},
	{StateVolumeFailed, "#b03a2e", "volume Failed"},
	{StateNodeReady, "#b9e0b3", "node Ready"},
	{StateNodeNotReady, "#f0a39b", "node NotReady"},
	{StateNodeUnknown, "#5c5c5c", "node Unknown (not answering)"},
}

// podState maps kubectl's STATUS word to a colour class.
func podState(word string) string {
	switch {
	case word == "Pending" || word == "SchedulingGated":
		return StatePending
	case word == "ContainerCreating" || word == "PodInitializing" || strings.HasPrefix(word, "Init:"):
		return StateContainerCreating
	case word == "Running" || word == "NotReady":
		return StateRunning
	case word == "Completed" || word == "Succeeded":
		return StateCompleted
	case word == "CrashLoopBackOff":
		return StateCrashLoopBackOff
	case word == "ImagePullBackOff" || word == "ErrImagePull" || word == "InvalidImageName" || word == "ErrImageNeverPull":
		return StateImagePullBackOff
	case word == "Terminating" || word == "Unknown":
		return StateTerminating
	case word == "Error" || word == "Failed" || word == "OOMKilled" || word == "ContainerCannotRun" ||
		word == "DeadlineExceeded" || word == "Evicted" || word == "StartError" || strings.HasPrefix(word, "Signal:") ||
		strings.HasPrefix(word, "ExitCode:"):
		return StateError
	}
	return StateOther
}

// volumeState maps a claim's or volume's phase to a colour class.
func volumeState(phase string) string {
	switch phase {
	case "Available":
		return StateVolumeAvailable
	case "Bound":
		return StateBound
	case "Released":
		return StateReleased
	case "Failed", "Lost":
		return StateVolumeFailed
	}
	return StateVolumePending
}

// FromTrace draws a recorded run.
func FromTrace(t *record.Trace) (*Timeline, error) {
	b := newBuilder(t)
	err := t.Walk(b.step, "Pod", "Event", "PersistentVolumeClaim", "PersistentVolume", "Node",
		"Job", "CronJob", "ReplicaSet", "Deployment", "StatefulSet")
	if err != nil {
		return nil, err
	}
	return b.finish(), nil
}

// owner is what the builder remembers of an object that owns pods.
type owner struct {
	kind, namespace, name string
	parent                string // the uid of its own controller, if any
}

// builder follows a trace's changes into a Timeline.
type builder struct {
	tl     *Timeline
	owners map[string]owner // by uid
	groups map[string]*Group
	rows   map[string]*Row // by group block and object key
	open   map[string]*Bar // pods, claims, volumes, nodes by uid or key
	rowOf  map[string]*Row // the row of each open bar's key
	count  int
}

func newBuilder(t *record.Trace) *builder {
	title := filepath.Base(t.Scenario)
	b := &builder{tl: &Timeline{Title: title, Seed: t.Seed}}
	b.reset()
	return b
}

// reset forgets everything: a `cluster` line built a new cluster.
func (b *builder) reset() {
	b.tl.Groups = nil
	b.owners = map[string]owner{}
	b.groups = map[string]*Group{}
	b.rows = map[string]*Row{}
	b.open = map[string]*Bar{}
	b.rowOf = map[string]*Row{}
}

func (b *builder) step(s record.Step) error {
	e := s.Entry
	switch e.Kind {
	case record.KindCluster:
		b.reset()
		b.tl.Commands = nil
	case record.KindCommand:
		if words := strings.Fields(e.Text); len(words) > 0 && words[0] != "sleep" {
			b.tl.Commands = append(b.tl.Commands, Command{Index: e.Index, Line: e.Line, At: e.At, Text: e.Text})
		}
	case record.KindEnd:
		b.tl.End = e.At
	case record.KindChange:
		if s.Object == nil {
			return nil
		}
		b.change(e, s.Object)
	}
	return nil
}

// change follows one object's change.
func (b *builder) change(e *record.Entry, obj objects.Object) {
	deleted := e.Verb == "delete"
	switch o := obj.(type) {
	case *objects.Pod:
		b.pod(e.At, o, deleted)
	case *objects.Event:
		b.event(e.At, o, e.Verb)
	case *objects.PersistentVolumeClaim:
		word := o.Status.Phase
		note := ""
		if o.Spec.VolumeName != "" {
			note = "→ " + o.Spec.VolumeName
		}
		b.simple("PersistentVolumeClaims", "Claims", o.Namespace, o.Name, string(o.UID), e.At, volumeState(word), orDefault(word, "Pending"), note, deleted)
	case *objects.PersistentVolume:
		word := o.Status.Phase
		note := ""
		if o.Spec.ClaimRef != nil {
			note = "← " + o.Spec.ClaimRef.Namespace + "/" + o.Spec.ClaimRef.Name
		}
		b.simple("PersistentVolumes", "Volumes", "", o.Name, string(o.UID), e.At, volumeState(word), orDefault(word, "Pending"), note, deleted)
	case *objects.Node:
		state, word := nodeState(o)
		b.simple("Nodes", "Nodes", "", o.Name, string(o.UID), e.At, state, word, "", deleted)
	default:
		b.ownerChange(obj, deleted)
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// nodeState reads a node's Ready condition.
func nodeState(n *objects.Node) (string, string) {
	for _, c := range n.Status.Conditions {
		if c.Type != objects.NodeReady {
			continue
		}
		switch c.Status {
		case "True":
			return StateNodeReady, "Ready"
		case "False":
			return StateNodeNotReady, "NotReady"
		}
		return StateNodeUnknown, "Unknown"
	}
	return StateNodeUnknown, "Unknown"
}

// ownerChange remembers an object that owns pods (or owns their owners).
func (b *builder) ownerChange(obj objects.Object, deleted bool) {
	m := obj.GetObjectMeta()
	o := owner{kind: obj.GetTypeMeta().Kind, namespace: m.Namespace, name: m.Name}
	if ref := controllerOf(m); ref != nil {
		o.parent = string(ref.UID)
	}
	b.owners[string(m.UID)] = o // kept after deletion: its pods may outlive it
}

// controllerOf returns an object's controller reference, if it has one.
func controllerOf(m *objects.ObjectMeta) *objects.OwnerReference {
	for i, r := range m.OwnerReferences {
		if r.Controller != nil && *r.Controller {
			return &m.OwnerReferences[i]
		}
	}
	return nil
}

// group returns the block named by kind and name, making it at t.
func (b *builder) group(kind, name, label string, t time.Duration) *Group {
	id := kind + "/" + name
	if g := b.groups[id]; g != nil {
		return g
	}
	b.count++
	g := &Group{Kind: kind, Name: name, Label: label, first: t, order: b.count}
	b.groups[id] = g
	b.tl.Groups = append(b.tl.Groups, g)
	return g
}

// row returns the row for key in g, making it.
func (b *builder) row(g *Group, key, label string) *Row {
	id := g.Kind + "/" + g.Name + "|" + key
	if r := b.rows[id]; r != nil {
		return r
	}
	r := &Row{Label: label}
	b.rows[id] = r
	g.Rows = append(g.Rows, r)
	return r
}

// podGroup finds the block a pod is drawn in and the owner under it.
func (b *builder) podGroup(p *objects.Pod, t time.Duration) (*Group, string) {
	ref := controllerOf(&p.ObjectMeta)
	if ref == nil {
		return b.group("Pods", "", "Pods without an owner", t), ""
	}
	top := owner{kind: ref.Kind, namespace: p.Namespace, name: ref.Name}
	if o, ok := b.owners[string(ref.UID)]; ok {
		top = o
	}
	sub := ""
	if parent, ok := b.owners[top.parent]; ok && top.parent != "" {
		sub = top.kind + " " + top.name
		top = parent
	}
	return b.group(top.kind, qualified(top.namespace, top.name), top.kind+" "+qualified(top.namespace, top.name), t), sub
}

// qualified prefixes a name with its namespace unless that is default.
func qualified(ns, name string) string {
	if ns == "" || ns == "default" {
		return name
	}
	return ns + "/" + name
}

// pod follows one pod's change.
func (b *builder) pod(at time.Duration, p *objects.Pod, deleted bool) {
	uid := string(p.UID)
	bar := b.open[uid]
	if bar == nil {
		g, sub := b.podGroup(p, at)
		r := b.row(g, p.Namespace+"/"+p.Name, qualified(p.Namespace, p.Name))
		r.Sub = sub
		bar = &Bar{Name: p.Name, Namespace: p.Namespace, UID: uid, From: at}
		r.Bars = append(r.Bars, bar)
		b.open[uid], b.rowOf[uid] = bar, r
	}
	if p.Spec.NodeName != "" {
		bar.Node = p.Spec.NodeName
		b.rowOf[uid].Note = p.Spec.NodeName
	}
	bar.Restarts = 0
	for _, cs := range p.Status.ContainerStatuses {
		bar.Restarts += cs.RestartCount
	}
	word := printers.PodDisplayStatus(p)
	setState(bar, at, podState(word), word)
	if deleted {
		closeBar(bar, at)
		delete(b.open, uid)
	}
}

// simple follows a claim, volume or node: one row each, one bar per
// object.
func (b *builder) simple(block, label, ns, name, uid string, at time.Duration, state, word, note string, deleted bool) {
	bar := b.open[uid]
	if bar == nil {
		g := b.group(block, "", label, at)
		r := b.row(g, ns+"/"+name, qualified(ns, name))
		bar = &Bar{Name: name, Namespace: ns, UID: uid, From: at}
		r.Bars = append(r.Bars, bar)
		b.open[uid], b.rowOf[uid] = bar, r
	}
	if note != "" {
		b.rowOf[uid].Note = note
	}
	setState(bar, at, state, word)
	if deleted {
		closeBar(bar, at)
		delete(b.open, uid)
	}
}

// setState starts a new segment when the state or its word changed.
func setState(bar *Bar, at time.Duration, state, word string) {
	if n := len(bar.Segments); n > 0 {
		last := &bar.Segments[n-1]
		if last.State == state && last.Word == word {
			return
		}
		if last.From == at {
			last.State, last.Word = state, word // a change at the same instant
			if n > 1 && bar.Segments[n-2].State == state && bar.Segments[n-2].Word == word {
				bar.Segments = bar.Segments[:n-1]
			}
			return
		}
		last.To = at
	}
	bar.Segments = append(bar.Segments, Segment{From: at, State: state, Word: word})
}

// closeBar ends a bar at t.
func closeBar(bar *Bar, t time.Duration) {
	bar.To = t
	if n := len(bar.Segments); n > 0 {
		bar.Segments[n-1].To = t
	}
}

// event places a recorded event: on its pod's, claim's, volume's or node's
// row, or on the heading of the owner it is about.
func (b *builder) event(at time.Duration, ev *objects.Event, verb string) {
	if verb == "delete" {
		return
	}
	m := Mark{At: at, Type: ev.Type, Reason: ev.Reason, Message: ev.Message}
	ref := ev.InvolvedObject
	uid := string(ref.UID)
	if bar := b.open[uid]; bar != nil {
		bar.Events = append(bar.Events, m)
		if ref.Kind != "Pod" || ev.Type == objects.EventWarning {
			b.rowOf[uid].Marks = append(b.rowOf[uid].Marks, m)
		}
		return
	}
	m.About = ref.Kind + " " + qualified(ref.Namespace, ref.Name)
	if o, ok := b.owners[uid]; ok {
		if parent, ok := b.owners[o.parent]; ok && o.parent != "" {
			g := b.group(parent.kind, qualified(parent.namespace, parent.name), parent.kind+" "+qualified(parent.namespace, parent.name), at)
			g.Marks = append(g.Marks, m)
			return
		}
		g := b.group(o.kind, qualified(o.namespace, o.name), o.kind+" "+qualified(o.namespace, o.name), at)
		g.Marks = append(g.Marks, m)
		return
	}
	g := b.group("Events", "", "Other events", at)
	g.Marks = append(g.Marks, m)
}

// finish closes what is still open at the end and orders the blocks:
// owners by when they appeared, then unowned pods, claims, volumes, nodes
// and other events.
func (b *builder) finish() *Timeline {
	for _, g := range b.tl.Groups {
		for _, r := range g.Rows {
			for _, bar := range r.Bars {
				if n := len(bar.Segments); n > 0 && bar.Segments[n-1].To == 0 && bar.To == 0 {
					closeBar(bar, b.tl.End)
				}
			}
		}
	}
	rank := map[string]int{"Pods": 1, "PersistentVolumeClaims": 2, "PersistentVolumes": 3, "Nodes": 4, "Events": 5}
	sort.SliceStable(b.tl.Groups, func(i, j int) bool {
		gi, gj := b.tl.Groups[i], b.tl.Groups[j]
		if rank[gi.Kind] != rank[gj.Kind] {
			return rank[gi.Kind] < rank[gj.Kind]
		}
		return gi.order < gj.order
	})
	return b.tl
}

// Bars counts the pods' bars (every pod the run made, each once).
func (tl *Timeline) Bars() int {
	n := 0
	for _, g := range tl.Groups {
		if !podBlock(g) {
			continue
		}
		for _, r := range g.Rows {
			n += len(r.Bars)
		}
	}
	return n
}

// podBlock reports whether a block holds pods.
func podBlock(g *Group) bool {
	switch g.Kind {
	case "PersistentVolumeClaims", "PersistentVolumes", "Nodes", "Events":
		return false
	}
	return true
}

// FormatDuration prints a virtual time for a reader: 0s, 9.34s, 2m3s,
// 1h5m.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	if d < time.Minute {
		s := fmt.Sprintf("%.3f", d.Seconds())
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		return s + "s"
	}
	d = d.Round(time.Second)
	h, m, s := d/time.Hour, d/time.Minute%60, d/time.Second%60
	var b strings.Builder
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if s > 0 {
		fmt.Fprintf(&b, "%ds", s)
	}
	return b.String()
}
