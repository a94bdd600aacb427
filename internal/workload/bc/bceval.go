package bc

import (
	"fmt"
)

func (in *bcInterp) eval(x bcExpr) (bcNum, error) {
	if err := in.step(); err != nil {
		return bcNum{}, err
	}
	switch x := x.(type) {
	case *bcNumLit:
		return in.constant(x.text), nil
	case *bcVar:
		return in.load(x.name), nil
	case *bcIndex:
		arr, idx, err := in.element(x)
		if err != nil {
			return bcNum{}, err
		}
		return arr.get(in.a, idx), nil
	case *bcUnary:
		return in.evalUnary(x)
	case *bcBinary:
		return in.evalBinary(x)
	case *bcAssign:
		return in.evalAssign(x)
	case *bcIncDec:
		return in.evalIncDec(x)
	case *bcCall:
		return in.evalCall(x)
	case *bcBuiltin:
		return in.evalBuiltin(x)
	}
	return in.a.zero(), nil
}

func (arr *bcArray) get(a *bcArith, idx int64) bcNum {
	if v, ok := arr.elems[idx]; ok {
		return v
	}
	return a.zero()
}

// load reads a variable or special variable.
func (in *bcInterp) load(name string) bcNum {
	switch name {
	case "scale":
		return in.a.fromInt(int64(in.scale))
	case "ibase":
		return in.a.fromInt(int64(in.ibase))
	case "obase":
		return in.a.fromInt(int64(in.obase))
	case "last":
		return in.last
	}
	if stack := in.vars[name]; len(stack) > 0 {
		return stack[len(stack)-1]
	}
	return in.a.zero()
}

// array returns the current instance of array name, creating it.
func (in *bcInterp) array(name string) *bcArray {
	stack := in.arrays[name]
	if len(stack) == 0 {
		arr := &bcArray{elems: map[int64]bcNum{}}
		in.arrays[name] = []*bcArray{arr}
		return arr
	}
	return stack[len(stack)-1]
}

func (in *bcInterp) element(x *bcIndex) (*bcArray, int64, error) {
	iv, err := in.eval(x.index)
	if err != nil {
		return nil, 0, err
	}
	idx, ok := in.a.intPart(iv)
	if !ok || idx < 0 || idx > maxBCArrayIndex {
		return nil, 0, &bcError{msg: fmt.Sprintf("Array %s subscript out of bounds.", x.name)}
	}
	return in.array(x.name), idx, nil
}

// store assigns to a variable, array element or special variable, and
// returns the value the assignment expression has.
func (in *bcInterp) store(lhs bcExpr, v bcNum) (bcNum, error) {
	switch lhs := lhs.(type) {
	case *bcIndex:
		arr, idx, err := in.element(lhs)
		if err != nil {
			return bcNum{}, err
		}
		arr.elems[idx] = v
		return v, nil
	case *bcVar:
		switch lhs.name {
		case "scale", "ibase", "obase":
			in.setSpecial(lhs.name, v)
			return v, nil
		case "last":
			in.last = v
			return v, nil
		}
		stack := in.vars[lhs.name]
		if len(stack) == 0 {
			in.vars[lhs.name] = []bcNum{v}
		} else {
			stack[len(stack)-1] = v
		}
	}
	return v, nil
}

// setSpecial sets scale, ibase or obase to the integer part of v, clamping
// with bc's warnings.
func (in *bcInterp) setSpecial(name string, v bcNum) {
	n, ok := in.a.intPart(v)
	if !ok {
		n = 1 << 62
		if v.neg {
			n = -n
		}
	}
	warn := func(msg string) { in.stderr((&bcError{msg: msg, warning: true}).Error()) }
	switch name {
	case "scale":
		switch {
		case n < 0:
			warn("negative scale, set to 0")
			n = 0
		case n > maxBCScale:
			warn(fmt.Sprintf("scale too large, set to %d", maxBCScale))
			n = maxBCScale
		}
		in.scale = int(n)
	case "ibase":
		if n < 2 {
			warn("ibase too small, set to 2")
			n = 2
		}
		in.ibase = int(min(n, 16))
	case "obase":
		if n < 2 {
			warn("obase too small, set to 2")
			n = 2
		}
		if n > 1<<20 {
			warn(fmt.Sprintf("obase too large, set to %d", 1<<20))
			n = 1 << 20
		}
		in.obase = int(n)
	}
}

