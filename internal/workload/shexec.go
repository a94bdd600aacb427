package workload

import (
	"errors"
	"strings"
)

// runList runs a list, returning the status of the last command.
func (sh *shell) runList(l *shList, io *shIO) error {
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

// runBackground runs `cmd &`. The job runs in a subshell from the current
// instant; the parent's clock does not move. Its output and writes are
// stamped with its own times. A job still running at the horizon (or
// forever) is remembered so that `wait` never returns.
func (sh *shell) runBackground(ao *shAndOr, io *shIO) error {
	sub := sh.subshell()
	sub.idle = 0
	fg := *ao
	fg.background = false
	err := sub.runAndOr(&fg, io)
	sh.run.nextPID++
	sh.lastBg = sh.run.nextPID
	var halt *shHalt
	var exit *shExit
	switch {
	case errors.As(err, &halt) && halt.reason == StopStepLimit:
		return err
	case errors.As(err, &halt):
		sh.bgForever = true
	case err == nil || errors.As(err, &exit):
		sh.bgEnd = max(sh.bgEnd, sub.now)
	default:
		sh.bgEnd = max(sh.bgEnd, sub.now)
	}
	sh.status = 0
	return nil
}

// runAndOr runs pipelines joined by && and ||. Every pipeline but the last
// is a condition, so set -e ignores its failure.
func (sh *shell) runAndOr(ao *shAndOr, io *shIO) error {
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
func (sh *shell) runPipeline(pl *shPipeline, io *shIO) error {
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

func (sh *shell) runStages(pl *shPipeline, io *shIO) error {
	if len(pl.cmds) == 1 {
		return sh.runCommand(pl.cmds[0], io)
	}
	if err := sh.runPipe(pl, io); err != nil {
		return err
	}
	return sh.checkErrexit()
}

func (sh *shell) runPipe(pl *shPipeline, io *shIO) error {
	start, end := sh.now, sh.now
	in := io.stdin
	var halted error
	for i, cmd := range pl.cmds {
		sub := sh.subshell()
		sub.now = start
		stageIO := &shIO{stdin: in, stderr: io.stderr, stdout: io.stdout}
		var buf bufSink
		if i < len(pl.cmds)-1 {
			buf = newBufSink()
			stageIO.stdout = buf
		}
		err := sub.runCommand(cmd, stageIO)
		var halt *shHalt
		switch {
		case errors.As(err, &halt) && halt.reason != StopHorizon:
			return err
		case errors.As(err, &halt):
			halted = err
		case err != nil && !isExit(err):
			return err
		}
		end = max(end, sub.now)
		sh.status = sub.status
		if e := (*shExit)(nil); errors.As(err, &e) {
			sh.status = e.code
		}
		if i < len(pl.cmds)-1 {
			in = &shInput{data: buf.b.String(), ready: sub.now, blocked: halted != nil}
		}
	}
	sh.now = end
	return halted
}

func isExit(err error) bool {
	var e *shExit
	return errors.As(err, &e)
}

func boolStatus(ok bool) int {
	if ok {
		return 0
	}
	return 1
}

// runCommand runs one command of any kind.
func (sh *shell) runCommand(cmd shCommand, io *shIO) error {
	if err := sh.step(); err != nil {
		return err
	}
	switch c := cmd.(type) {
	case *shSimple:
		return sh.runSimple(c, io)
	case *shFuncDef:
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
func (sh *shell) condition(l *shList, io *shIO) (bool, error) {
	sh.condDepth++
	err := sh.runList(l, io)
	sh.condDepth--
	return sh.status == 0, err
}

func (sh *shell) runIf(c *shIf, io *shIO) error {
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
	var ctl *shLoopCtl
	if !errors.As(err, &ctl) {
		return err != nil, false, err
	}
	if ctl.n > 1 {
		return true, false, &shLoopCtl{n: ctl.n - 1, cont: ctl.cont}
	}
	return !ctl.cont, ctl.cont, nil
}

func (sh *shell) runLoop(c *shLoop, io *shIO) error {
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

func (sh *shell) runFor(c *shFor, io *shIO) error {
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

func (sh *shell) runCase(c *shCase, io *shIO) error {
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

func (sh *shell) runGroup(c *shGroup, io *shIO) error {
	if !c.subshell {
		return sh.runList(c.body, io)
	}
	sub := sh.subshell()
	err := sub.runList(c.body, io)
	sh.now, sh.idle = sub.now, sub.idle
	sh.status = sub.status
	var exit *shExit
	if errors.As(err, &exit) {
		sh.status = exit.code
		return sh.checkErrexit()
	}
	if err != nil {
		return err
	}
	return sh.checkErrexit()
}

// checkErrexit ends the shell after a failed command under set -e, unless
// the command is part of a condition.
func (sh *shell) checkErrexit() error {
	if sh.errexit && sh.status != 0 && sh.condDepth == 0 {
		return &shExit{code: sh.status}
	}
	return nil
}

// runFunction calls a shell function with its own positional parameters.
func (sh *shell) runFunction(body shCommand, argv []string, io *shIO) error {
	if sh.funcDepth >= maxShFuncDepth {
		sh.errorf(io, "%s: function nesting too deep", argv[0])
		return &shExit{code: 2}
	}
	saved := sh.args
	sh.args = append([]string(nil), argv[1:]...)
	sh.funcDepth++
	sh.locals = append(sh.locals, map[string]*shVar{})
	err := sh.runCommand(body, io)
	sh.restoreLocals()
	sh.funcDepth--
	sh.args = saved
	var ret *shReturn
	if errors.As(err, &ret) {
		sh.status = ret.code
		return nil
	}
	return err
}

// maxShFuncDepth bounds function recursion.
const maxShFuncDepth = 200

// restoreLocals undoes the `local` declarations of the function returning.
func (sh *shell) restoreLocals() {
	top := sh.locals[len(sh.locals)-1]
	sh.locals = sh.locals[:len(sh.locals)-1]
	for name, old := range top {
		if old == nil {
			delete(sh.vars, name)
		} else {
			sh.vars[name] = old
		}
	}
}

// trimNewlines drops trailing newlines, as command substitution does.
func trimNewlines(s string) string { return strings.TrimRight(s, "\n") }
