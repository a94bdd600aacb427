package sim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// annotator is a user's controller: it annotates every ConfigMap seen=yes.
type annotator struct{}

func (annotator) Name() string { return "annotator" }

func (annotator) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	if ev.Object.GetTypeMeta().Kind != "ConfigMap" || ev.Type == storage.Deleted {
		return nil
	}
	return []objects.Key{objects.KeyOf(ev.Object)}
}

func (annotator) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil || obj.GetObjectMeta().Annotations["seen"] == "yes" {
		return controllers.Result{}
	}
	cm := obj.DeepCopyObject()
	if cm.GetObjectMeta().Annotations == nil {
		cm.GetObjectMeta().Annotations = map[string]string{}
	}
	cm.GetObjectMeta().Annotations["seen"] = "yes"
	return controllers.Result{Actions: []controllers.Action{{Verb: controllers.Update, Object: cm}}}
}

func TestAddController(t *testing.T) {
	c, err := sim.New(sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Apply([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: before}\n")); err != nil {
		t.Fatal(err)
	}
	if err := c.AddController(annotator{}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddController(annotator{}); err == nil || !strings.Contains(err.Error(), `"annotator" is already registered`) {
		t.Errorf("adding a second annotator: %v", err)
	}
	if _, err := c.Apply([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: after}\n")); err != nil {
		t.Fatal(err)
	}
	c.Advance(0)
	// Both the ConfigMap stored before it was added and the one after.
	for _, name := range []string{"before", "after"} {
		obj, err := c.Get(objects.Key{Kind: "ConfigMap", Namespace: "default", Name: name})
		if err != nil || obj.GetObjectMeta().Annotations["seen"] != "yes" {
			t.Errorf("ConfigMap %s not annotated: %v", name, err)
		}
	}
	if !strings.Contains(c.TraceText(), "annotator update ConfigMap/default/before") {
		t.Errorf("the trace does not name the annotator:\n%s", c.TraceText())
	}
}

func TestOnStartAndPace(t *testing.T) {
	var paced []time.Duration
	stopped := false
	cfg := sim.Config{OnStart: func(c *sim.Cluster) func() {
		start := c.Now()
		c.SetPace(func(until time.Time) {
			paced = append(paced, until.Sub(start))
			c.AdvanceTo(until.Add(-time.Second)) // a pacer may let time pass itself
		})
		return func() { stopped = true }
	}}
	c, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(10 * time.Second)
	if len(paced) != 1 || paced[0] != 10*time.Second || c.Now().Sub(sim.DefaultStart) != 10*time.Second {
		t.Errorf("Advance(10s) paced %v and reached %s", paced, c.Now().Sub(sim.DefaultStart))
	}
	c.Close()
	if !stopped {
		t.Error("Close did not call the function OnStart returned")
	}
}
