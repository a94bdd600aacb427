package kubesimtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/kubesimtest"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

const podManifest = `
apiVersion: v1
kind: Pod
metadata: {name: hello}
spec:
  restartPolicy: Never
  containers:
  - {name: main, image: busybox:1.36, command: [sh, -c, "sleep 86400"]}
`

// TestVirtualTimeFollowsTheBubble checks that the cluster's time follows
// the bubble's clock, that waits at virtual time cost nothing, and that a
// client reaches the API over Dial.
func TestVirtualTimeFollowsTheBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		c := kubesimtest.New(t, sim.Config{})
		c.Apply(podManifest)
		c.Eventually(func(r storage.Reader) bool {
			pod, ok := kubesimtest.Of[*objects.Pod](r, "default", "hello")
			return ok && pod.Status.Phase == objects.PodRunning
		}, time.Minute, "pod hello Running")
		if took := time.Since(start); took < time.Second || took > 5*time.Second {
			t.Errorf("the pod was running after %s of bubble time, want the kubelet's few seconds", took)
		}
		time.Sleep(2 * time.Hour)
		if got, want := c.Now().Sub(start), time.Since(start); got != want || got < 2*time.Hour {
			t.Errorf("virtual time passed %s, the bubble's clock %s", got, want)
		}
		if err := c.WaitFor(func(storage.Reader) bool { return false }, time.Hour); err != kubesimtest.ErrTimeout {
			t.Errorf("WaitFor of a condition that never holds: %v", err)
		}

		client := &http.Client{Transport: &http.Transport{DialContext: c.Dial}}
		resp, err := client.Get(c.Host() + "/api/v1/namespaces/default/pods")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		client.CloseIdleConnections()
		var list struct {
			Items []struct {
				Metadata struct{ Name string }
				Status   struct{ Phase string }
			}
		}
		if err := json.Unmarshal(b, &list); err != nil || len(list.Items) != 1 || list.Items[0].Status.Phase != "Running" {
			t.Errorf("listing pods over Dial: %v %s", err, b)
		}

		pod, err := kubesimtest.Get[*objects.Pod](c, "default", "hello")
		if err != nil || pod.Spec.NodeName == "" {
			t.Errorf("Get[*objects.Pod]: %v %v", pod, err)
		}
		if nodes := kubesimtest.List[*objects.Node](c, "", nil); len(nodes) != 3 {
			t.Errorf("List[*objects.Node]: %d nodes", len(nodes))
		}
		if _, err := kubesimtest.Get[*objects.Pod](c, "default", "nope"); err == nil {
			t.Error("Get of a missing pod did not fail")
		}
	})
}

// seenLabeler is a controller of the test's own: it labels every pod
// seen=yes.
type seenLabeler struct{}

func (seenLabeler) Name() string { return "seen-labeler" }

func (seenLabeler) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	if _, ok := ev.Object.(*objects.Pod); ok {
		return []objects.Key{objects.KeyOf(ev.Object)}
	}
	return nil
}

func (seenLabeler) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil || obj.(*objects.Pod).Labels["seen"] == "yes" {
		return controllers.Result{}
	}
	pod := obj.DeepCopyObject().(*objects.Pod)
	if pod.Labels == nil {
		pod.Labels = map[string]string{}
	}
	pod.Labels["seen"] = "yes"
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Update, Object: pod}}}
}

// TestAddController checks that a test's own controller reconciles beside
// the built-in ones, and that clients see its writes over the API.
func TestAddController(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := kubesimtest.New(t, sim.Config{})
		if err := c.AddController(seenLabeler{}); err != nil {
			t.Fatal(err)
		}
		if err := c.AddController(seenLabeler{}); err == nil {
			t.Error("a second controller of the same name was added")
		}
		c.Apply(podManifest)
		c.Eventually(func(r storage.Reader) bool {
			pod, ok := kubesimtest.Of[*objects.Pod](r, "default", "hello")
			return ok && pod.Labels["seen"] == "yes"
		}, time.Second, "pod hello labelled seen=yes")
		client := &http.Client{Transport: &http.Transport{DialContext: c.Dial}}
		defer client.CloseIdleConnections()
		resp, err := client.Get(c.Host() + "/api/v1/namespaces/default/pods?labelSelector=seen%3Dyes")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), `"name":"hello"`) {
			t.Errorf("listing pods labelled seen=yes over the API: %s", b)
		}
		if !strings.Contains(c.Trace(), "seen-labeler update Pod/default/hello") {
			t.Errorf("the trace does not name the controller's update:\n%s", c.Trace())
		}
	})
}
