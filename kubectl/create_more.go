package kubectl

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// This file holds the generators of kubectl create (k8s.io/kubectl
// pkg/cmd/create): deployment, job (--image or --from=cronjob/NAME),
// cronjob and configmap. Each builds the object kubectl builds, sends it,
// and prints "<resource>/<name> created"; the apiserver's refusal is
// wrapped as kubectl wraps it ("failed to create deployment: ...").

// createName is NameFromCommandArgs: exactly one NAME before any "--".
func createName(inv *invocation, sub string) (string, error) {
	names := inv.p.args[1:]
	if len(names) != 1 {
		return "", &usageError{msg: fmt.Sprintf("exactly one NAME is required, got %d", len(names)), verb: "create " + sub}
	}
	return names[0], nil
}

// requireFlags is cobra's check of flags marked required, made before the
// command runs: every missing one named, in the order they were marked.
func requireFlags(inv *invocation, names ...string) error {
	var missing []string
	for _, n := range names {
		if !inv.p.has(n) {
			missing = append(missing, `"`+n+`"`)
		}
	}
	if len(missing) > 0 {
		return plainError("required flag(s) %s not set", strings.Join(missing, ", "))
	}
	return nil
}

// createGenerated sends an object kubectl built to the apiserver. A
// refusal reads "error: failed to create KIND: MESSAGE".
func (k *Kubectl) createGenerated(inv *invocation, what string, tree map[string]any) error {
	b, err := json.Marshal(tree)
	if err != nil {
		return plainError("%v", err)
	}
	obj, err := objects.DecodeOne(b)
	if err != nil {
		return plainError("failed to create %s: %v", what, err)
	}
	created, err := k.c.CreateObjects(obj)
	if err != nil {
		return plainError("failed to create %s: %s", what, statusMessage(err))
	}
	warner{}.about(inv, created[0])
	inv.printf("%s created\n", resourceName(created[0]))
	return nil
}

// statusMessage is an apiserver error as client-go's StatusError prints
// it (its message alone, without kubectl's "Error from server" framing).
func statusMessage(err error) string {
	var ae *sim.ApplyError
	if errors.As(err, &ae) {
		err = ae.Err
	}
	var se *storage.StatusError
	if errors.As(err, &se) {
		return se.Message
	}
	return err.Error()
}

// metadata is an object's metadata as kubectl's generators set it: the
// namespace only when -n was given (EnforceNamespace), the apiserver
// filling in the default one otherwise.
func metadata(inv *invocation, name string) map[string]any {
	m := map[string]any{"name": name}
	if ns := inv.p.get("namespace"); ns != "" {
		m["namespace"] = ns
	}
	return m
}

// stringList converts words to a JSON list.
func stringList(words []string) []any {
	out := make([]any, len(words))
	for i, w := range words {
		out[i] = w
	}
	return out
}

// container is one container of a generated pod template.
func container(name, image string, command []string) map[string]any {
	c := map[string]any{"name": name, "image": image}
	if len(command) > 0 {
		c["command"] = stringList(command)
	}
	return c
}

// createDeployment handles `create deployment NAME --image=IMAGE...
// [--replicas=N] [--port=P] [-- COMMAND...]` (create_deployment.go).
func (k *Kubectl) createDeployment(inv *invocation) error {
	// cobra checks required flags before the command runs.
	if err := requireFlags(inv, "image"); err != nil {
		return err
	}
	name, err := createName(inv, "deployment")
	if err != nil {
		return err
	}
	images := splitImages(inv.p.all("image"))
	if len(images) > 1 && len(inv.p.dashArgs) > 0 {
		return plainError("cannot specify multiple --image options and command")
	}
	replicas, err := int32Flag(inv, "deployment", "replicas", "r", 1)
	if err != nil {
		return err
	}
	port, err := int32Flag(inv, "deployment", "port", "", -1)
	if err != nil {
		return err
	}
	labels := map[string]any{"app": name}
	var containers []any
	for i, image := range images {
		c := container(containerNameFor(name, image, i), image, inv.p.dashArgs)
		if i == 0 && port >= 0 {
			c["ports"] = []any{map[string]any{"containerPort": port}}
		}
		containers = append(containers, c)
	}
	meta := metadata(inv, name)
	meta["labels"] = labels
	return k.createGenerated(inv, "deployment", map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
		"spec": map[string]any{
			"replicas": replicas,
			"selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{
				"metadata": map[string]any{"labels": labels},
				"spec":     map[string]any{"containers": containers},
			},
		},
	})
}

