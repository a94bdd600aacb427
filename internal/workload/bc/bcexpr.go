package bc

// expr parses an expression whose binary operators all have precedence at
// least minPrec (precedence climbing over bc.y's operator table).
func (p *bcParser) expr(minPrec int) (bcExpr, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.tok.kind == bcOp {
		op := p.tok.text
		prec, ok := bcBinaryPrec[op]
		if !ok || prec < minPrec {
			break
		}
		if prec == precAssign {
			if !isBCLValue(left) {
				return nil, p.fail()
			}
			p.advance()
			rhs, err := p.expr(precAssign) // right associative
			if err != nil {
				return nil, err
			}
			left = &bcAssign{op: op, lhs: left, rhs: rhs}
			continue
		}
		p.advance()
		next := prec + 1
		if op == "^" {
			next = prec // right associative
		}
		right, err := p.expr(next)
		if err != nil {
			return nil, err
		}
		left = &bcBinary{op: op, l: left, r: right}
	}
	return left, nil
}

func isBCLValue(x bcExpr) bool {
	switch x.(type) {
	case *bcVar, *bcIndex:
		return true
	}
	return false
}

// unary parses prefix operators and a primary. Unary minus binds tighter
// than ^ (bc prints 4 for -2^2); ! binds looser than comparisons.
func (p *bcParser) unary() (bcExpr, error) {
	switch {
	case p.isOp("-"):
		p.advance()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &bcUnary{op: "-", x: x}, nil
	case p.isOp("!"):
		p.advance()
		x, err := p.expr(precRel)
		if err != nil {
			return nil, err
		}
		return &bcUnary{op: "!", x: x}, nil
	case p.isOp("++") || p.isOp("--"):
		inc := p.isOp("++")
		p.advance()
		x, err := p.named()
		if err != nil {
			return nil, err
		}
		return &bcIncDec{pre: true, inc: inc, lhs: x}, nil
	}
	return p.postfix()
}

// postfix parses a primary and a trailing ++ or -- on a variable.
func (p *bcParser) postfix() (bcExpr, error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	if isBCLValue(x) && (p.isOp("++") || p.isOp("--")) {
		inc := p.isOp("++")
		p.advance()
		return &bcIncDec{inc: inc, lhs: x}, nil
	}
	return x, nil
}

func (p *bcParser) primary() (bcExpr, error) {
	switch {
	case p.tok.kind == bcNumber:
		x := &bcNumLit{text: p.tok.text}
		p.advance()
		return x, nil
	case p.isOp("("):
		p.advance()
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		return x, p.expect(")")
	case p.tok.kind == bcName:
		return p.nameExpr()
	}
	return nil, p.fail()
}

// nameExpr parses what can follow a name: a call, an array element, a
// builtin function, or a plain variable.
func (p *bcParser) nameExpr() (bcExpr, error) {
	name := p.tok.text
	switch name {
	case "length", "sqrt", "scale", "read":
		p.advance()
		if name == "scale" && !p.isOp("(") {
			return &bcVar{name: "scale"}, nil
		}
		return p.builtin(name)
	case "ibase", "obase", "last":
		p.advance()
		return &bcVar{name: name}, nil
	}
	if bcKeywords[name] {
		return nil, p.fail()
	}
	p.advance()
	switch {
	case p.isOp("("):
		return p.call(name)
	case p.isOp("["):
		p.advance()
		idx, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		return &bcIndex{name: name, index: idx}, p.expect("]")
	}
	return &bcVar{name: name}, nil
}

// named parses the operand of a prefix ++/--, which must be a variable.
func (p *bcParser) named() (bcExpr, error) {
	if p.tok.kind != bcName {
		return nil, p.fail()
	}
	x, err := p.nameExpr()
	if err != nil {
		return nil, err
	}
	if !isBCLValue(x) {
		return nil, p.fail()
	}
	return x, nil
}

func (p *bcParser) builtin(name string) (bcExpr, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	if name == "read" {
		return &bcBuiltin{name: name}, p.expect(")")
	}
	x, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	return &bcBuiltin{name: name, x: x}, p.expect(")")
}

func (p *bcParser) call(name string) (bcExpr, error) {
	p.advance() // (
	c := &bcCall{name: name}
	if p.isOp(")") {
		p.advance()
		return c, nil
	}
	for {
		arg, err := p.arg()
		if err != nil {
			return nil, err
		}
		c.args = append(c.args, arg)
		if p.isOp(")") {
			p.advance()
			return c, nil
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
	}
}

// arg parses one call argument; "a[]" passes the whole array a.
func (p *bcParser) arg() (bcArg, error) {
	if p.tok.kind == bcName && !bcKeywords[p.tok.text] {
		save, saveLx := p.tok, p.lx
		name := p.tok.text
		p.advance()
		if p.isOp("[") {
			p.advance()
			if p.isOp("]") {
				p.advance()
				return bcArg{array: name}, nil
			}
		}
		p.tok, p.lx = save, saveLx
	}
	x, err := p.expr(0)
	return bcArg{x: x}, err
}
