package sh

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/proc"
)

// terminal is an interactive shell typed into a line at a time.
type terminal struct {
	p  *proc.Proc
	in *proc.Pipe
	r  *Run
}

func newTerminal(t *testing.T, env ...EnvVar) *terminal {
	t.Helper()
	fsys := vfs.New()
	require.NoError(t, fsys.MkdirAll("/root", 0o700, time.Time{}))
	require.NoError(t, fsys.MkdirAll("/tmp", 0o777, time.Time{}))
	p := proc.New(time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC), fsys, proc.Options{})
	in := proc.NewPipe(1)
	env = append([]EnvVar{{Name: "HOME", Value: "/root"}, {Name: "PATH", Value: "/usr/bin:/bin"}}, env...)
	r := Start(p, Config{Argv: []string{"-bash"}, Env: env, Hostname: "k8s-master", Userland: Userland{Shell: "bash4"},
		StdinPipe: in, Dir: "/root", Interactive: true})
	return &terminal{p: p, in: in, r: r}
}

// typeLine types a line and returns what the terminal printed until it
// waited for input again.
func (tm *terminal) typeLine(line string) string {
	tm.in.Write(0, line+"\n")
	tm.p.RunUntil(time.Hour)
	var b strings.Builder
	for _, l := range tm.p.TakeOutput() {
		b.WriteString(l.Text)
		if !l.Partial {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// A terminal's shell keeps its variables, functions and directory from
// one command to the next, waits for the rest of a command that goes on,
// and shows its prompt.
func TestInteractiveShell(t *testing.T) {
	tm := newTerminal(t, EnvVar{Name: "PS1", Value: `[\u@\h \W]\$ `})
	tm.p.RunUntil(0)
	assert.Equal(t, "[root@k8s-master ~]# ", tm.p.Prompt())
	assert.True(t, tm.in.Waiting())
	assert.Equal(t, "", tm.typeLine("x=41; f() { echo $((x+1)); }"))
	assert.Equal(t, "42\n", tm.typeLine("f"))
	assert.Equal(t, "", tm.typeLine("mkdir -p /k8s/nginx && cd /k8s/nginx"))
	assert.Equal(t, "[root@k8s-master nginx]# ", tm.p.Prompt())
	assert.Equal(t, "/k8s/nginx", tm.r.Dir())
	assert.Equal(t, "", tm.typeLine("for i in 0 1; do"))
	assert.Equal(t, "> ", tm.p.Prompt(), "the command goes on")
	assert.Equal(t, "", tm.typeLine("  echo web-$i"))
	assert.Equal(t, "web-0\nweb-1\n", tm.typeLine("done"))
	assert.Equal(t, "", tm.typeLine("cat > pv.yaml <<'EOF'"))
	assert.Equal(t, "", tm.typeLine("kind: $NOT_EXPANDED"))
	assert.Equal(t, "", tm.typeLine("EOF"))
	assert.Equal(t, "kind: $NOT_EXPANDED\n", tm.typeLine("cat /k8s/nginx/pv.yaml"))
	assert.Equal(t, "bash: nosuch: command not found\n127\n", tm.typeLine("nosuch; echo $?"))
	assert.Equal(t, "bash: syntax error near unexpected token `fi'\n", tm.typeLine("fi"))
	assert.Equal(t, "", tm.typeLine("cd /tmp"))
	assert.Equal(t, "/k8s/nginx\n", tm.typeLine("cd -"))
	assert.Equal(t, "exit\n", tm.typeLine("exit 3"))
	code, _, done := tm.p.Exited()
	assert.True(t, done)
	assert.Equal(t, 3, code)
}
