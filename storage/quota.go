package storage

import (
	"errors"

	"github.com/kubesim/kubesim/objects"
)

// DefaultQuotaBytes is etcd's default space quota (--quota-backend-bytes
// unset: DefaultQuotaBytes, 2 GiB), which kube-apiserver and kubeadm leave
// as it is.
const DefaultQuotaBytes int64 = 2 << 30

// ErrNoSpace is the cause of the error a write returns when the store is
// full: etcd's rpctypes.ErrNoSpace, which kube-apiserver passes on as a
// 500 without a reason, so that kubectl prints "Error from server:
// etcdserver: mvcc: database space exceeded". Match it with errors.Is.
var ErrNoSpace = errors.New("etcdserver: mvcc: database space exceeded")

// SetQuota sets the store's space quota in bytes of stored objects; zero
// or less means none (a new store has none). A create or update that would
// take Size past the quota fails with ErrNoSpace and changes nothing, as
// etcd refuses a put past its quota; deletes always go through, and so do
// updates that do not grow the store.
func (s *Store) SetQuota(bytes int64) { s.quota = max(bytes, 0) }

// Size returns the total size of the stored objects in bytes: the length
// of each object's JSON encoding as stored. It measures the objects not
// measured yet.
func (s *Store) Size() int64 {
	s.measureAll()
	return s.size
}

// While there is a quota, every write is measured as it is stored, and
// only in the parts it changes (partsize.go): a status update's size is
// the stored version's with the status measured again. Each write is
// then checked exactly, with the data it measures just written. Without
// a quota nothing needs sizes: writes are stored unmeasured, and Size or
// the first write under a quota measures what is still stored of them.

// unknownSize marks a stored object not measured yet.
const unknownSize = -1

// countSize adds the size of obj, stored under key (or one more unmeasured
// object, which measureAll will visit).
func (s *Store) countSize(key objects.Key, obj objects.Object, size int64) {
	if size == unknownSize {
		s.unmeasured++
		if len(s.unmeasuredObjs) >= 2*s.unmeasured+64 {
			s.dropReplaced()
		}
		s.unmeasuredObjs = append(s.unmeasuredObjs, stored{key, obj})
		return
	}
	s.size += size
}

// dropReplaced keeps of the unmeasured objects' list only the objects
// still stored: while the quota stays out of reach nothing measures them,
// and the versions replaced since must not pile up. The list is new (a
// Checkpoint may hold the old one); keeping it within twice the objects
// still unmeasured makes the copying cost O(1) a write.
func (s *Store) dropReplaced() {
	kept := make([]stored, 0, 2*s.unmeasured+64)
	for _, w := range s.unmeasuredObjs {
		if s.tables.lookup(w.key) == w.obj {
			kept = append(kept, w)
		}
	}
	s.unmeasuredObjs = kept
}

// stored is an object as stored under its key.
type stored struct {
	key objects.Key
	obj objects.Object
}

// forgetSize takes a removed or replaced object's size back out.
func (s *Store) forgetSize(size int64) {
	if size == unknownSize {
		s.unmeasured--
		return
	}
	s.size -= size
}

// admitWrite decides whether in may be stored in place of old (nil for a
// create) within the quota, and returns the size to record: unknownSize
// without a quota, the size measured as sizeAsStored measures it
// otherwise, after the objects stored while there was none.
func (s *Store) admitWrite(in, old objects.Object, info objects.KindInfo, name string) (sized, error) {
	if s.quota <= 0 {
		return sized{size: unknownSize}, nil
	}
	s.measureAll()
	prev := s.slotOf(old)
	sz := s.sizeAsStored(in, old, prev.parts)
	if err := s.admitSize(sz.size, prev.size, info, name); err != nil {
		return sized{}, err
	}
	return sz, nil
}

// sizeOfWrite is the size to record for a write the quota lets through
// (a delete path's: a deletion timestamp, finalizers) of in in place of
// old: measured as admitWrite measures it while there is a quota.
func (s *Store) sizeOfWrite(in, old objects.Object) sized {
	if s.quota <= 0 {
		return sized{size: unknownSize}
	}
	return s.sizeAsStored(in, old, s.slotOf(old).parts)
}

