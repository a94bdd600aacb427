package storage

// CloneForTest returns a store sharing s's objects copy-on-write, so that a
// benchmark can start every run from one large store built once.
func (s *Store) CloneForTest() *Store {
	c := *s
	c.tree = s.tree.Clone()
	c.events = nil
	return &c
}
