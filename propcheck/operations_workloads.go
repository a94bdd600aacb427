package propcheck

import (
	"fmt"
	"strings"

	"pgregory.net/rapid"

	"github.com/kubesim/kubesim/objects"
)

// drawStrategy draws a Deployment's strategy: Recreate, or RollingUpdate
// with its defaults or drawn bounds.
func drawStrategy(t *rapid.T) string {
	switch rapid.SampledFrom([]string{"Recreate", "RollingUpdate", "RollingUpdate"}).Draw(t, "strategy") {
	case "Recreate":
		return "    type: Recreate\n"
	}
	if rapid.Bool().Draw(t, "defaultBounds") {
		return "    type: RollingUpdate\n"
	}
	surge := rapid.SampledFrom([]string{"0", "1", "2", "50%"}).Draw(t, "maxSurge")
	unavailable := rapid.SampledFrom([]string{"0", "1", "50%"}).Draw(t, "maxUnavailable")
	if surge == "0" && unavailable == "0" {
		unavailable = "1" // the apiserver refuses both zero
	}
	return fmt.Sprintf("    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: %s\n      maxUnavailable: %s\n",
		yamlIntOrString(surge), yamlIntOrString(unavailable))
}

// yamlIntOrString quotes a percentage, leaving a number bare.
func yamlIntOrString(v string) string {
	if strings.HasSuffix(v, "%") {
		return fmt.Sprintf("%q", v)
	}
	return v
}

// createDeployment makes a Deployment of nginx or of slow-to-be-ready
// shells, with either strategy; its selector may overlap another's.
func createDeployment(s *Scenario) {
	t := s.T
	name := s.NewName("web")
	app := drawApp(s, name)
	strategy := drawStrategy(t)
	minReady := ""
	if rapid.IntRange(0, 3).Draw(t, "minReady?") == 0 {
		minReady = fmt.Sprintf("  minReadySeconds: %d\n", rapid.SampledFrom([]int{5, 30}).Draw(t, "minReadySeconds"))
	}
	pod := drawServer(t, rapid.SampledFrom([]string{"nginx:1.24", "nginx:1.25"}).Draw(t, "image"))
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
spec:
  replicas: %d
%s  strategy:
%s  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
    spec:
%s`, name, rapid.IntRange(0, 4).Draw(t, "replicas"), minReady, strategy, app, app, pod.yaml(6)))
	s.Add(nameDeployment, name)
}

func scaleDeployment(s *Scenario) {
	d := s.Pick(nameDeployment)
	s.Do(fmt.Sprintf("kubectl scale deployment/%s --replicas=%d", d, rapid.IntRange(0, 5).Draw(s.T, "replicas")))
}

// rollImage draws the image a rollout moves a workload to: another tag of
// its image's family, rarely one that does not exist (the rollout stalls).
func rollImage(s *Scenario, kind, name string) string {
	image := "nginx:1.25"
	if o, err := s.Store().Get(objects.Key{Kind: kind, Namespace: "default", Name: name}); err == nil {
		if t := podTemplateOf(o); t != nil && len(t.Spec.Containers) > 0 {
			image = t.Spec.Containers[0].Image
		}
	}
	tags := []string{"nginx:1.24", "nginx:1.25", "nginx:1.26", "nginx:99.99"}
	if strings.HasPrefix(image, "busybox") {
		tags = []string{"busybox:1.35", "busybox:1.36", "busybox:1.36.1"}
	}
	return rapid.SampledFrom(tags).Draw(s.T, "image")
}

// podTemplateOf returns a workload's pod template, or nil.
func podTemplateOf(o objects.Object) *objects.PodTemplateSpec {
	switch w := o.(type) {
	case *objects.Deployment:
		return &w.Spec.Template
	case *objects.StatefulSet:
		return &w.Spec.Template
	case *objects.ReplicaSet:
		return &w.Spec.Template
	}
	return nil
}

// rollDeployment changes a Deployment's template: its image, or an
// annotation only.
func rollDeployment(s *Scenario) {
	d := s.Pick(nameDeployment)
	s.Do(fmt.Sprintf("kubectl patch deployment %s -p '%s'", d, templatePatch(s, "Deployment", d)))
}

// templatePatch draws a change of a workload's pod template.
func templatePatch(s *Scenario, kind, name string) string {
	if rapid.Bool().Draw(s.T, "annotation?") {
		return fmt.Sprintf(`{"spec":{"template":{"metadata":{"annotations":{"rev":"%d"}}}}}`, rapid.IntRange(1, 3).Draw(s.T, "rev"))
	}
	return fmt.Sprintf(`{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"%s"}]}}}}`, rollImage(s, kind, name))
}

// createReplicaSet makes a bare ReplicaSet whose selector may match
// another workload's pods, so that it adopts the ones they let go.
func createReplicaSet(s *Scenario) {
	t := s.T
	name := s.NewName("rs")
	app := drawApp(s, name)
	pod := drawServer(t, "nginx:1.25")
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: %s
spec:
  replicas: %d
  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
    spec:
%s`, name, rapid.IntRange(0, 3).Draw(t, "replicas"), app, app, pod.yaml(6)))
	s.Add(nameReplicaSet, name)
}