func (in *bcInterp) evalUnary(x *bcUnary) (bcNum, error) {
	v, err := in.eval(x.x)
	if err != nil {
		return bcNum{}, err
	}
	if x.op == "!" {
		return in.boolNum(v.isZero()), nil
	}
	// bc negates by subtracting from zero, so -0 is plain 0.
	return in.a.sub(in.a.zero(), v, 0), nil
}

func (in *bcInterp) boolNum(b bool) bcNum {
	if b {
		return in.a.fromInt(1)
	}
	return in.a.zero()
}

func (in *bcInterp) evalBinary(x *bcBinary) (bcNum, error) {
	l, err := in.eval(x.l)
	if err != nil {
		return bcNum{}, err
	}
	switch x.op { // && and || short-circuit
	case "&&":
		if l.isZero() {
			return in.a.zero(), nil
		}
	case "||":
		if !l.isZero() {
			return in.a.fromInt(1), nil
		}
	}
	r, err := in.eval(x.r)
	if err != nil {
		return bcNum{}, err
	}
	return in.arith(x.op, l, r)
}

// arith applies a binary operator.
func (in *bcInterp) arith(op string, l, r bcNum) (bcNum, error) {
	a := in.a
	var v bcNum
	var err error
	switch op {
	case "+":
		v = a.add(l, r, 0)
	case "-":
		v = a.sub(l, r, 0)
	case "*":
		v = a.mul(l, r, in.scale)
	case "/":
		v, err = a.divide(l, r, in.scale)
	case "%":
		if r.isZero() {
			return bcNum{}, errBCModZero
		}
		v = a.mod(l, r, in.scale)
	case "^":
		var warn *bcError
		v, warn, err = a.raise(l, r, in.scale)
		if warn != nil {
			in.stderr(warn.Error())
		}
	case "&&", "||":
		v = in.boolNum(!r.isZero())
	default:
		v = in.boolNum(compareOp(op, a.cmp(l, r)))
	}
	if err != nil {
		return bcNum{}, err
	}
	return v, a.checkSize(v)
}

func compareOp(op string, c int) bool {
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0 // ">="
}

func (in *bcInterp) evalAssign(x *bcAssign) (bcNum, error) {
	rhs, err := in.eval(x.rhs)
	if err != nil {
		return bcNum{}, err
	}
	if x.op != "=" {
		cur, err := in.eval(x.lhs)
		if err != nil {
			return bcNum{}, err
		}
		if rhs, err = in.arith(x.op[:1], cur, rhs); err != nil {
			return bcNum{}, err
		}
	}
	return in.store(x.lhs, rhs)
}

func (in *bcInterp) evalIncDec(x *bcIncDec) (bcNum, error) {
	cur, err := in.eval(x.lhs)
	if err != nil {
		return bcNum{}, err
	}
	one := in.a.fromInt(1)
	next := in.a.add(cur, one, 0)
	if !x.inc {
		next = in.a.sub(cur, one, 0)
	}
	if _, err := in.store(x.lhs, next); err != nil {
		return bcNum{}, err
	}
	if x.pre {
		return next, nil
	}
	return cur, nil
}

func (in *bcInterp) evalBuiltin(x *bcBuiltin) (bcNum, error) {
	if x.name == "read" {
		return bcNum{}, errBCRead
	}
	v, err := in.eval(x.x)
	if err != nil {
		return bcNum{}, err
	}
	switch x.name {
	case "length":
		return in.a.fromInt(int64(in.lib.length(v))), nil
	case "scale":
		return in.a.fromInt(int64(v.scale)), nil
	}
	return in.a.sqrt(v, in.scale)
}
