package scenario

import (
	"regexp"
	"strings"
)

// A scenario line may start with the prompt the tutorial shows before it:
// a machine's bash prompt (`[root@k8s-master nginx]# kubectl get pods`),
// which names the machine and directory the line runs in, or the prompt of
// an interactive session (`root@nginx-web-0:/# exit`, `mysql> show
// databases;`), which must be the one the terminal shows.

// hostPromptRE is CentOS's PS1: [USER@HOST DIR]# (or $).
var hostPromptRE = regexp.MustCompile(`^\[([A-Za-z0-9_.-]+)@([A-Za-z0-9_.-]+) ([^\]]+)\][#$] ?`)

// sessionPromptRE is a container's bash prompt (USER@HOST:DIR#) or a
// client's (mysql>).
var sessionPromptRE = regexp.MustCompile(`^(?:([A-Za-z0-9_.-]+)@([A-Za-z0-9_.-]+):(\S*)[#$]|mysql>|\s*->|MariaDB \[[^\]]*\]>) ?`)

// hostPrompt is a machine's prompt on a line.
type hostPrompt struct {
	user, machine, dir string
}

// splitHostPrompt cuts a machine's prompt off a line.
func splitHostPrompt(line string) (hostPrompt, string, bool) {
	m := hostPromptRE.FindStringSubmatchIndex(line)
	if m == nil {
		return hostPrompt{}, line, false
	}
	p := hostPrompt{user: line[m[2]:m[3]], machine: line[m[4]:m[5]], dir: line[m[6]:m[7]]}
	return p, line[m[1]:], true
}

// splitSessionPrompt cuts a session's prompt off a line, returning the
// prompt as typed (without its trailing blank).
func splitSessionPrompt(line string) (string, string, bool) {
	m := sessionPromptRE.FindStringIndex(line)
	if m == nil {
		return "", line, false
	}
	return strings.TrimSpace(line[:m[1]]), line[m[1]:], true
}

// hasPrompt reports whether a line starts with a prompt of either kind.
func hasPrompt(line string) bool {
	return hostPromptRE.MatchString(line) || sessionPromptRE.MatchString(line)
}