// splitImages reads --image as pflag's StringSlice does: each use may
// hold several images separated by commas.
func splitImages(values []string) []string {
	var out []string
	for _, v := range values {
		out = append(out, strings.Split(v, ",")...)
	}
	return out
}

// int32Flag reads an integer flag of `create SUB`, or def when it is
// absent, with pflag's error for a word that is not one (ParseInt, base 0).
func int32Flag(inv *invocation, sub, name, short string, def int32) (int32, error) {
	if !inv.p.has(name) {
		return def, nil
	}
	v := inv.p.get(name)
	n, err := strconv.ParseInt(v, 0, 32)
	if err != nil {
		shown := "--" + name
		if short != "" {
			shown = "-" + short + ", " + shown
		}
		return 0, &usageError{msg: fmt.Sprintf("invalid argument %q for %q flag: %v", v, shown, err), verb: "create " + sub}
	}
	return int32(n), nil
}

// containerNameFor is buildPodSpec's container name: the image's last path
// part without tag or digest. A name with '_' or '.' gets them as '-' and
// a random five-letter suffix upstream (sanitizeAndUniquify); kubesim's
// suffix comes from a hash of the deployment's name and the image's
// place, so that a run prints the same every time.
func containerNameFor(deployment, image string, index int) string {
	name := image[strings.LastIndex(image, "/")+1:]
	name, _, _ = strings.Cut(name, ":")
	name, _, _ = strings.Cut(name, "@")
	if !strings.ContainsAny(name, "_.") {
		return name
	}
	name = strings.NewReplacer("_", "-", ".", "-").Replace(name)
	return name + "-" + hashSuffix(fmt.Sprintf("%s/%d", deployment, index))
}

// suffixAlphabet is utilrand's: no vowels, no look-alikes.
const suffixAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// hashSuffix returns five letters of suffixAlphabet picked by s's hash.
func hashSuffix(s string) string {
	h := fnv.New64a()
	h.Write([]byte(s))
	v := h.Sum64()
	b := make([]byte, 5)
	for i := range b {
		b[i] = suffixAlphabet[v%uint64(len(suffixAlphabet))]
		v /= uint64(len(suffixAlphabet))
	}
	return string(b)
}

// createJob handles `create job NAME --image=IMAGE [-- COMMAND...]` and
// `create job NAME --from=cronjob/CRONJOB` (create_job.go): a Job from a
// CronJob's template is annotated cronjob.kubernetes.io/instantiate=manual
// and owned by the CronJob, as the way to try a CronJob by hand.
func (k *Kubectl) createJob(inv *invocation) error {
	name, err := createName(inv, "job")
	if err != nil {
		return err
	}
	image, from := inv.p.get("image"), inv.p.get("from")
	if (image == "") == (from == "") {
		return plainError("either --image or --from must be specified")
	}
	if len(inv.p.dashArgs) > 0 && from != "" {
		return plainError("cannot specify --from and command")
	}
	if image != "" {
		return k.createGenerated(inv, "job", map[string]any{
			"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata(inv, name),
			"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
				"containers":    []any{container(name, image, inv.p.dashArgs)},
				"restartPolicy": "Never",
			}}},
		})
	}
	cj, err := k.cronJobFrom(inv, from)
	if err != nil {
		return err
	}
	return k.createGenerated(inv, "job", jobFromCronJob(inv, name, cj))
}

// cronJobFrom reads --from: TYPE/NAME, which must name a CronJob.
func (k *Kubectl) cronJobFrom(inv *invocation, from string) (*objects.CronJob, error) {
	targets, err := resolveTargets([]string{from})
	if err != nil {
		return nil, err
	}
	if len(targets) != 1 || len(targets[0].names) != 1 {
		return nil, plainError("from must be an existing cronjob")
	}
	t := targets[0]
	obj, err := k.c.Get(keyFor(t.info, inv.namespace(), t.names[0]))
	if err != nil {
		return nil, serverError(err, "")
	}
	cj, ok := obj.(*objects.CronJob)
	if !ok {
		return nil, plainError("unknown object type *v1.%s", t.info.Kind)
	}
	return cj, nil
}

