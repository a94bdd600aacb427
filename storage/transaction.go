package storage

import "github.com/kubesim/kubesim/objects"

// A transaction makes several writes all or nothing: kubesim's manifest
// apply (sim.Cluster.Apply) writes each object of a manifest and, when one
// fails, undoes the others. It is a log of what each write replaced,
// undone in reverse on Abort.
//
// A Checkpoint does the same by cloning the store, which a Checkpoint
// must, as it may be rolled back to at any later time. But a clone
// freezes every table: its tree catches up with every write made since
// the last clone, and the next write to each table copies the tree's
// nodes on its path. With a Checkpoint per apply, a loop of applies and
// deletes spent a fifth of its time there (BenchmarkEventLoop). A
// transaction costs its writes one log entry each, and nothing if it
// commits.

// Transaction is an open transaction (Begin), to Commit or Abort.
type Transaction struct {
	// saved is the Store as it was: its counters, revision and sizes are
	// restored from it; its tables and index are the live ones, which
	// the log puts back.
	saved  Store
	events int
	mark   int
}

// undoLog is what the writes of the open transactions replaced, in order.
type undoLog struct {
	entries []undoEntry
	open    int
}

// undoEntry is what one change to a table replaced under key: the object
// stored there (had), with its size and part sizes, or nothing.
type undoEntry struct {
	key   objects.Key
	had   bool
	obj   objects.Object
	size  int64
	parts partSizes
}

// Begin opens a transaction: until it is committed or aborted, every
// change to the stored objects is logged. Transactions nest: an inner
// one commits or aborts before the outer one. Neither a Checkpoint nor a
// drain of the watch events may come between Begin and its Abort.
func (s *Store) Begin() Transaction {
	if s.tables.undo == nil {
		s.tables.undo = &undoLog{}
	}
	s.tables.undo.open++
	saved := *s
	saved.events = nil
	return Transaction{saved: saved, events: len(s.events), mark: len(s.tables.undo.entries)}
}

// Commit keeps the writes of tx.
func (s *Store) Commit(tx Transaction) { s.close(tx) }

// Abort returns the store to where it was when tx began: every object as
// it was, the revision counter where it was (the resourceVersions written
// since are handed out again) and the watch events emitted since dropped,
// so no watcher ever sees the writes. Random draws (generated names, UIDs)
// are the caller's to restore: the store does not own its random source.
func (s *Store) Abort(tx Transaction) {
	log := s.tables.undo
	s.tables.undo = nil // undoing is not logged
	for i := len(log.entries) - 1; i >= tx.mark; i-- {
		s.undo(log.entries[i])
	}
	events := s.events[:tx.events]
	*s = tx.saved
	s.events = events
	s.tables.undo = log
	s.close(tx)
}

// close ends tx, dropping its log entries: an outer transaction's abort
// undoes what an inner one committed from the state the inner one left,
// so once the outermost closes nothing is kept.
func (s *Store) close(tx Transaction) {
	log := s.tables.undo
	log.open--
	if log.open == 0 {
		clear(log.entries)
		log.entries = log.entries[:0]
		s.tables.undo = nil
	}
}

// undo puts back what one logged change replaced.
func (s *Store) undo(e undoEntry) {
	cur := s.tables.lookup(e.key)
	var was objects.Object
	if e.had {
		was = e.obj
		s.tables.put(entry{key: e.key, obj: e.obj, size: e.size}, e.parts)
	} else {
		s.tables.remove(e.key)
	}
	reindex(s.idx, cur, was)
	if cur != nil {
		s.unshadow(cur)
	}
	if was != nil {
		s.shadow(was)
	}
}

// logUndo logs, while a transaction is open, that the slot under key of
// tb (old, if it had one) is about to change.
func (t *tables) logUndo(tb *table, key objects.Key, old slot, had bool) {
	if t.undo == nil {
		return
	}
	e := undoEntry{key: key, had: had}
	if had {
		e.obj, e.size, e.parts = tb.object(old), old.size, old.parts
	}
	t.undo.entries = append(t.undo.entries, e)
}
