package sh

import (
	"errors"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/proc"
)

// runList runs a list, returning the status of the last command.
func (sh *Shell) runList(l *shList, io *IO) error {
	for _, ao := range l.items {
		if ao.background {
			if err := sh.runBackground(ao, io); err != nil {
				return err
			}
			continue
		}
		if err := sh.runAndOr(ao, io); err != nil {
			return err
		}
	}
	return nil
}

// runBackground runs `cmd &`: a subshell on a thread of its own, from the
// current instant, while this shell goes on. wait waits for it.
func (sh *Shell) runBackground(ao *shAndOr, io *IO) error {
	if !sh.mayFork(1, io) {
		return nil
	}
	sub := sh.subshell()
	fg := *ao
	fg.background = false
	job := sh.run.proc.Spawn(sh.now, func(t *proc.Thread) time.Duration {
		sub.th = t
		sub.endThread(sub.runAndOr(&fg, io))
		return sub.now
	})
	sh.children = append(sh.children, job)
	sh.run.nextPID++
	sh.lastBg = sh.run.nextPID
	sh.status = 0
	return nil
}

// endThread settles how a background job or pipeline stage ended: exit
// and crash only end it (its status stays in sh), while a spinning or
// over-budget job freezes the whole process.
func (sh *Shell) endThread(err error) {
	if exit, ok := errors.AsType[*shExit](err); ok {
		sh.status = exit.code
	} else if crashed(err) {
		sh.status = proc.CrashStatus
	} else if halt, ok := errors.AsType[*proc.Halt](err); ok && halt.Reason != proc.StopKilled {
		sh.run.proc.Freeze(halt.Reason)
	}
}

// mayFork reports whether n more threads fit in the process, printing
// the shell's fork error (status 2) when they do not.
func (sh *Shell) mayFork(n int, io *IO) bool {
	if sh.run.proc.Threads()+n <= proc.MaxThreads {
		return true
	}
	io.stderr.write(sh, sh.dialect.forkError(sh.line)+"\n")
	sh.status = 2
	return false
}

