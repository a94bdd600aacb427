package bc

// bc syntax tree. Expressions and statements are small structs; the
// interpreter switches on their types.

type bcExpr interface{ bcExpr() }

type (
	// bcNumLit is a constant, converted with ibase when evaluated (bc
	// converts constants at run time, so `ibase=16; FF` is 255).
	bcNumLit struct{ text string }
	// bcVar is a simple variable or one of scale, ibase, obase, last.
	bcVar struct{ name string }
	// bcIndex is an array element.
	bcIndex struct {
		name  string
		index bcExpr
	}
	bcUnary struct {
		op string // "-" or "!"
		x  bcExpr
	}
	bcBinary struct {
		op   string
		l, r bcExpr
	}
	bcAssign struct {
		op  string // "=", "+=", ...
		lhs bcExpr // *bcVar or *bcIndex
		rhs bcExpr
	}
	bcIncDec struct {
		pre, inc bool
		lhs      bcExpr
	}
	bcCall struct {
		name string
		args []bcArg
	}
	// bcBuiltin is length(x), scale(x) or sqrt(x).
	bcBuiltin struct {
		name string
		x    bcExpr
	}
)

// bcArg is a call argument: an expression, or a whole array passed as a[].
type bcArg struct {
	x     bcExpr
	array string
}

func (*bcNumLit) bcExpr()  {}
func (*bcVar) bcExpr()     {}
func (*bcIndex) bcExpr()   {}
func (*bcUnary) bcExpr()   {}
func (*bcBinary) bcExpr()  {}
func (*bcAssign) bcExpr()  {}
func (*bcIncDec) bcExpr()  {}
func (*bcCall) bcExpr()    {}
func (*bcBuiltin) bcExpr() {}

type bcStmt interface{ bcStmt() }

type (
	bcExprStmt struct{ x bcExpr }
	bcStrStmt  struct{ s string }
	bcPrint    struct{ items []bcPrintItem }
	bcIf       struct {
		cond      bcExpr
		then, els bcStmt
	}
	bcWhile struct {
		cond bcExpr
		body bcStmt
	}
	bcFor struct {
		init, cond, post bcExpr // each may be nil
		body             bcStmt
	}
	bcBlock    struct{ stmts []bcStmt }
	bcBreak    struct{}
	bcContinue struct{}
	bcReturn   struct{ x bcExpr }
	bcHalt     struct{}
)

// bcPrintItem is a string (printed with escapes) or an expression.
type bcPrintItem struct {
	str   string
	isStr bool
	x     bcExpr
}

func (*bcExprStmt) bcStmt() {}
func (*bcStrStmt) bcStmt()  {}
func (*bcPrint) bcStmt()    {}
func (*bcIf) bcStmt()       {}
func (*bcWhile) bcStmt()    {}
func (*bcFor) bcStmt()      {}
func (*bcBlock) bcStmt()    {}
func (*bcBreak) bcStmt()    {}
func (*bcContinue) bcStmt() {}
func (*bcReturn) bcStmt()   {}
func (*bcHalt) bcStmt()     {}

// bcFunc is a user function from define.
type bcFunc struct {
	params []bcParam
	autos  []bcParam
	body   []bcStmt
}

// bcParam is a parameter or auto name; array marks name[].
type bcParam struct {
	name  string
	array bool
}
