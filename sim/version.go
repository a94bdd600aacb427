package sim

import (
	"fmt"

	"github.com/kubesim/kubesim/objects"
	"strconv"
	"strings"
)

// The Kubernetes release a cluster runs (Config.KubernetesVersion). kubesim
// models 1.37 throughout; the release changes only what the tutorial meets
// between its era and today:
//
//   - the release nodes report (kubectl get nodes' VERSION) and the
//     machines' kubeadm files name, and the control plane's role labels
//     and taints as that release's kubeadm set them (ROLES "master" up to
//     1.19, "control-plane,master" 1.20-1.23, "control-plane" since);
//   - batch/v1beta1 CronJob, served up to 1.24 with the apiserver's
//     deprecation warning from 1.21, and unknown afterwards (kubectl's
//     "no matches for kind"); batch/v1 CronJob only from 1.21;
//   - a token Secret for every ServiceAccount (default-token-xxxxx), made
//     by the token controller up to 1.23;
//   - the apiserver's warning about the Recycle reclaim policy, sent from
//     1.30;
//   - kubectl delete's line, which names the namespace from 1.34;
//   - kubectl describe's events, which name a container's field path
//     before the message from 1.35;
//   - `kubectl exec POD COMMAND` without "--", deprecated with a warning up
//     to 1.30 and refused since 1.31;
//   - the apiserver's metadata.selfLink, which the old
//     quay.io/external_storage/nfs-client-provisioner needs: set up to
//     1.19, gone from 1.20 unless the RemoveSelfLink=false feature gate is
//     added to the apiserver's static pod manifest (1.20 to 1.23), and
//     gone for good from 1.24, whose apiserver refuses to start with the
//     gate.

// DefaultKubernetesVersion is the release a cluster runs unless told.
const DefaultKubernetesVersion = "1.37.0"

// MinKubernetesVersion and MaxKubernetesVersion bound the releases kubesim
// replays (minor numbers of 1.x).
const (
	MinKubernetesVersion = 19
	MaxKubernetesVersion = 37
)

// latestPatch is the last patch release of each line that has ended; a
// bare minor of a line not listed gets patch 0.
var latestPatch = map[int]int{
	19: 16, 20: 15, 21: 14, 22: 17, 23: 17, 24: 17, 25: 16, 26: 15, 27: 16, 28: 15,
}

// maxPatch bounds the patch number of a line whose last patch is not
// listed.
const maxPatch = 99

// ParseKubernetesVersion reads a release as "1.21", "1.21.14" or
// "v1.21.14" and returns it as "1.21.14" (a bare minor gets its line's
// last patch) with its minor number.
func ParseKubernetesVersion(v string) (string, int, error) {
	parts := strings.Split(strings.TrimPrefix(v, "v"), ".")
	bad := fmt.Errorf("kubernetes version %q: want 1.MINOR or 1.MINOR.PATCH, MINOR from %d to %d",
		v, MinKubernetesVersion, MaxKubernetesVersion)
	if len(parts) < 2 || len(parts) > 3 || parts[0] != "1" {
		return "", 0, bad
	}
	minor, err := strconv.Atoi(parts[1])
	if err != nil || minor < MinKubernetesVersion || minor > MaxKubernetesVersion {
		return "", 0, bad
	}
	patch := latestPatch[minor]
	if len(parts) == 3 {
		last, ended := latestPatch[minor]
		if !ended {
			last = maxPatch
		}
		if patch, err = strconv.Atoi(parts[2]); err != nil || patch < 0 || patch > last {
			return "", 0, fmt.Errorf("kubernetes version %q: 1.%d's patch releases go from 0 to %d", v, minor, last)
		}
	}
	return fmt.Sprintf("1.%d.%d", minor, patch), minor, nil
}

// KubernetesVersion is the release the cluster runs, as "1.21.14".
func (c *Cluster) KubernetesVersion() string { return c.cfg.KubernetesVersion }

// minor is the cluster's release's minor number.
func (c *Cluster) minor() int {
	_, m, _ := ParseKubernetesVersion(c.cfg.KubernetesVersion)
	return m
}

// ServesCronJobV1beta1 reports whether the apiserver serves batch/v1beta1
// CronJob (up to 1.24).
func (c *Cluster) ServesCronJobV1beta1() bool { return c.minor() <= 24 }

