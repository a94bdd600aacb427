package storage

import "slices"

// CloneForTest returns a store sharing s's objects copy-on-write, so that a
// benchmark can start every run from one large store built once.
func (s *Store) CloneForTest() *Store {
	c := *s
	c.tables = s.tables.clone().live()
	c.idx = s.idx.clone().live()
	c.unmeasuredObjs = slices.Clip(s.unmeasuredObjs) // an append must not write into s's
	c.events = nil
	return &c
}

// UnmeasuredListed is how many objects the quota's lazy measure lists.
func (s *Store) UnmeasuredListed() int { return len(s.unmeasuredObjs) }

// MeasuringWhole runs f with the quota measuring every version whole, not
// part by part: the reference the part sizes are checked against.
func MeasuringWhole(f func()) {
	measureByParts = false
	defer func() { measureByParts = true }()
	f()
}

// SetIndexLimits sets the most keys an index bucket keeps in a slice and
// the slack of notes the index (and every table) keeps before catching up,
// until the returned function puts them back.
func SetIndexLimits(big, slack int) (restore func()) {
	wasBig, wasSlack := bigBucket, maxUnorderedSlack
	bigBucket, maxUnorderedSlack = big, slack
	return func() { bigBucket, maxUnorderedSlack = wasBig, wasSlack }
}
