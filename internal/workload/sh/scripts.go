package sh

// Scripts keeps the parsed form of the scripts that shells run, by their
// source, for all the processes that share it (a node's containers): a
// Job's thousands of pods run one script, parsed once. Parsing depends on
// the source alone and nothing changes a parsed script, so a shell that
// finds its script here runs exactly as if it had parsed it. A nil
// *Scripts parses every time. Not safe for concurrent use.
type Scripts struct {
	parsed map[string]parsedScript
}

// maxScripts bounds how many scripts a Scripts keeps: beyond it, new
// scripts are parsed each time they run (scripts made afresh for every
// process would otherwise grow it without end).
const maxScripts = 256

// parsedScript is a script's parse: its commands or its syntax error.
type parsedScript struct {
	list *shList
	err  error
}

// NewScripts returns an empty Scripts.
func NewScripts() *Scripts { return &Scripts{parsed: map[string]parsedScript{}} }

// parse returns src parsed, from the cache when it holds it.
func (s *Scripts) parse(src string) (*shList, error) {
	if s == nil {
		return newShParser(src).program()
	}
	if p, ok := s.parsed[src]; ok {
		return p.list, p.err
	}
	list, err := newShParser(src).program()
	if len(s.parsed) < maxScripts {
		s.parsed[src] = parsedScript{list: list, err: err}
	}
	return list, err
}
