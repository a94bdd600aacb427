// Package objects holds kubesim's API types: the Kubernetes objects the
// simulation stores and its controllers act on.
//
// # Fidelity
//
// Types mirror the upstream API (k8s.io/api) field for field where kubesim
// models the field, with the same JSON names, so that a real manifest decodes
// into them and `kubectl get -o json` prints what the apiserver would. Fields
// kubesim does not model are rejected by the strict decoder as unknown, with
// the apiserver's message, rather than silently dropped.
//
// # What lives here
//
//   - meta.go: TypeMeta, ObjectMeta, OwnerReference, the Object interface and Key.
//   - one file per group of kinds, each with its <name>validation.go: pod.go,
//     node.go, namespace.go, event.go (core); job.go and cronjob.go (batch);
//     apps.go and statefulset.go (apps); service.go and serviceendpoints.go
//     (Services, Endpoints, EndpointSlices); config.go (Secrets, ConfigMaps);
//     storage.go (PersistentVolumes, claims, StorageClasses).
//   - unstructured.go: objects of kinds kubesim does not model (RBAC, ServiceAccounts...),
//     kept as JSON trees so a tutorial that applies them is never rejected.
//   - served.go: the one list of the kinds the API serves (group, versions,
//     resource, short names, scope; the modelled ones with their Go type);
//     scheme.go: the registry built from it and its lookups.
//   - quantity.go: resource quantities (resource.Quantity) and ResourceList accessors.
//   - intorstring.go: int-or-strings (intstr.IntOrString): ports, maxSurge,
//     maxUnavailable, and percentages scaled to counts.
//   - labels.go, labelparse.go: label selectors, structured and parsed from kubectl -l syntax.
//   - names.go: name, label and port checks with upstream's messages.
//   - zz_generated.deepcopy.go: DeepCopy/DeepCopyInto, generated (see go:generate
//     below); deepcopy.go holds the few written by hand.
//   - decode.go, decodestream.go: manifest decoding (YAML or JSON, several
//     documents, each decoded on its own as kubectl reads them; the
//     apiserver's 3 MiB request limit; YAML bombs refused); decode_strict.go:
//     the field checker and strict decoding; decode_tree.go: JSON trees
//     encoded, and built from YAML, without encoding/json's reflection.
//   - jsonsize.go: an object's JSON size without encoding it (etcd's quota).
//   - defaults.go: per-kind defaulting; Default on create, SchemeDefault on every write.
//   - fielderror.go, validation.go, podvalidation.go, podupdate.go: field errors and
//     per-kind validation with upstream's field paths and messages.
//   - warnings.go: the apiserver's warnings about a write (deprecations), which
//     never refuse it and which kubectl prints.
//
// # Imports
//
// objects is a leaf of kubesim: it imports only the standard library (with
// time/tzdata, so time zones load the same on every machine),
// sigs.k8s.io/yaml for manifests (as kubectl converts them) and the
// go.yaml.in/yaml/v2 parser it runs (to build a manifest's tree without its
// JSON round trip), go.yaml.in/yaml/v3 to size a YAML document's aliases
// before expanding them,
// github.com/robfig/cron/v3's parser for CronJob schedules, sigs.k8s.io/json
// for strict decoding, and k8s.io/apimachinery's leaf packages
// (api/resource, labels, util/intstr, util/validation, validation/field),
// whose types it aliases.
//
// # Determinism
//
// Nothing here reads the clock or a random source; times and names are set by
// the caller (the store, the controllers).
//
// +kubebuilder:object:generate=true
package objects

// Regenerate deep copies after adding or changing a type: go generate ./objects
// (from the module root). Types whose deep copy is written by hand carry the
// object:generate=false marker; no type carries the object:root marker, because
// every kind writes its own DeepCopyObject returning Object.
//go:generate go run sigs.k8s.io/controller-tools/cmd/controller-gen@v0.23.0 object paths=./...