// jobFromCronJob is createJobFromCronJob: the template's labels and spec,
// its annotations over instantiate=manual, a controller reference to the
// CronJob without blockOwnerDeletion.
func jobFromCronJob(inv *invocation, name string, cj *objects.CronJob) map[string]any {
	annotations := map[string]any{"cronjob.kubernetes.io/instantiate": "manual"}
	for k, v := range cj.Spec.JobTemplate.Annotations {
		annotations[k] = v
	}
	meta := metadata(inv, name)
	meta["annotations"] = annotations
	if len(cj.Spec.JobTemplate.Labels) > 0 {
		meta["labels"] = cj.Spec.JobTemplate.Labels
	}
	meta["ownerReferences"] = []any{map[string]any{
		"apiVersion": "batch/v1", "kind": "CronJob", "name": cj.Name, "uid": cj.UID, "controller": true,
	}}
	return map[string]any{"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": cj.Spec.JobTemplate.Spec}
}

// createCronJob handles `create cronjob NAME --image=IMAGE
// --schedule=SCHEDULE [--restart=OnFailure|Never] [-- COMMAND...]`
// (create_cronjob.go: --restart defaults to OnFailure).
func (k *Kubectl) createCronJob(inv *invocation) error {
	// cobra checks required flags before the command runs.
	if err := requireFlags(inv, "image", "schedule"); err != nil {
		return err
	}
	name, err := createName(inv, "cronjob")
	if err != nil {
		return err
	}
	restart := inv.p.get("restart")
	if restart == "" {
		restart = "OnFailure"
	}
	return k.createGenerated(inv, "cronjob", map[string]any{
		"apiVersion": "batch/v1", "kind": "CronJob", "metadata": metadata(inv, name),
		"spec": map[string]any{
			"schedule": inv.p.get("schedule"),
			"jobTemplate": map[string]any{
				"metadata": map[string]any{"name": name},
				"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
					"containers":    []any{container(name, inv.p.get("image"), inv.p.dashArgs)},
					"restartPolicy": restart,
				}}},
			},
		},
	})
}

// createConfigMap handles `create configmap NAME [--from-literal=K=V]...
// [--from-file=[KEY=]PATH]...` (create_configmap.go): files are read from
// the machine kubectl runs on, then the scenario's directory; a directory
// gives each regular file under its name; text that is not UTF-8 goes to
// binaryData.
func (k *Kubectl) createConfigMap(inv *invocation) error {
	name, err := createName(inv, "configmap")
	if err != nil {
		return err
	}
	cm := &configMapData{name: name, data: map[string]any{}, binary: map[string]any{}}
	// Files first, then literals, as createConfigMap reads them.
	for _, src := range inv.p.all("from-file") {
		if err := k.addFileSource(cm, src); err != nil {
			return err
		}
	}
	for _, lit := range inv.p.all("from-literal") {
		key, value, ok := strings.Cut(lit, "=")
		if !ok || key == "" {
			return plainError("invalid literal source %s, expected key=value", lit)
		}
		if err := cm.add(key, []byte(value), true); err != nil {
			return err
		}
	}
	tree := map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(inv, name)}
	if len(cm.data) > 0 {
		tree["data"] = cm.data
	}
	if len(cm.binary) > 0 {
		tree["binaryData"] = cm.binary
	}
	return k.createGenerated(inv, "configmap", tree)
}

// configMapData collects a generated ConfigMap's keys.
type configMapData struct {
	name         string
	data, binary map[string]any
}

