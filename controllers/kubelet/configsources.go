package kubelet

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// This file is what the kubelet reads from Secrets and ConfigMaps: container
// environments (kubelet_pods.go makeEnvironmentVariables) and the secret,
// configMap and downwardAPI volumes (pkg/volume/secret, configmap,
// downwardapi). A missing source stops the container with
// CreateContainerConfigError (env) or the pod in ContainerCreating (volume)
// until it appears.

// Reasons and timings of configuration failures, as upstream has them.
const (
	// ReasonFailed is events.FailedToCreateContainer.
	ReasonFailed = "Failed"
	// ReasonFailedMount is events.FailedMountVolume.
	ReasonFailedMount = "FailedMount"
	// WaitingCreateContainerConfigError is kuberuntime's ErrCreateContainerConfig.
	WaitingCreateContainerConfigError = "CreateContainerConfigError"
	// configRetry is the pod worker's back-off after a failed sync
	// (workerBackOffPeriod; upstream adds up to 50% jitter, kubesim none).
	configRetry = 10 * time.Second
	// mountRetryFirst and mountRetryMax bound the volume manager's
	// exponential back-off (nestedpendingoperations).
	mountRetryFirst = 500 * time.Millisecond
	mountRetryMax   = 2*time.Minute + 2*time.Second
	// defaultVolumeMode is the files' mode when a volume sets none (0644).
	defaultVolumeMode = 0o644
	// Resource names the kubelet's secret and configmap managers give
	// their NotFound errors.
	secretResource    = "secret"
	configMapResource = "configmap"
)

// errNotFound is the NotFound error of the kubelet's object managers.
var errNotFound = errors.New("not found")

// notFoundError words a missing object as the kubelet's managers do:
// `secret "mysql-secret" not found`.
func notFoundError(resource, name string) error {
	return fmt.Errorf("%s %q %w", resource, name, errNotFound)
}

// sources reads the Secrets and ConfigMaps of a pod's namespace.
type sources struct {
	r         storage.Reader
	namespace string
}

// secret returns the Secret called name, or the managers' NotFound error.
func (s sources) secret(name string) (*objects.Secret, error) {
	if s.r != nil {
		if obj, err := s.r.Get(objects.Key{Kind: "Secret", Namespace: s.namespace, Name: name}); err == nil {
			if sec, ok := obj.(*objects.Secret); ok {
				return sec, nil
			}
		}
	}
	return nil, notFoundError(secretResource, name)
}

// configMap returns the ConfigMap called name, or the managers' NotFound error.
func (s sources) configMap(name string) (*objects.ConfigMap, error) {
	if s.r != nil {
		if obj, err := s.r.Get(objects.Key{Kind: "ConfigMap", Namespace: s.namespace, Name: name}); err == nil {
			if cm, ok := obj.(*objects.ConfigMap); ok {
				return cm, nil
			}
		}
	}
	return nil, notFoundError(configMapResource, name)
}

// secretStrings returns a Secret's data as strings.
func secretStrings(sec *objects.Secret) map[string]string {
	out := make(map[string]string, len(sec.Data))
	for k, v := range sec.Data {
		out[k] = string(v)
	}
	return out
}

// envList is an environment under construction: names keep the position of
// their first definition, later definitions replace the value.
type envList struct {
	vars []workload.EnvVar
	// index finds a name's position once there are more than
	// envScanLimit names; below that a scan is cheaper than the map.
	index map[string]int
}

// envScanLimit is how many variables an envList scans before indexing them.
const envScanLimit = 32

// set defines name, replacing an earlier value in place.
func (l *envList) set(name, value string) {
	if i, ok := l.find(name); ok {
		l.vars[i].Value = value
		return
	}
	if l.index != nil {
		l.index[name] = len(l.vars)
	}
	l.vars = append(l.vars, workload.EnvVar{Name: name, Value: value})
	if l.index == nil && len(l.vars) > envScanLimit {
		l.index = make(map[string]int, 2*len(l.vars))
		for i, v := range l.vars {
			l.index[v.Name] = i // names are distinct
		}
	}
}

// find returns the position of name.
func (l *envList) find(name string) (int, bool) {
	if l.index != nil {
		i, ok := l.index[name]
		return i, ok
	}
	for i := range l.vars {
		if l.vars[i].Name == name {
			return i, true
		}
	}
	return 0, false
}

