package objects

import "sync/atomic"

// memo is a cache read without locks and replaced whole when an entry is
// added (copy on write), so that its readers, an edge decoding outside the
// simulation's lock among them, never see a map being written. It suits
// answers that are a function of their key alone and keys that are few
// and repeat (types, image references, field paths); past max entries
// (0: no bound) it stops remembering and the caller works answers out
// again.
type memo[K comparable, V any] struct {
	m   atomic.Pointer[map[K]V]
	max int
}

// get returns the answer remembered for k.
func (c *memo[K, V]) get(k K) (V, bool) {
	if m := c.m.Load(); m != nil {
		v, ok := (*m)[k]
		return v, ok
	}
	var zero V
	return zero, false
}

// put remembers v for k, unless the memo is full.
func (c *memo[K, V]) put(k K, v V) {
	old := c.m.Load()
	n := 0
	if old != nil {
		n = len(*old)
	}
	if c.max > 0 && n >= c.max {
		return
	}
	m := make(map[K]V, n+1)
	if old != nil {
		for k, v := range *old {
			m[k] = v
		}
	}
	m[k] = v
	c.m.Store(&m)
}