// add is addKeyFromLiteralToConfigMap (text) or the binary half of
// addKeyFromFileToConfigMap, checking the key as validateNewConfigMap does.
func (cm *configMapData) add(key string, value []byte, text bool) error {
	if errs := objects.IsConfigMapKey(key); len(errs) > 0 {
		return plainError("%q is not a valid key name for a ConfigMap: %s", key, strings.Join(errs, ","))
	}
	if _, ok := cm.data[key]; ok {
		return plainError("cannot add key %q, another key by that name already exists in Data for ConfigMap %q", key, cm.name)
	}
	if _, ok := cm.binary[key]; ok {
		return plainError("cannot add key %q, another key by that name already exists in BinaryData for ConfigMap %q", key, cm.name)
	}
	if text || utf8.Valid(value) {
		cm.data[key] = string(value)
	} else {
		cm.binary[key] = value // encoding/json writes []byte as base64
	}
	return nil
}

// addFileSource reads one --from-file source ([KEY=]PATH), as
// util.ParseFileSource and handleConfigMapFromFileSources do.
func (k *Kubectl) addFileSource(cm *configMapData, src string) error {
	key, p, err := parseFileSource(src)
	if err != nil {
		return err
	}
	fs := k.sourceFiles()
	exists, dir := fs.Stat(p)
	if !exists {
		return plainError("error reading %s: no such file or directory", p)
	}
	if !dir {
		data, err := fs.ReadFile(p)
		if err != nil {
			return plainError("error reading %s: %v", p, err)
		}
		return cm.add(key, data, false)
	}
	if strings.Contains(src, "=") {
		return plainError("cannot give a key name for a directory path")
	}
	names, err := fs.ReadDir(p)
	if err != nil {
		return plainError("error listing files in %s: %v", p, err)
	}
	for _, n := range names {
		full := path.Join(p, n)
		if _, isDir := fs.Stat(full); isDir {
			continue
		}
		data, err := fs.ReadFile(full)
		if err != nil {
			return plainError("error reading %s: %v", full, err)
		}
		if err := cm.add(n, data, false); err != nil {
			return err
		}
	}
	return nil
}

// parseFileSource is util.ParseFileSource: "PATH" keys the file by its
// base name, "KEY=PATH" by KEY.
func parseFileSource(src string) (key, p string, err error) {
	n := strings.Count(src, "=")
	switch {
	case n == 0:
		return path.Base(filepath.ToSlash(src)), src, nil
	case n == 1 && strings.HasPrefix(src, "="):
		return "", "", plainError("key name for file path %v missing", strings.TrimPrefix(src, "="))
	case n == 1 && strings.HasSuffix(src, "="):
		return "", "", plainError("file path for key name %v missing", strings.TrimSuffix(src, "="))
	case n > 1:
		return "", "", plainError("key names or file paths cannot contain '='")
	}
	key, p, _ = strings.Cut(src, "=")
	return key, p, nil
}

// sourceFiles is where kubectl reads files given by path: the machine it
// runs on, falling back to the scenario's directory, as -f does.
func (k *Kubectl) sourceFiles() Files {
	return layeredFiles{machine: k.files, dir: k.dir}
}

// layeredFiles reads a path from the machine when it is there, otherwise
// from dir on the host running kubesim.
type layeredFiles struct {
	machine Files
	dir     string
}

// onMachine reports whether p is on the machine.
func (l layeredFiles) onMachine(p string) bool {
	if l.machine == nil {
		return false
	}
	exists, _ := l.machine.Stat(p)
	return exists
}

// local is p in the scenario's directory.
func (l layeredFiles) local(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(l.dir, p)
}

// Stat reports whether p exists and is a directory; the empty path does
// not exist, as for os.Stat.
func (l layeredFiles) Stat(p string) (bool, bool) {
	if p == "" {
		return false, false
	}
	if l.onMachine(p) {
		return l.machine.Stat(p)
	}
	info, err := os.Stat(l.local(p))
	if err != nil {
		return false, false
	}
	return true, info.IsDir()
}

// ReadFile reads p.
func (l layeredFiles) ReadFile(p string) ([]byte, error) {
	if l.onMachine(p) {
		return l.machine.ReadFile(p)
	}
	return os.ReadFile(l.local(p))
}

// ReadDir lists p's entries in name order.
func (l layeredFiles) ReadDir(p string) ([]string, error) {
	if l.onMachine(p) {
		return l.machine.ReadDir(p)
	}
	entries, err := os.ReadDir(l.local(p))
	if err != nil {
		return nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, nil
}