// labelNodeRoleMaster and taintMaster are kubeadm's names for the control
// plane before "control-plane" (the label until 1.23, the taint until
// 1.24).
const (
	labelNodeRoleMaster = "node-role.kubernetes.io/master"
	taintMaster         = "node-role.kubernetes.io/master"
)

// controlPlaneMarks are the role labels and the NoSchedule taints kubeadm
// gives the control plane at a release: the master label and taint up to
// 1.19; the control-plane label beside them from 1.20; the control-plane
// taint beside the master one in 1.24, whose kubeadm dropped the master
// label; only control-plane from 1.25.
func controlPlaneMarks(minor int) (labels, taints []string) {
	switch {
	case minor < 20:
		return []string{labelNodeRoleMaster}, []string{taintMaster}
	case minor < 24:
		return []string{objects.LabelNodeRoleControlPlane, labelNodeRoleMaster}, []string{taintMaster}
	case minor == 24:
		return []string{objects.LabelNodeRoleControlPlane}, []string{taintMaster, objects.TaintControlPlane}
	}
	return []string{objects.LabelNodeRoleControlPlane}, []string{objects.TaintControlPlane}
}

// warningsSince are the apiserver warnings younger than the oldest
// release kubesim replays, by a part of their text, with the release
// that first sent them: Recycle's deprecation (kubernetes#122339, 1.30).
var warningsSince = map[string]int{
	"The Recycle reclaim policy is deprecated": 30,
}

// SendsWarning reports whether the apiserver of the cluster's release
// sends the warning text (objects.Warnings are today's).
func (c *Cluster) SendsWarning(text string) bool {
	for part, since := range warningsSince {
		if strings.Contains(text, part) && c.minor() < since {
			return false
		}
	}
	return true
}

// DeleteNamesNamespace reports whether kubectl delete names a namespaced
// object's namespace ("deleted from default namespace"), as kubectl does
// from 1.34; before, `statefulset.apps "nginx-web" deleted`.
func (c *Cluster) DeleteNamesNamespace() bool { return c.minor() >= 34 }

// DescribesEventFieldPaths reports whether kubectl describe puts an
// event's involvedObject.fieldPath before its message
// ("spec.containers{main}: Started container main"), as kubectl does from
// 1.35.
func (c *Cluster) DescribesEventFieldPaths() bool { return c.minor() >= 35 }

// ServesVersion reports whether the apiserver serves kind in apiVersion at
// the cluster's release, for the kinds whose versions kubesim's releases
// differ in (CronJob: batch/v1beta1 up to 1.24, batch/v1 from 1.21);
// other kinds are served as objects.ServesVersion says.
func (c *Cluster) ServesVersion(kind, apiVersion string) bool {
	if kind == "CronJob" {
		switch apiVersion {
		case "batch/v1beta1":
			return c.ServesCronJobV1beta1()
		case "batch/v1":
			return c.minor() >= cronJobV1Since
		}
	}
	return objects.ServesVersion(kind, apiVersion)
}

// tokenSecretsUntil is the release whose token controller stopped making
// token Secrets (LegacyServiceAccountTokenNoAutoGeneration, 1.24).
const tokenSecretsUntil = 24

// cronJobV1Since is the release batch/v1 CronJob went GA.
const cronJobV1Since = 21

// OldExecForm reports whether kubectl still runs `kubectl exec POD
// COMMAND` (without "--"), with its deprecation warning: up to 1.30.
func (c *Cluster) OldExecForm() bool { return c.minor() <= 30 }

// cronJobV1beta1Warning is the apiserver's warning for the deprecated
// version (k8s.io/api batch/v1beta1's prerelease lifecycle: deprecated in
// 1.21, removed in 1.25).
const cronJobV1beta1Warning = "batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob"

// VersionWarnings are the apiserver's warnings about writing an object of
// kind in apiVersion at the cluster's release.
func (c *Cluster) VersionWarnings(kind, apiVersion string) []string {
	if kind == "CronJob" && apiVersion == "batch/v1beta1" && c.minor() >= 21 && c.minor() <= 24 {
		return []string{cronJobV1beta1Warning}
	}
	return nil
}
