package sh

// Shell syntax tree.

// shWord is one shell word as written: a sequence of parts, each quoted or
// not, expanded only when the command runs.
type shWord struct {
	parts []shPart
}

// shPartKind says what a word part is.
type shPartKind int

const (
	partLit   shPartKind = iota // literal text
	partParam                   // $name, ${name...}
	partCmd                     // $(...) or `...`
	partArith                   // $((...))
)

// shPart is a piece of a word.
type shPart struct {
	kind   shPartKind
	text   string // literal text, parameter name, or arithmetic source
	quoted bool   // inside quotes (no field splitting or globbing)
	// For ${name op arg}: op is one of - = + ? :- := :+ :? # ## % %% or
	// "len" for ${#name}.
	op  string
	arg *shWord
	cmd *shList // partCmd
}

// shList is a sequence of and-or lists separated by ; & or newlines.
type shList struct {
	items []*shAndOr
}

// shAndOr is pipelines joined by && and ||, possibly run in the background.
type shAndOr struct {
	first      *shPipeline
	rest       []shAndOrPart
	background bool
}

type shAndOrPart struct {
	and bool // && (else ||)
	p   *shPipeline
}

// shPipeline is commands joined by |, possibly negated with !.
type shPipeline struct {
	bang bool
	cmds []shCommand
}

// shCommand is one of the command structs below.
type shCommand interface{ shCommand() }

// shRedir is a redirection: fd op target, e.g. 2>&1 or >>file or <<EOF.
type shRedir struct {
	fd      int
	op      string // "<", ">", ">>", ">|", "<>", ">&", "<&", "<<", "<<-", "&>"
	target  *shWord
	heredoc *shWord // body of a here-document; literal when the delimiter was quoted
}

type shAssign struct {
	name  string
	value *shWord
}

type (
	shSimple struct {
		assigns []shAssign
		words   []*shWord
		redirs  []*shRedir
		line    int
	}
	shIf struct {
		conds  []*shList // if and elif conditions
		bodies []*shList
		els    *shList
		redirs []*shRedir
	}
	shLoop struct {
		until      bool
		cond, body *shList
		redirs     []*shRedir
	}
	shFor struct {
		name   string
		words  []*shWord
		hasIn  bool
		body   *shList
		redirs []*shRedir
	}
	shCase struct {
		word   *shWord
		items  []shCaseItem
		redirs []*shRedir
	}
	shGroup struct {
		body     *shList
		subshell bool
		redirs   []*shRedir
	}
	shFuncDef struct {
		name string
		body shCommand
	}
)

type shCaseItem struct {
	patterns []*shWord
	body     *shList
}

func (*shSimple) shCommand()  {}
func (*shIf) shCommand()      {}
func (*shLoop) shCommand()    {}
func (*shFor) shCommand()     {}
func (*shCase) shCommand()    {}
func (*shGroup) shCommand()   {}
func (*shFuncDef) shCommand() {}