// envFromVars resolves a container's envFrom: every key of each source,
// with its prefix, in key order (upstream walks a map). A missing source
// that is not optional is an error.
func (s sources) envFromVars(c objects.Container, l *envList) error {
	for _, ef := range c.EnvFrom {
		var data map[string]string
		var optional bool
		var err error
		switch {
		case ef.ConfigMapRef != nil:
			optional = isOptional(ef.ConfigMapRef.Optional)
			var cm *objects.ConfigMap
			if cm, err = s.configMap(ef.ConfigMapRef.Name); err == nil {
				data = cm.Data
			}
		case ef.SecretRef != nil:
			optional = isOptional(ef.SecretRef.Optional)
			var sec *objects.Secret
			if sec, err = s.secret(ef.SecretRef.Name); err == nil {
				data = secretStrings(sec)
			}
		default:
			continue
		}
		if err != nil {
			if optional {
				continue
			}
			return err
		}
		for _, k := range sortedKeys(data) {
			l.set(ef.Prefix+k, data[k])
		}
	}
	return nil
}

// keyRefValue resolves a configMapKeyRef or secretKeyRef. skip is set for an
// optional reference whose object or key is missing.
func (s sources) keyRefValue(src *objects.EnvVarSource, namespace string) (value string, skip bool, err error) {
	var ref *objects.KeySelector
	var data map[string]string
	kind := "ConfigMap"
	if src.ConfigMapKeyRef != nil {
		ref = src.ConfigMapKeyRef
		var cm *objects.ConfigMap
		if cm, err = s.configMap(ref.Name); err == nil {
			data = cm.Data
		}
	} else {
		ref, kind = src.SecretKeyRef, "Secret"
		var sec *objects.Secret
		if sec, err = s.secret(ref.Name); err == nil {
			data = secretStrings(sec)
		}
	}
	optional := isOptional(ref.Optional)
	if err != nil {
		return "", optional, errIfRequired(optional, err)
	}
	v, ok := data[ref.Key]
	if !ok {
		return "", optional, errIfRequired(optional,
			fmt.Errorf("couldn't find key %v in %s %v/%v", ref.Key, kind, namespace, ref.Name))
	}
	return v, false, nil
}

// errIfRequired drops err for an optional reference.
func errIfRequired(optional bool, err error) error {
	if optional {
		return nil
	}
	return err
}

// isOptional reads an optional flag.
func isOptional(b *bool) bool { return b != nil && *b }

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// volumeFile is one file a projected volume holds.
type volumeFile struct {
	path string
	data []byte
	mode fs.FileMode
}

// projection returns the files of a secret, configMap or downwardAPI
// volume, ok false for other sources. A missing object or key is an error
// worded as the volume plugins word it.
func (pr *podRun) projection(v objects.Volume, s sources) (files []volumeFile, ok bool, err error) {
	switch {
	case v.Secret != nil:
		files, err = secretFiles(v.Secret, s)
	case v.ConfigMap != nil:
		files, err = configMapFiles(v.ConfigMap, s)
	case v.DownwardAPI != nil:
		files = pr.downwardAPIFiles(v.DownwardAPI)
	default:
		return nil, false, nil
	}
	return files, true, err
}

// secretFiles is the secret volume plugin's payload.
func secretFiles(src *objects.SecretVolumeSource, s sources) ([]volumeFile, error) {
	sec, err := s.secret(src.SecretName)
	if err != nil {
		if isOptional(src.Optional) {
			return nil, nil
		}
		return nil, err
	}
	return payload(secretStrings(sec), src.Items, src.DefaultMode, isOptional(src.Optional),
		"references non-existent secret key: %s")
}

// configMapFiles is the configMap volume plugin's payload: data and binaryData.
func configMapFiles(src *objects.ConfigMapVolumeSource, s sources) ([]volumeFile, error) {
	cm, err := s.configMap(src.Name)
	if err != nil {
		if isOptional(src.Optional) {
			return nil, nil
		}
		return nil, err
	}
	data := make(map[string]string, len(cm.Data)+len(cm.BinaryData))
	for k, v := range cm.Data {
		data[k] = v
	}
	for k, v := range cm.BinaryData {
		data[k] = string(v)
	}
	return payload(data, src.Items, src.DefaultMode, isOptional(src.Optional),
		"configmap references non-existent config key: %s")
}

