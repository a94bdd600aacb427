package objects

// Hand-written deep copies for the types controller-gen cannot copy on its
// own. Everything else is generated into zz_generated.deepcopy.go.

// DeepCopyInto copies t into out. A time.Time is immutable once made (its
// location pointer is shared by design), so copying the value is a deep copy.
func (t *Time) DeepCopyInto(out *Time) { *out = *t }

// DeepCopy returns a copy of t, or nil for a nil t.
func (t *Time) DeepCopy() *Time {
	if t == nil {
		return nil
	}
	out := new(Time)
	t.DeepCopyInto(out)
	return out
}

// DeepCopyInto copies t into out (a time.Time is immutable once made).
func (t *MicroTime) DeepCopyInto(out *MicroTime) { *out = *t }

// DeepCopy returns a copy of t.
func (t *MicroTime) DeepCopy() *MicroTime {
	if t == nil {
		return nil
	}
	out := new(MicroTime)
	*out = *t
	return out
}
