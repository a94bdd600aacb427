package record

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
)

// Step is one entry of a record as Walk visits it: for a change, the
// object as it stood after it, rebuilt from the record's fields.
type Step struct {
	Entry *Entry
	// Command is the command being carried out (nil before the first).
	Command *Entry
	// Object is a change's object after it (for a delete, its last
	// state), typed; nil for other entries, for kinds kubesim does not
	// model and for kinds the walk was not asked for.
	Object objects.Object
}

// Walk visits every entry of t in order. Objects are rebuilt only for the
// kinds named (every kind when none is).
func (t *Trace) Walk(fn func(Step) error, kinds ...string) error {
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	state := newObjectState()
	var cmd *Entry
	for i := range t.Entries {
		e := &t.Entries[i]
		step := Step{Entry: e}
		switch e.Kind {
		case KindCommand:
			cmd = e
		case KindChange:
			if len(want) == 0 || want[e.Key.Kind] {
				obj, _, err := decodeObject(e.Key.Kind, state.after(e))
				if err != nil {
					return fmt.Errorf("%s %s: %v", e.Key.Kind, objectName(e.Key), err)
				}
				step.Object = obj
			}
		}
		step.Command = cmd
		state.apply(e)
		if err := fn(step); err != nil {
			return err
		}
	}
	return nil
}
