package objects

import "testing"

// Key.Compare orders keys as Key.Less does.
func TestKeyCompareAgreesWithLess(t *testing.T) {
	parts := []string{"", "a", "b", "ab"}
	var keys []Key
	for _, kind := range parts {
		for _, ns := range parts {
			for _, name := range parts {
				keys = append(keys, Key{Kind: kind, Namespace: ns, Name: name})
			}
		}
	}
	for _, a := range keys {
		for _, b := range keys {
			want := 0
			if a.Less(b) {
				want = -1
			} else if b.Less(a) {
				want = 1
			}
			if got := a.Compare(b); got != want {
				t.Fatalf("%v.Compare(%v) = %d, want %d", a, b, got, want)
			}
		}
	}
}
