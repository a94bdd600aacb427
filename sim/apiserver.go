package sim

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/workload/host"
	"github.com/kubesim/kubesim/objects"
)

// The apiserver as its static pod manifest runs it. kubeadm's kubelet on
// the control plane starts kube-apiserver from
// /etc/kubernetes/manifests/kube-apiserver.yaml; a change to the file
// restarts it (the kubelet sees the change, kills the old container and
// starts the new one). While it is down kubectl's connections are refused
// and the controllers, which reach the cluster through it, stand still. A
// manifest the apiserver refuses keeps it down until the file is fixed: a
// RemoveSelfLink=false feature gate from 1.24 on, whose apiserver locked
// the gate to true (any RemoveSelfLink from 1.30, which dropped it), a
// file the kubelet cannot decode or without a kube-apiserver container,
// or a file that is gone.

// apiserverRestart is how long the apiserver is away when its manifest
// changes: the kubelet's notice of the file and the new container's start.
const apiserverRestart = 40 * time.Second

// apiserver is the apiserver's state as its manifest decides it.
type apiserver struct {
	seen     bool   // manifest holds the file as last read
	manifest string // the manifest the running (or failing) apiserver has
	down     bool
	gateOff  bool // started with RemoveSelfLink=false
	// stopped are the controllers the outage took down, to bring back up.
	stopped []string
}

// SyncStaticPods is the control plane's kubelet looking at its static pod
// manifests: a changed kube-apiserver.yaml restarts the apiserver. The
// scenario runner calls it after each command a shell ran.
func (c *Cluster) SyncStaticPods() {
	h := c.apiserverHost()
	if h == nil {
		return
	}
	text := manifestText(h)
	a := &c.machines.api
	if text == a.manifest {
		return
	}
	a.manifest = text
	c.apiserverDown()
	c.traceNote("kubelet/"+h.Name, "static pod manifest %s changed: restarting kube-apiserver", host.APIServerManifest)
	c.clock.At(c.clock.Now().Add(apiserverRestart), func() { c.apiserverStart(text) })
}

// noteManifest records the apiserver's manifest as h has it now.
func (a *apiserver) noteManifest(h *host.Machine) {
	a.seen, a.manifest = true, manifestText(h)
}

// manifestText is h's apiserver manifest, or "" when it has none.
func manifestText(h *host.Machine) string {
	data, err := h.Disk.ReadFile(host.APIServerManifest)
	if err != nil {
		return ""
	}
	return string(data)
}

// apiserverHost is the first control-plane machine, whose manifests run
// the apiserver.
func (c *Cluster) apiserverHost() *host.Machine {
	for _, n := range c.cfg.Nodes {
		if n.ControlPlane {
			return c.hostNamed(n.Name)
		}
	}
	return nil
}

// apiserverDown stops the apiserver: the controllers stand still.
func (c *Cluster) apiserverDown() {
	a := &c.machines.api
	if a.down {
		return
	}
	a.down = true
	for _, l := range c.loops {
		if l.down || controllers.ComponentOf(l.ctrl) == controllers.Kubelet {
			continue
		}
		c.SetControllerDown(l.ctrl.Name(), true)
		a.stopped = append(a.stopped, l.ctrl.Name())
	}
}

// apiserverStart starts the apiserver from manifest, unless a newer one
// replaced it meanwhile or the apiserver refuses it.
func (c *Cluster) apiserverStart(manifest string) {
	a := &c.machines.api
	if manifest != a.manifest || !a.down {
		return
	}
	gate, err := readManifest(manifest, c.minor())
	if err != nil {
		c.traceNote("kube-apiserver", "not started: %v", err)
		return
	}
	a.down, a.gateOff = false, gate == gateOff
	for _, name := range a.stopped {
		c.SetControllerDown(name, false)
	}
	a.stopped = nil
	c.traceNote("kube-apiserver", "started")
}

// selfLinkGateSetting is what a manifest's --feature-gates says of
// RemoveSelfLink.
type selfLinkGateSetting int

const (
	gateUnset selfLinkGateSetting = iota
	gateOn
	gateOff
)

// removeSelfLinkGate is the feature gate that removed selfLink.
const removeSelfLinkGate = "RemoveSelfLink"

