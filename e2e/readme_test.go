package e2e_test

import (
	"testing"
	"testing/synctest"
	"time"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/kubesim/kubesim/e2e/labeler"
	"github.com/kubesim/kubesim/kubesimtest"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// TestLabelerLabelsPi runs a client-go controller (e2e/labeler: it labels
// finished Jobs finished=true) against a simulated cluster at virtual time.
func TestLabelerLabelsPi(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := kubesimtest.New(t, sim.Config{}) // the tutorial's cluster; its clock is the bubble's
		cfg := &rest.Config{Host: c.Host(), Dial: c.Dial, UserAgent: "labeler"}
		client := kubernetes.NewForConfigOrDie(cfg)
		factory := informers.NewSharedInformerFactory(client, 0)
		ctrl := labeler.New(client, factory, labeler.Config{})
		factory.Start(t.Context().Done())
		go ctrl.Run(t.Context())

		c.Apply(`
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: resouer/ubuntu-bc
        command: ["sh", "-c", "echo 'scale=10000; 4*a(1)' | bc -l"]
`)
		start := time.Now()
		c.Eventually(func(r storage.Reader) bool {
			job, ok := kubesimtest.Of[*objects.Job](r, "default", "pi")
			return ok && job.Labels["finished"] == "true"
		}, time.Hour, "Job pi labelled")
		t.Logf("labelled %s after it was created (virtual time)", time.Since(start))
	})
}
