package storage

// Checkpoint is the store's state at one moment, to which Rollback returns
// it, at any later time (a Transaction is the cheaper way to make a few
// writes all or nothing).
type Checkpoint struct {
	// saved is the Store as it was, its index cloned: every field a write
	// changes (index, revision, counters) is restored from it, including
	// fields added to Store later.
	saved Store
	// events is how many watch events were pending.
	events int
}

// Checkpoint records the store's state: its objects (a copy-on-write clone
// of each kind's tree), its revision and its undrained watch events.
func (s *Store) Checkpoint() Checkpoint {
	saved := *s
	saved.tables = s.tables.clone()
	saved.idx = s.idx.clone()
	saved.events = nil
	return Checkpoint{saved: saved, events: len(s.events)}
}

// Rollback returns the store to cp: every object as it was, the revision
// counter where it was (the resourceVersions written since are handed out
// again) and the watch events emitted since dropped, so no watcher ever
// sees the writes. The events must not have been drained since cp was
// taken, and cp is used up: take a new one to roll back again. Random draws
// (generated names, UIDs) are the caller's to restore: the store does not
// own its random source.
func (s *Store) Rollback(cp Checkpoint) {
	events := s.events[:cp.events]
	*s = cp.saved
	s.events = events
	s.tables = s.tables.live()
	s.idx = s.idx.live()
}
