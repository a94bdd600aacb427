package storage

import "github.com/kubesim/kubesim/objects"

// EventType says what happened to an object, with the values of upstream's
// watch.EventType.
type EventType string

// Event types of the watch stream.
const (
	Added    EventType = "ADDED"
	Modified EventType = "MODIFIED"
	Deleted  EventType = "DELETED"
)

// WatchEvent is one change to the store, as a watch would deliver it.
type WatchEvent struct {
	Type EventType
	// Object is the object after the change. For Deleted it is the last
	// stored state stamped with the deletion's resourceVersion, as etcd3's
	// watcher delivers it.
	Object objects.Object
	// Old is the object before the change; nil for Added.
	Old objects.Object
	// ResourceVersion is the revision of the change.
	ResourceVersion int64
}

// emit records a change. obj and old are stored objects (or, for Deleted,
// an object no one else holds), handed out as they are.
func (s *Store) emit(t EventType, obj, old objects.Object, rev int64) {
	s.events = append(s.events, WatchEvent{Type: t, Object: obj, Old: old, ResourceVersion: rev})
}

// DrainEvents returns every change since the previous drain, oldest first,
// and forgets them. The objects are the stored ones, shared: read-only,
// as everything a Reader returns.
func (s *Store) DrainEvents() []WatchEvent {
	out := s.events
	s.events = nil
	return out
}

// DrainEventsInto is DrainEvents that gives the store spare, a drained
// slice its caller is done with, to collect the next changes in, so that
// a caller draining after every write does not allocate a slice each time.
func (s *Store) DrainEventsInto(spare []WatchEvent) []WatchEvent {
	out := s.events
	clear(spare[:cap(spare)]) // let go of the objects the old changes held
	s.events = spare[:0]
	return out
}

// PendingEvents returns how many changes wait to be drained.
func (s *Store) PendingEvents() int { return len(s.events) }
