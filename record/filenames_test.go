package record

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFilenameArgs: the files a line's kubectl commands read with -f, past
// a tutorial's prompt and other commands, as the replay must carry them.
func TestFilenameArgs(t *testing.T) {
	for line, want := range map[string][]string{
		"kubectl apply -f job.yaml":                                {"job.yaml"},
		"[root@kube-master ~]# kubectl apply -f rbac.yaml ":        {"rbac.yaml"},
		"cd /k8s && kubectl create --filename=a.yaml -fb.yaml":     {"a.yaml", "b.yaml"},
		"cat x.yaml | kubectl apply -f -":                          {"-"},
		"kubectl get pods -o wide | grep -f patterns":              nil,
		"echo -f nope.yaml; kubectl delete -f web.yaml":            {"web.yaml"},
		"[root@k8s-master nginx]# kubectl get -l app='nginx' pods": nil,
	} {
		assert.Equal(t, want, filenameArgs(line), line)
	}
}
