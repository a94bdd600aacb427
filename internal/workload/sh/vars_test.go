package sh

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// varsOf is what a shell's variables say: every name's value and the
// exported list.
func varsOf(sh *Shell, names []string) (map[string]string, []EnvVar) {
	values := map[string]string{}
	for _, n := range names {
		if v, ok := sh.getVar(n); ok {
			values[n] = v
		}
	}
	return values, append([]EnvVar(nil), sh.exported()...)
}

// A shell reads the environment it started with until it changes a
// variable: checked against one that made its variables at once, for
// environments with repeated names and more names than distinctNames
// compares, before and after changes, and in subshells.
func TestShellVariablesMadeOnFirstChangeMatchMadeAtOnce(t *testing.T) {
	d := shDialect{name: "sh", kind: "busybox"}
	many := make([]EnvVar, 70)
	for i := range many {
		many[i] = EnvVar{Name: fmt.Sprintf("V%d", i%50), Value: fmt.Sprint(i)}
	}
	envs := [][]EnvVar{
		nil,
		{{Name: "PATH", Value: "/bin"}, {Name: "HOME", Value: "/root"}},
		{{Name: "A", Value: "1"}, {Name: "B", Value: "2"}, {Name: "A", Value: "3"}, {Name: "C", Value: ""}},
		many,
	}
	names := []string{"PATH", "HOME", "A", "B", "C", "V1", "V49", "V60", "NEW", "missing"}
	changes := []func(sh *Shell){
		func(*Shell) {},
		func(sh *Shell) { sh.setVar("NEW", "x") },
		func(sh *Shell) { sh.setVar("A", "changed") },
		func(sh *Shell) { sh.unsetVar("A"); sh.unsetVar("V1") },
		func(sh *Shell) {
			if v := sh.varMap()["B"]; v != nil {
				v.exported = false // export -n
			}
		},
	}
	for i, env := range envs {
		for j, change := range changes {
			lazy := newShell(&shRun{}, env, d)
			eager := newShell(&shRun{}, env, d)
			eager.varMap()
			lazySub, eagerSub := lazy.subshell(), eager.subshell()
			change(lazy)
			change(eager)
			change(lazySub)
			change(eagerSub)
			wantValues, wantExported := varsOf(eager, names)
			gotValues, gotExported := varsOf(lazy, names)
			assert.Equal(t, wantValues, gotValues, "env %d, change %d", i, j)
			assert.Equal(t, wantExported, gotExported, "env %d, change %d", i, j)
			wantValues, wantExported = varsOf(eagerSub, names)
			gotValues, gotExported = varsOf(lazySub, names)
			assert.Equal(t, wantValues, gotValues, "subshell: env %d, change %d", i, j)
			assert.Equal(t, wantExported, gotExported, "subshell: env %d, change %d", i, j)
		}
	}
}

// A shell that only reads its variables never makes them: its exported
// list is the environment it started with.
func TestReadingVariablesKeepsTheEnvironment(t *testing.T) {
	env := []EnvVar{{Name: "PATH", Value: "/bin"}, {Name: "HOME", Value: "/root"}}
	sh := newShell(&shRun{}, env, shDialect{name: "sh", kind: "busybox"})
	v, ok := sh.getVar("HOME")
	assert.True(t, ok)
	assert.Equal(t, "/root", v)
	assert.Nil(t, sh.vars)
	assert.Same(t, &env[0], &sh.exported()[0])
}
