package bc

import (
	"fmt"
)

// bcLibArity lists the math library's functions and their argument counts.
var bcLibArity = map[string]int{"a": 1, "s": 1, "c": 1, "e": 1, "l": 1, "j": 2}

func (in *bcInterp) evalCall(x *bcCall) (bcNum, error) {
	if fn, ok := in.funcs[x.name]; ok {
		return in.callUser(fn, x.args)
	}
	if arity, ok := bcLibArity[x.name]; ok && in.cfg.MathLib {
		return in.callLib(x.name, arity, x.args)
	}
	return bcNum{}, &bcError{msg: fmt.Sprintf("Function %s not defined.", x.name)}
}

// callLib runs a math library function and charges its modelled time.
func (in *bcInterp) callLib(name string, arity int, args []bcArg) (bcNum, error) {
	if len(args) != arity {
		return bcNum{}, errBCArgCount
	}
	vals := make([]bcNum, len(args))
	for i, arg := range args {
		if arg.x == nil {
			return bcNum{}, errBCArgCount
		}
		v, err := in.eval(arg.x)
		if err != nil {
			return bcNum{}, err
		}
		vals[i] = v
	}
	in.flush()
	in.cost += LibCost(in.scale)
	l, z := in.lib, in.scale
	switch name {
	case "a":
		return l.atan(vals[0], z)
	case "s":
		return l.sin(vals[0], z)
	case "c":
		return l.cos(vals[0], z)
	case "e":
		return l.exp(vals[0], z)
	case "l":
		return l.log(vals[0], z)
	}
	return l.bessel(vals[0], vals[1], z)
}

// callUser runs a define'd function: arguments are evaluated first, then
// parameters and autos are pushed (bc scopes them dynamically, so functions
// it calls see them) and popped on the way out.
func (in *bcInterp) callUser(fn *bcFunc, args []bcArg) (bcNum, error) {
	if len(args) != len(fn.params) {
		return bcNum{}, errBCArgCount
	}
	if in.depth >= maxBCDepth {
		return bcNum{}, errBCDepth
	}
	type binding struct {
		prm bcParam
		num bcNum
		arr *bcArray
	}
	binds := make([]binding, 0, len(fn.params)+len(fn.autos))
	for i, prm := range fn.params {
		b, err := in.bindArg(prm, args[i])
		if err != nil {
			return bcNum{}, err
		}
		binds = append(binds, binding{prm: prm, num: b.num, arr: b.arr})
	}
	for _, auto := range fn.autos {
		binds = append(binds, binding{prm: auto, num: in.a.zero(), arr: &bcArray{elems: map[int64]bcNum{}}})
	}
	for _, b := range binds {
		in.push(b.prm, b.num, b.arr)
	}
	in.depth++
	defer func() {
		in.depth--
		for _, b := range binds {
			in.pop(b.prm)
		}
	}()
	for _, s := range fn.body {
		err := in.exec(s)
		if ret, ok := err.(*bcReturnSig); ok {
			return ret.v, nil
		}
		if err != nil {
			return bcNum{}, err
		}
	}
	return in.a.zero(), nil
}

type bcBound struct {
	num bcNum
	arr *bcArray
}

// bindArg evaluates one argument for parameter prm; arrays are copied, as
// bc passes them by value.
func (in *bcInterp) bindArg(prm bcParam, arg bcArg) (bcBound, error) {
	if prm.array != (arg.array != "") {
		return bcBound{}, errBCArgCount
	}
	if prm.array {
		return bcBound{arr: in.array(arg.array).clone()}, nil
	}
	v, err := in.eval(arg.x)
	return bcBound{num: v}, err
}

func (in *bcInterp) push(prm bcParam, v bcNum, arr *bcArray) {
	if prm.array {
		if arr == nil {
			arr = &bcArray{elems: map[int64]bcNum{}}
		}
		in.arrays[prm.name] = append(in.arrays[prm.name], arr)
		return
	}
	in.vars[prm.name] = append(in.vars[prm.name], v)
}

func (in *bcInterp) pop(prm bcParam) {
	if prm.array {
		s := in.arrays[prm.name]
		in.arrays[prm.name] = s[:len(s)-1]
		return
	}
	s := in.vars[prm.name]
	in.vars[prm.name] = s[:len(s)-1]
}
