package kubectl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/kubectl"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
)

const threeDocuments = `apiVersion: v1
kind: ConfigMap
metadata:
  name: before
---
apiVersion: v1
kind: Service
metadata:
  name: clash
spec:
  clusterIP: 10.96.0.1
  ports:
  - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: after
`

// kubectl goes document by document, reports the failures after the
// successes, and exits 1 when any document failed.
func TestCreateAndApplyGoOnAndExitOne(t *testing.T) {
	for _, verb := range []string{"create", "apply"} {
		t.Run(verb, func(t *testing.T) {
			c, err := sim.New(sim.Config{})
			require.NoError(t, err)
			k := kubectl.New(c, t.TempDir())
			res := k.Run([]string{verb, "-f", "-"}, threeDocuments)
			assert.Equal(t, 1, res.ExitCode)
			assert.Equal(t, "configmap/before created\nconfigmap/after created\n"+
				`The Service "clash" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated`+"\n",
				res.Output)
			for _, name := range []string{"before", "after"} {
				_, err := c.Get(objects.Key{Kind: "ConfigMap", Namespace: "default", Name: name})
				assert.NoError(t, err, name)
			}

			res = k.Run([]string{"apply", "-f", "-"}, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n")
			assert.Equal(t, 0, res.ExitCode)
		})
	}
}
