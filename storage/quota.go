package storage

import (
	"errors"
	"strconv"

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

// Objects are measured lazily: a write whose object cannot take the store
// past its quota, whatever the sizes not known yet, stores it unmeasured,
// and most versions (a pod's many status updates) are replaced before
// anything needs their size. Once the quota comes within reach, every
// stored object is measured and writes are measured and checked exactly.

// unknownSize marks a stored object not measured yet.
const unknownSize = -1

// maxObjectBytes bounds an object's size for the lazy measure: the
// apiserver refuses a request body over 3 MiB (kubectl's reader does too).
const maxObjectBytes = 3 << 20

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

// admitWrite decides whether in may be stored (in place of the object
// under replaced, nil for a create) within the quota, and returns the size
// to record: unknownSize while the quota is out of reach whatever the
// unmeasured objects weigh, the measured size otherwise.
func (s *Store) admitWrite(in objects.Object, replaced *objects.Key, info objects.KindInfo, name string) (int64, error) {
	if s.quota <= 0 || s.size+int64(s.unmeasured+1)*maxObjectBytes <= s.quota {
		return unknownSize, nil
	}
	s.measureAll()
	size := s.sizeAsStored(in)
	var old int64
	if replaced != nil {
		old = s.storedSize(*replaced)
	}
	if err := s.admitSize(size, old, info, name); err != nil {
		return 0, err
	}
	return size, nil
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
		if s.tables.lookup(w.key) != w.obj {
			continue // replaced or removed since
		}
		size := objectSize(w.obj)
		if old := s.tables.resize(entry{key: w.key, obj: w.obj, size: size}); old.size != unknownSize {
			// Measured already (cannot happen: each version is listed
			// once): keep the size counted once.
			continue
		}
		s.size += size
		s.unmeasured--
	}
	if s.unmeasured == 0 {
		return
	}
	var pending []entry
	s.tables.ascend(func(e entry) bool {
		if e.size == unknownSize {
			pending = append(pending, e)
		}
		return true
	})
	for _, e := range pending {
		s.measure(e)
	}
	s.unmeasured = 0
}

// measure records the size of the stored entry e, unmeasured so far.
func (s *Store) measure(e entry) {
	e.size = objectSize(e.obj)
	s.tables.resize(e)
	s.size += e.size
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

// sizeAsStored measures in as it will be stored at the next revision: with
// that resourceVersion and, when it has none yet, a uid of a uid's length.
// Measuring every version the same way keeps the sizes of an object's
// versions comparable.
func (s *Store) sizeAsStored(in objects.Object) int64 {
	m := in.GetObjectMeta()
	uid, rv := m.UID, m.ResourceVersion
	if m.UID == "" {
		m.UID = uidPlaceholder
	}
	m.ResourceVersion = strconv.FormatInt(s.rev+1, 10)
	size := objectSize(in)
	m.UID, m.ResourceVersion = uid, rv
	return size
}

// storedSize returns the size counted for the object stored under key.
func (s *Store) storedSize(key objects.Key) int64 {
	e, _ := s.tables.get(key)
	return e.size
}