// runAndOr runs pipelines joined by && and ||. Every pipeline but the last
// is a condition, so set -e ignores its failure.
func (sh *Shell) runAndOr(ao *shAndOr, io *IO) error {
	pipes := []*shPipeline{ao.first}
	for _, part := range ao.rest {
		pipes = append(pipes, part.p)
	}
	for i, pl := range pipes {
		if i > 0 && ao.rest[i-1].and != (sh.status == 0) {
			continue
		}
		last := i == len(pipes)-1
		if !last {
			sh.condDepth++
		}
		err := sh.runPipeline(pl, io)
		if !last {
			sh.condDepth--
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// runPipeline runs commands joined by |. Each stage runs in a subshell
// starting at the same instant; a stage's input becomes readable when the
// stage before it ends. The pipeline ends when its last stage to finish
// does, with the status of the last stage.
func (sh *Shell) runPipeline(pl *shPipeline, io *IO) error {
	if pl.bang {
		sh.condDepth++
	}
	err := sh.runStages(pl, io)
	if pl.bang {
		sh.condDepth--
		if err == nil {
			sh.status = boolStatus(sh.status != 0)
		}
	}
	return err
}

func (sh *Shell) runStages(pl *shPipeline, io *IO) error {
	if len(pl.cmds) == 1 {
		return sh.runCommand(pl.cmds[0], io)
	}
	if err := sh.runPipe(pl, io); err != nil {
		return err
	}
	return sh.checkErrexit()
}

// runPipe runs each stage of a pipeline on a thread of its own, all from
// the current instant, joined by pipes: a reader sees each piece of data
// at the virtual time its writer wrote it, and end of input when the
// writer's stage ends. The pipeline ends when its last stage to finish
// does, with the status of the last stage.
func (sh *Shell) runPipe(pl *shPipeline, io *IO) error {
	if !sh.mayFork(len(pl.cmds), io) {
		return nil
	}
	var stages []*proc.Thread
	var last *Shell
	in := io.stdin
	for i, cmd := range pl.cmds {
		sub := sh.subshell()
		stageIO := &IO{stdin: in, stderr: io.stderr, stdout: io.stdout}
		var out *proc.Pipe
		if i < len(pl.cmds)-1 {
			out = proc.NewPipe(1)
			stageIO.stdout = pipeSink{out}
			in = &shInput{pipe: out}
		}
		stage := cmd
		stages = append(stages, sh.run.proc.Spawn(sh.now, func(t *proc.Thread) time.Duration {
			sub.th = t
			sub.endThread(sub.runCommand(stage, stageIO))
			if out != nil {
				out.Close(sub.now)
			}
			return sub.now
		}))
		last = sub
	}
	if err := sh.waitFor(stages); err != nil {
		return err
	}
	sh.status = last.status
	return nil
}

func isExit(err error) bool {
	_, ok := errors.AsType[*shExit](err)
	return ok
}

// isLoopCtl reports whether err is a break or continue.
func isLoopCtl(err error) bool {
	_, ok := errors.AsType[*shLoopCtl](err)
	return ok
}

// isReturn reports whether err is a function's return.
func isReturn(err error) bool {
	_, ok := errors.AsType[*shReturn](err)
	return ok
}

func boolStatus(ok bool) int {
	if ok {
		return 0
	}
	return 1
}

// runCommand runs one command of any kind.
func (sh *Shell) runCommand(cmd shCommand, io *IO) error {
	if err := sh.step(); err != nil {
		return err
	}
	switch c := cmd.(type) {
	case *shSimple:
		return sh.runSimple(c, io)
	case *shFuncDef:
		if sh.funcs == nil {
			sh.funcs = map[string]shCommand{}
		}
		sh.funcs[c.name] = c.body
		sh.status = 0
		return nil
	}
	redirs := compoundRedirs(cmd)
	rio, ok := sh.redirect(redirs, io)
	if !ok {
		sh.status = 2
		return nil
	}
	var err error
	switch c := cmd.(type) {
	case *shIf:
		err = sh.runIf(c, rio)
	case *shLoop:
		err = sh.runLoop(c, rio)
	case *shFor:
		err = sh.runFor(c, rio)
	case *shCase:
		err = sh.runCase(c, rio)
	case *shGroup:
		err = sh.runGroup(c, rio)
	}
	return err
}

func compoundRedirs(cmd shCommand) []*shRedir {
	switch c := cmd.(type) {
	case *shIf:
		return c.redirs
	case *shLoop:
		return c.redirs
	case *shFor:
		return c.redirs
	case *shCase:
		return c.redirs
	case *shGroup:
		return c.redirs
	}
	return nil
}

// condition runs a list as a condition: set -e does not apply inside it.
func (sh *Shell) condition(l *shList, io *IO) (bool, error) {
	sh.condDepth++
	err := sh.runList(l, io)
	sh.condDepth--
	return sh.status == 0, err
}

func (sh *Shell) runIf(c *shIf, io *IO) error {
	for i, cond := range c.conds {
		ok, err := sh.condition(cond, io)
		if err != nil {
			return err
		}
		if ok {
			return sh.runList(c.bodies[i], io)
		}
	}
	if c.els != nil {
		return sh.runList(c.els, io)
	}
	sh.status = 0
	return nil
}

// loopCtl interprets a break or continue reaching a loop: it reports
// whether the loop stops, and the error to pass further out.
func loopCtl(err error) (stop bool, cont bool, out error) {
	ctl, ok := errors.AsType[*shLoopCtl](err)
	if !ok {
		return err != nil, false, err
	}
	if ctl.n > 1 {
		return true, false, &shLoopCtl{n: ctl.n - 1, cont: ctl.cont}
	}
	return !ctl.cont, ctl.cont, nil
}

func (sh *Shell) runLoop(c *shLoop, io *IO) error {
	status := 0
	for {
		if err := sh.step(); err != nil {
			return err
		}
		ok, err := sh.condition(c.cond, io)
		if err != nil {
			return err
		}
		if ok == c.until {
			sh.status = status
			return nil
		}
		err = sh.runList(c.body, io)
		status = sh.status
		if stop, _, out := loopCtl(err); stop {
			sh.status = status
			return out
		}
	}
}

func (sh *Shell) runFor(c *shFor, io *IO) error {
	var items []string
	if c.hasIn {
		var err error
		if items, err = sh.expandWords(c.words, io); err != nil {
			return err
		}
	} else {
		items = append(items, sh.args...)
	}
	sh.status = 0
	for _, item := range items {
		if err := sh.step(); err != nil {
			return err
		}
		sh.setVar(c.name, item)
		err := sh.runList(c.body, io)
		if stop, _, out := loopCtl(err); stop {
			return out
		}
	}
	return nil
}

func (sh *Shell) runCase(c *shCase, io *IO) error {
	word, err := sh.expandString(c.word, io)
	if err != nil {
		return err
	}
	sh.status = 0
	for _, item := range c.items {
		for _, pw := range item.patterns {
			pat, err := sh.expandPattern(pw, io)
			if err != nil {
				return err
			}
			if globMatch(pat, word) {
				return sh.runList(item.body, io)
			}
		}
	}
	return nil
}

func (sh *Shell) runGroup(c *shGroup, io *IO) error {
	if !c.subshell {
		return sh.runList(c.body, io)
	}
	if err := sh.enter(); err != nil {
		return err
	}
	defer sh.leave()
	sub := sh.subshell()
	err := sub.runList(c.body, io)
	sh.now = sub.now
	sh.status = sub.status
	if exit, ok := errors.AsType[*shExit](err); ok {
		sh.status = exit.code
		return sh.checkErrexit()
	}
	if crashed(err) {
		// A subshell is a process: its stack overflow ends it alone.
		sh.status = proc.CrashStatus
		return sh.checkErrexit()
	}
	if err != nil {
		return err
	}
	return sh.checkErrexit()
}

// checkErrexit ends the shell after a failed command under set -e, unless
// the command is part of a condition.
func (sh *Shell) checkErrexit() error {
	if sh.errexit && sh.status != 0 && sh.condDepth == 0 {
		return &shExit{code: sh.status}
	}
	return nil
}

// runFunction calls a shell function with its own positional parameters.
func (sh *Shell) runFunction(body shCommand, argv []string, io *IO) error {
	if err := sh.enter(); err != nil {
		return err
	}
	defer sh.leave()
	saved := sh.args
	sh.args = append([]string(nil), argv[1:]...)
	sh.funcDepth++
	sh.locals = append(sh.locals, map[string]*shVar{})
	err := sh.runCommand(body, io)
	sh.restoreLocals()
	sh.funcDepth--
	sh.args = saved
	if ret, ok := errors.AsType[*shReturn](err); ok {
		sh.status = ret.code
		return nil
	}
	return err
}

// restoreLocals undoes the `local` declarations of the function returning.
func (sh *Shell) restoreLocals() {
	top := sh.locals[len(sh.locals)-1]
	sh.locals = sh.locals[:len(sh.locals)-1]
	for name, old := range top {
		if old == nil {
			delete(sh.varMap(), name)
		} else {
			sh.varMap()[name] = old
		}
	}
}

// trimNewlines drops trailing newlines, as command substitution does.
func trimNewlines(s string) string { return strings.TrimRight(s, "\n") }
