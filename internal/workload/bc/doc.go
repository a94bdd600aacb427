// Package bc is GNU bc 1.07 as the simulator runs it: the calculator a
// container's `bc -l` is (the tutorial's `echo 'scale=10000; 4*a(1)' | bc
// -l`).
//
// [Run] interprets a program with bc's arbitrary precision arithmetic, its
// exact scale and truncation rules, its language (variables, arrays,
// functions with dynamically scoped autos, if/while/for, print, strings,
// ibase/obase) and its output format (70-column lines ending in a
// backslash, BC_LINE_LENGTH as [LineLength] reads it). The -l math library
// follows libmath.b step by step, so the last digit is the one bc prints;
// golden files from real bc are in testdata/bc (regen.sh made them).
//
// # Time
//
// bc takes virtual time: a [Result] says how long the run took ([LibCost]:
// calibrated on the tutorial, scale=10000 takes 1m54s and scale=5000 about
// 40s) and stamps each piece of output ([Chunk]) with the time it appears.
// The shell's bc program (package sh) sleeps accordingly.
//
// # Limits
//
// Nothing here panics on any program, and every run is bounded: scale
// 100000, numbers of a million digits, a million steps, 500 nested calls,
// and Config.OutLimit bytes of output. FuzzBC checks this.
//
// # Imports and determinism
//
// bc imports the standard library only. A run is a pure function of its
// program and configuration.
package bc
