package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/sim"
)

func TestPrompts(t *testing.T) {
	p, rest, ok := splitHostPrompt("[root@k8s-master nginx]# kubectl get pods")
	require.True(t, ok)
	assert.Equal(t, hostPrompt{user: "root", machine: "k8s-master", dir: "nginx"}, p)
	assert.Equal(t, "kubectl get pods", rest)
	_, _, ok = splitHostPrompt("kubectl get pods")
	assert.False(t, ok)
	for line, want := range map[string]string{
		"root@nginx-web-0:/# exit":   "root@nginx-web-0:/#",
		"mysql> show databases;":     "mysql>",
		"    -> databases;":          "->",
		"root@mysql-0:/var/lib# ls ": "root@mysql-0:/var/lib#",
	} {
		got, _, ok := splitSessionPrompt(line)
		assert.True(t, ok, line)
		assert.Equal(t, want, got, line)
	}
	_, _, ok = splitSessionPrompt("echo mysql> x")
	assert.False(t, ok)
}

// A line's prompt must be the terminal's: a session's prompt when none is
// open, or a machine's while one is, stops the replay naming the line.
func TestPromptMismatchesStop(t *testing.T) {
	r, err := NewRunner(sim.Config{}, ".")
	require.NoError(t, err)
	defer r.Close()
	run := func(text string) (string, error) {
		return r.Exec("f.txt", Command{Line: 9, Text: text, Raw: text + "\n"})
	}
	_, err = run("mysql> show databases;")
	assert.EqualError(t, err, "f.txt:9: the line's prompt is mysql>, but the terminal shows [root@k8s-master ~]#")
	_, err = run("[root@k8s-mastr ~]# pwd")
	assert.EqualError(t, err, "f.txt:9: the prompt names k8s-mastr, which is no machine of the cluster (machines: k8s-master, k8s-node1, k8s-node2)")
	_, err = run("[admin@k8s-master ~]# pwd")
	assert.EqualError(t, err, "f.txt:9: the prompt logs in as admin: kubesim's terminals are root's")
	_, err = run("[root@k8s-master nowhere]# pwd")
	assert.EqualError(t, err, "f.txt:9: the prompt's directory nowhere does not exist on k8s-master")
	out, err := run("[root@k8s-node2 ~]# hostname")
	require.NoError(t, err)
	assert.Equal(t, "k8s-node2\n", out)
	assert.Equal(t, "$ ", r.EchoPrompt(Command{Text: "pwd"}))
	assert.Equal(t, "", r.EchoPrompt(Command{Text: "[root@k8s-node2 ~]# pwd"}))
	out, err = run("for i in 1 2; do")
	require.NoError(t, err)
	assert.Equal(t, "", out)
	assert.Equal(t, "> ", r.EchoPrompt(Command{Text: "echo $i"}), "the command goes on")
	out, err = run("echo $i; done")
	require.NoError(t, err)
	assert.Equal(t, "1\n2\n", out)
}

// A prompt's directory is the last one of that name the terminal was in,
// even when a newer directory of that name exists elsewhere (the
// tutorial's mysql scene: /k8s/application/mysql, not /mnt/data-3/mysql).
func TestPromptDirectoryIsTheVisitedOne(t *testing.T) {
	r, err := NewRunner(sim.Config{}, ".")
	require.NoError(t, err)
	defer r.Close()
	for i, line := range []string{
		"[root@k8s-master ~]# mkdir -p /k8s/application/mysql && cd /k8s/application/mysql",
		"[root@k8s-master mysql]# cd /mnt",
		"[root@k8s-master mnt]# mkdir -p /mnt/data-3/mysql",
		"[root@k8s-master mysql]# pwd",
	} {
		out, err := r.Exec("f.txt", Command{Line: i + 1, Text: line, Raw: line})
		require.NoError(t, err, line)
		if i == 3 {
			assert.Equal(t, "/k8s/application/mysql\n", out)
		}
	}
}

// A transcript shows a command's lines as typed: the here-document's
// delimiter as quoted, each further line after bash's "> ".
func TestEchoShowsTheLinesAsTyped(t *testing.T) {
	s, err := Parse("f.txt", "[root@k8s-master ~]# cat > /etc/exports <<'END'\n/mnt/data *(rw)\nEND\nkubectl get pods \\\n  -o wide\nkubectl get pv\n")
	require.NoError(t, err)
	require.Len(t, s.Commands, 3)
	assert.Equal(t, "$ [root@k8s-master ~]# cat > /etc/exports <<'END'\n> /mnt/data *(rw)\n> END\n", Echo(s.Commands[0]))
	assert.Equal(t, "$ kubectl get pods \\\n>   -o wide\n", Echo(s.Commands[1]))
	assert.Equal(t, "$ kubectl get pv\n", Echo(s.Commands[2]))
}
