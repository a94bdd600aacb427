package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCommandsContinuationsHeredocsAndExpectations(t *testing.T) {
	src := `# the π job
kubectl create -f job.yaml
----
job.batch/pi created

sleep 10s
kubectl get \
  pods
----
NAME   READY
pi-x   1/1

kubectl apply -f - <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: demo
EOF
----
namespace/demo created

kubectl logs pi-x
----
----
3.14

done
----
----
`
	s, err := Parse("t.txt", src)
	require.NoError(t, err)
	require.Len(t, s.Commands, 5)

	c := s.Commands[0]
	assert.Equal(t, 2, c.Line)
	assert.Equal(t, "kubectl create -f job.yaml", c.Text)
	require.NotNil(t, c.Expected)
	assert.Equal(t, "job.batch/pi created\n", *c.Expected)

	assert.Equal(t, "sleep 10s", s.Commands[1].Text)
	assert.Nil(t, s.Commands[1].Expected)

	assert.Equal(t, "kubectl get pods", s.Commands[2].Text)
	assert.Equal(t, 7, s.Commands[2].Line)
	assert.Equal(t, "NAME   READY\npi-x   1/1\n", *s.Commands[2].Expected)

	h := s.Commands[3]
	assert.Equal(t, "kubectl apply -f -", h.Text)
	assert.True(t, h.HasHeredoc)
	assert.Equal(t, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n", h.Stdin)
	assert.Equal(t, "namespace/demo created\n", *h.Expected)

	assert.Equal(t, "3.14\n\ndone\n", *s.Commands[4].Expected)
}

func TestParseErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]string{
		"----\nfoo\n":                       "f.txt:1: expected output (----) with no command before it",
		"kubectl get pods \\":               "f.txt:1: line continues past the end of the file",
		"kubectl apply -f - <<EOF\nkind:\n": `f.txt:1: heredoc is not closed by a line "EOF"`,
		"x\n----\n----\nunclosed\n":         "f.txt:1: expected output opened with ----/---- is not closed by ----/----",
	}
	for src, want := range cases {
		_, err := Parse("f.txt", src)
		assert.EqualError(t, err, want, "source %q", src)
	}
}

func TestSplitLikeAShell(t *testing.T) {
	cases := map[string][]string{
		`kubectl get pods`: {"kubectl", "get", "pods"},
		`kubectl exec -it mysql-0 -- mysql -uroot -p'QianFeng@123!' -e 'create database test1'`: {
			"kubectl", "exec", "-it", "mysql-0", "--", "mysql", "-uroot", "-pQianFeng@123!", "-e", "create database test1"},
		`kubectl get pods -o jsonpath="{.items[*].metadata.name}"`: {"kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}"},
		`echo "a \"b\" \$c" d\ e`:                                  {"echo", `a "b" $c`, "d e"},
		`  spaced   out  `:                                         {"spaced", "out"},
	}
	for line, want := range cases {
		got, err := Split(line)
		require.NoError(t, err, line)
		assert.Equal(t, want, got, line)
	}
	_, err := Split(`echo 'open`)
	assert.Error(t, err)
}
