package host

import (
	"strings"

	"github.com/kubesim/kubesim/internal/workload/sh"
)

// progEditor is vim and vi: a scenario cannot type into an editor, so it
// says so plainly and shows how to write the file instead.
func progEditor(s *sh.Shell, argv []string, io *sh.IO) error {
	file := "FILE"
	for _, a := range argv[1:] {
		if !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "+") {
			file = a
			break
		}
	}
	io.Err(s, argv[0]+": the simulation has no editor. Write the file with a here-document instead:\n"+
		"  cat > "+file+" <<'EOF'\n  (the file's lines)\n  EOF\n"+
		"(cat >> "+file+" <<'EOF' adds lines to its end.)\n")
	s.SetStatus(1)
	return nil
}