// createStatefulSet makes a StatefulSet, with claims from the nfs class
// or from static volumes when it asks for any, a retention policy, and a
// rolling update that may stop at a partition.
func createStatefulSet(s *Scenario) {
	t := s.T
	name := s.NewName("db")
	app := name
	s.Add(nameApp, app)
	var extra strings.Builder
	if rapid.IntRange(0, 2).Draw(t, "partition?") == 0 {
		fmt.Fprintf(&extra, "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: %d\n",
			rapid.IntRange(0, 2).Draw(t, "partition"))
	}
	if rapid.Bool().Draw(t, "retention?") {
		fmt.Fprintf(&extra, "  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: %s\n    whenScaled: %s\n",
			rapid.SampledFrom([]string{"Retain", "Delete"}).Draw(t, "whenDeleted"),
			rapid.SampledFrom([]string{"Retain", "Delete"}).Draw(t, "whenScaled"))
	}
	claims := ""
	pod := drawServer(t, "nginx:1.25")
	if class, ok := drawClaimClass(s); ok {
		claims = fmt.Sprintf(`  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      storageClassName: %q
      resources:
        requests:
          storage: %dGi
`, class, rapid.IntRange(1, 3).Draw(t, "claimSize"))
		pod.mount = "data"
	}
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: %s
spec:
  serviceName: %s
  replicas: %d
  podManagementPolicy: %s
%s  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
    spec:
%s%s`, name, name, rapid.IntRange(0, 3).Draw(t, "replicas"),
		rapid.SampledFrom([]string{"OrderedReady", "OrderedReady", "Parallel"}).Draw(t, "policy"),
		extra.String(), app, app, pod.yaml(6), claims))
	s.Add(nameStatefulSet, name)
}

// drawClaimClass draws whether a workload's claims ask for storage, and
// from which class: the nfs class when a run made one, or "" for the
// static volumes.
func drawClaimClass(s *Scenario) (string, bool) {
	choices := []string{"none", "none", "static"}
	if len(s.Names(nameClass)) > 0 {
		choices = append(choices, "class", "class")
	}
	switch rapid.SampledFrom(choices).Draw(s.T, "claims") {
	case "static":
		return "", true
	case "class":
		return s.Pick(nameClass), true
	}
	return "", false
}

func scaleStatefulSet(s *Scenario) {
	set := s.Pick(nameStatefulSet)
	s.Do(fmt.Sprintf("kubectl scale statefulset/%s --replicas=%d", set, rapid.IntRange(0, 4).Draw(s.T, "replicas")))
}

// rollStatefulSet changes a StatefulSet's template or its partition.
func rollStatefulSet(s *Scenario) {
	set := s.Pick(nameStatefulSet)
	patch := templatePatch(s, "StatefulSet", set)
	if rapid.IntRange(0, 2).Draw(s.T, "partition?") == 0 {
		patch = fmt.Sprintf(`{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":%d}}}}`,
			rapid.IntRange(0, 3).Draw(s.T, "partition"))
	}
	s.Do(fmt.Sprintf("kubectl patch statefulset %s -p '%s'", set, patch))
}

// createService makes a ClusterIP or headless Service selecting the pods
// of an app a workload runs.
func createService(s *Scenario) {
	t := s.T
	app := s.Pick(nameApp)
	name := s.NewName("svc")
	var spec strings.Builder
	if rapid.Bool().Draw(t, "headless") {
		spec.WriteString("  clusterIP: None\n")
	}
	if rapid.IntRange(0, 3).Draw(t, "publishNotReady?") == 0 {
		spec.WriteString("  publishNotReadyAddresses: true\n")
	}
	s.DoWith("kubectl apply -f -", fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: %s
spec:
%s  selector:
    app: %s
  ports:
  - name: http
    port: 80
    targetPort: 80
`, name, spec.String(), app))
	s.Add(nameService, name)
}
