package storage

import (
	"encoding/json"
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
// etcd refuses a put past its quota; deletes always go through.
func (s *Store) SetQuota(bytes int64) { s.quota = max(bytes, 0) }

// Size returns the total size of the stored objects in bytes: the length
// of each object's JSON encoding, measured once when it is written.
func (s *Store) Size() int64 { return s.size }

// objectSize is the length of obj's JSON encoding. etcd stores protobuf,
// which is smaller, and counts its whole database, old revisions and free
// pages included; the JSON length is a stand-in of the same order, and
// costs one encoding per write, counted as it streams rather than kept.
func objectSize(obj objects.Object) int64 {
	var n byteCount
	if err := json.NewEncoder(&n).Encode(obj); err != nil {
		return 0
	}
	return int64(n) - 1 // Encode ends the value with a newline
}

// byteCount is an io.Writer that only counts what it is given.
type byteCount int64

func (n *byteCount) Write(p []byte) (int, error) {
	*n += byteCount(len(p))
	return len(p), nil
}

// admitSize refuses a write of size bytes that would take the store past
// its quota. An update is charged its whole new size, the old version
// still counted, as etcd keeps the old revision until it is compacted.
func (s *Store) admitSize(size int64, info objects.KindInfo, name string) error {
	if s.quota > 0 && s.size+size > s.quota {
		e := newStatusError(ReasonUnknown, 500, info, name, ErrNoSpace.Error())
		e.cause = ErrNoSpace
		return e
	}
	return nil
}