// staticPodManifest is the part of a static pod manifest the apiserver's
// start depends on.
type staticPodManifest struct {
	Spec struct {
		Containers []struct {
			Name    string   `json:"name"`
			Command []string `json:"command"`
		} `json:"containers"`
	} `json:"spec"`
}

// readManifest reads the apiserver's manifest as the kubelet and the
// apiserver would: a file the kubelet cannot decode, or without a
// kube-apiserver container, runs no apiserver; the RemoveSelfLink gate is
// refused once locked (1.24) and unknown once removed (1.30).
func readManifest(manifest string, minor int) (selfLinkGateSetting, error) {
	if manifest == "" {
		return gateUnset, errors.New("no manifest")
	}
	var pod staticPodManifest
	if err := yaml.Unmarshal([]byte(manifest), &pod); err != nil {
		return gateUnset, fmt.Errorf("the kubelet could not decode %s: %v", host.APIServerManifest, err)
	}
	for _, ctr := range pod.Spec.Containers {
		if ctr.Name != "kube-apiserver" {
			continue
		}
		setting := gateUnset
		for _, arg := range ctr.Command {
			gates, ok := strings.CutPrefix(arg, "--feature-gates=")
			if !ok {
				continue
			}
			for _, g := range strings.Split(gates, ",") {
				name, value, _ := strings.Cut(strings.TrimSpace(g), "=")
				if name != removeSelfLinkGate {
					continue
				}
				switch {
				case minor >= 30:
					return gateUnset, fmt.Errorf("unrecognized feature gate: %s", removeSelfLinkGate)
				case value == "false" && minor >= 24:
					return gateUnset, fmt.Errorf("cannot set feature gate %s to false, feature is locked to true", removeSelfLinkGate)
				case value == "false":
					setting = gateOff
				default:
					setting = gateOn
				}
			}
		}
		return setting, nil
	}
	return gateUnset, fmt.Errorf("%s has no kube-apiserver container", host.APIServerManifest)
}

// APIServerUp reports whether the apiserver answers.
func (c *Cluster) APIServerUp() bool { return !c.machines.api.down }

// APIServerAddress is where kubectl reaches the apiserver: the first
// control-plane node's address and port 6443.
func (c *Cluster) APIServerAddress() string {
	return fmt.Sprintf("%s:%d", c.apiserverIP(), apiserverPort)
}

// selfLinkSet reports whether the apiserver sets metadata.selfLink: up to
// 1.19, and 1.20 to 1.23 when started with RemoveSelfLink=false.
func (c *Cluster) selfLinkSet() bool {
	switch m := c.minor(); {
	case m < 20:
		return true
	case m < 24:
		return c.machines.api.gateOff
	}
	return false
}

// oldProvisionerRepo is the nfs-client-provisioner's old repository,
// whose library makes claim references from selfLink.
const oldProvisionerRepo = "external_storage/nfs-client-provisioner"

// ClaimReference is the old nfs-client-provisioner's library making the
// reference to a claim it provisions: from selfLink, which the apiserver
// no longer sets from 1.20 (unless told to, up to 1.23). It fails then,
// and the provisioner logs it, as its pod's log shows.
func (v volumes) ClaimReference(pod objects.Key, image string, claim *objects.PersistentVolumeClaim, now time.Time) error {
	if !strings.Contains(image, oldProvisionerRepo) || v.c.selfLinkSet() {
		return nil
	}
	err := fmt.Errorf("unexpected error getting claim reference: selfLink was empty, can't make reference")
	class := objects.PersistentVolumeClaimClass(claim)
	line := fmt.Sprintf("E%s %7d controller.go:1004] provision %q class %q: %v",
		now.UTC().Format("0102 15:04:05.000000"), 1, claim.Namespace+"/"+claim.Name, class, err)
	if obj, gerr := v.c.store.Get(pod); gerr == nil {
		p := obj.(*objects.Pod)
		if k := v.c.kubelets[p.Spec.NodeName]; k != nil && len(p.Spec.Containers) > 0 {
			_ = k.AppendLog(pod, p.Spec.Containers[0].Name, line, now)
		}
	}
	return err
}