// slotOf returns the slot of old, a stored object; an empty one (size 0,
// no parts) for nil.
func (s *Store) slotOf(old objects.Object) slot {
	if old == nil {
		return slot{}
	}
	sl, _ := s.tables.slot(objects.KeyOf(old))
	return sl
}

// measureAll measures every stored object not measured yet: those under
// the keys written unmeasured since the last time (a key's object may have
// been replaced or removed since), and, should any remain, whatever a scan
// of the whole store finds.
func (s *Store) measureAll() {
	if s.unmeasured == 0 {
		s.unmeasuredObjs = nil // replaced or removed since, all of them
		return
	}
	written := s.unmeasuredObjs
	// A fresh list, not written[:0]: a Checkpoint holds the old one. As
	// many are likely written until the next time.
	s.unmeasuredObjs = make([]stored, 0, len(written))
	for _, w := range written {
		if s.unmeasured == 0 {
			return
		}
		sl, ok := s.tables.slot(w.key)
		if !ok || sl.obj != w.obj || sl.size != unknownSize {
			continue // replaced or removed since (each version is listed once)
		}
		s.measure(w.key, sl)
	}
	if s.unmeasured == 0 {
		return
	}
	var pending []objects.Key
	s.tables.ascend(func(e entry) bool {
		if e.size == unknownSize {
			pending = append(pending, e.key)
		}
		return true
	})
	for _, key := range pending {
		sl, _ := s.tables.slot(key)
		s.measure(key, sl)
	}
	s.unmeasured = 0
}

// measure records the size of sl, stored under key and unmeasured so far.
func (s *Store) measure(key objects.Key, sl slot) {
	sz, ok := measureParts(sl.obj, sl.parts)
	if !ok || !measureByParts {
		sz = sized{size: objectSize(sl.obj)}
	}
	s.tables.resize(key, sz)
	s.size += sz.size
	s.unmeasured--
}

// objectSize is the length of obj's JSON encoding. etcd stores protobuf,
// which is smaller, and counts its whole database, old revisions and free
// pages included; the JSON length is a stand-in of the same order,
// measured without encoding (objects.EncodedSize).
func objectSize(obj objects.Object) int64 { return int64(objects.EncodedSize(obj)) }

// admitSize refuses a write that would take the store past its quota:
// one storing size bytes in place of replaced bytes (0 for a create). The
// quota counts live objects only, so an update that shrinks an object or
// changes nothing passes; etcd, which keeps old revisions until the
// apiserver compacts them, charges an update its whole new size.
func (s *Store) admitSize(size, replaced int64, info objects.KindInfo, name string) error {
	if s.quota > 0 && size > replaced && s.size-replaced+size > s.quota {
		e := newStatusError(ReasonUnknown, 500, info, name, ErrNoSpace.Error())
		e.cause = ErrNoSpace
		return e
	}
	return nil
}

// uidPlaceholder stands for a uid not drawn yet when a create is measured:
// a uid is drawn only once the object is sure to be stored.
const uidPlaceholder = "00000000-0000-0000-0000-000000000000"

// revisionPlaceholder stands for the next revision when a write is
// measured, cut to its number of digits: encoded, all revisions of as
// many digits are as long, and a cut constant costs no allocation.
const revisionPlaceholder = "0000000000000000000" // int64's 19 digits

// sizeAsStored measures in as it will be stored at the next revision, in
// place of old (nil for a create) whose part sizes known are known: with
// a resourceVersion of that revision's length and, when it has none yet,
// a uid of a uid's length, so that the sizes of an object's versions are
// comparable. The parts in shares with old keep old's sizes
// (inheritParts); only the others are measured.
func (s *Store) sizeAsStored(in, old objects.Object, known partSizes) sized {
	next := digits(s.rev + 1)
	if !measureByParts {
		known = partSizes{}
	}
	parts := inheritParts(in, old, known, next)
	if parts.complete() {
		return sized{size: parts.total(), parts: parts}
	}
	m := in.GetObjectMeta()
	uid, rv := m.UID, m.ResourceVersion
	if m.UID == "" {
		m.UID = uidPlaceholder
	}
	m.ResourceVersion = revisionPlaceholder[:next]
	sz, ok := measureParts(in, parts)
	if !ok || !measureByParts {
		sz = sized{size: objectSize(in)}
	}
	m.UID, m.ResourceVersion = uid, rv
	return sz
}
