package controllers

import (
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// OwnWrites remembers, for each key a controller syncs, the resourceVersion
// of the last write the controller made on that key's behalf. A sync whose
// store view does not yet show those writes is stale and should wait
// rather than act on them twice (upstream's stale-controller consistency
// check). Make one with a composite literal (OwnWrites{}); it is not safe
// for concurrent use.
type OwnWrites map[objects.Key]int64

// Forget drops what is remembered for key, as a controller does once the
// object at key is gone.
func (w OwnWrites) Forget(key objects.Key) { delete(w, key) }

// Stale reports whether the view r is older than the last write remembered
// for key.
func (w OwnWrites) Stale(r storage.Reader, key objects.Key) bool {
	return r.ResourceVersion() < w[key]
}

// Observe remembers written, an object as stored by a write made for key,
// when its resourceVersion is newer than the one remembered. A nil written
// is ignored.
func (w OwnWrites) Observe(key objects.Key, written objects.Object) {
	if written == nil {
		return
	}
	if rv := ParseResourceVersion(written.GetObjectMeta().ResourceVersion); rv > w[key] {
		w[key] = rv
	}
}

// Record returns an Action.Then callback for a write made for key: when
// the write succeeds it observes the written object and returns the events
// ok gives for it; when it fails it returns the events fail gives for the
// error. A nil ok or fail gives no events.
func (w OwnWrites) Record(key objects.Key, ok func(objects.Object) []Event, fail func(error) []Event) func(objects.Object, error) []Event {
	return func(written objects.Object, err error) []Event {
		if err != nil {
			if fail != nil {
				return fail(err)
			}
			return nil
		}
		w.Observe(key, written)
		if ok != nil {
			return ok(written)
		}
		return nil
	}
}

// ParseResourceVersion reads a resourceVersion, 0 when it is not a number.
func ParseResourceVersion(s string) int64 {
	var n int64
	for _, ch := range s {
		if ch < '0' || ch > '9' {
			return 0
		}
		n = n*10 + int64(ch-'0')
	}
	return n
}
