package storage

import "github.com/kubesim/kubesim/objects"

// The core/v1 Secret's write-time needs. Upstream's v1 → internal conversion
// (Convert_v1_Secret_To_core_Secret) folds stringData into data before the
// secret strategy and validation see the object, on create and on update
// alike, so a stored Secret never carries stringData.

// prepareSecret merges a Secret's stringData into its data; other kinds are
// left alone.
func prepareSecret(obj objects.Object) {
	if s, ok := obj.(*objects.Secret); ok {
		objects.MergeStringData(s)
	}
}