// payload maps keys to files: every key under its own name, or only the
// listed items at their paths, with their modes or the default one.
func payload(data map[string]string, items []objects.KeyToPath, defaultMode *int32, optional bool, missing string) ([]volumeFile, error) {
	mode := fs.FileMode(defaultVolumeMode)
	if defaultMode != nil {
		mode = fs.FileMode(*defaultMode) & fs.ModePerm
	}
	var files []volumeFile
	if len(items) == 0 {
		for _, k := range sortedKeys(data) {
			files = append(files, volumeFile{path: k, data: []byte(data[k]), mode: mode})
		}
		return files, nil
	}
	for _, it := range items {
		v, ok := data[it.Key]
		if !ok {
			if optional {
				continue
			}
			return nil, fmt.Errorf(missing, it.Key)
		}
		m := mode
		if it.Mode != nil {
			m = fs.FileMode(*it.Mode) & fs.ModePerm
		}
		files = append(files, volumeFile{path: it.Path, data: []byte(v), mode: m})
	}
	return files, nil
}

// downwardAPIFiles is the downwardAPI volume plugin's payload.
func (pr *podRun) downwardAPIFiles(src *objects.DownwardAPIVolumeSource) []volumeFile {
	mode := fs.FileMode(defaultVolumeMode)
	if src.DefaultMode != nil {
		mode = fs.FileMode(*src.DefaultMode) & fs.ModePerm
	}
	var files []volumeFile
	for _, it := range src.Items {
		if it.FieldRef == nil {
			continue
		}
		files = append(files, volumeFile{path: it.Path, data: []byte(pr.downwardValue(it.FieldRef.FieldPath)), mode: mode})
	}
	return files
}

// downwardValue is a downward-API volume file's content: whole label and
// annotation maps are written as sorted key="value" lines (fieldpath.FormatMap).
func (pr *podRun) downwardValue(fieldPath string) string {
	switch fieldPath {
	case "metadata.labels":
		return formatMap(pr.pod.Labels)
	case "metadata.annotations":
		return formatMap(pr.pod.Annotations)
	}
	return pr.fieldValue(fieldPath)
}

// formatMap is upstream's fieldpath.FormatMap.
func formatMap(m map[string]string) string {
	lines := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		lines = append(lines, fmt.Sprintf("%v=%q", k, m[k]))
	}
	return strings.Join(lines, "\n")
}

// writeFiles builds a volume's filesystem from its files.
func writeFiles(files []volumeFile, now time.Time) *vfs.FS {
	fsys := vfs.New()
	for _, f := range files {
		if dir := path.Dir(path.Join("/", f.path)); dir != "/" {
			_ = fsys.MkdirAll(dir, 0o755, now)
		}
		_ = fsys.WriteFile(path.Join("/", f.path), f.data, f.mode, now)
	}
	return fsys
}

// mountVolumes sets up the pod's projected volumes, as the volume manager
// does before the sandbox starts. It reports whether all are mounted; a
// failure is reported as a FailedMount event and retried with back-off.
func (pr *podRun) mountVolumes(now time.Time, res *controllers.Result) bool {
	s := sources{r: pr.r, namespace: pr.pod.Namespace}
	for _, v := range pr.pod.Spec.Volumes {
		if _, done := pr.volumes[v.Name]; done {
			continue
		}
		files, ok, err := pr.projection(v, s)
		if !ok {
			continue
		}
		if err != nil {
			res.Events = append(res.Events, controllers.Warning(pr.pod, ReasonFailedMount,
				fmt.Sprintf("MountVolume.SetUp failed for volume %q : %v", v.Name, err)))
			pr.mountBackoff = nextMountBackoff(pr.mountBackoff)
			pr.sandboxAt = now.Add(pr.mountBackoff)
			return false
		}
		pr.volumes[v.Name] = writeFiles(files, now)
		pr.readOnlyVolumes[v.Name] = true
	}
	return true
}

// nextMountBackoff doubles the volume manager's wait, from 500ms to 2m2s.
func nextMountBackoff(d time.Duration) time.Duration {
	if d == 0 {
		return mountRetryFirst
	}
	return min(2*d, mountRetryMax)
}
