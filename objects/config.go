package objects

import (
	"reflect"
)

// This file holds the core/v1 Secret and ConfigMap kinds (k8s.io/api core/v1
// types.go), the Secret's defaulting (pkg/apis/core/v1/defaults.go
// SetDefaults_Secret), the merge of stringData into data that upstream's
// v1 → internal conversion performs, and their validation
// (pkg/apis/core/validation ValidateSecret, ValidateConfigMap and their
// update variants).

// Secret holds a small amount of sensitive data (core/v1 Secret). Data
// values are bytes, written in JSON and YAML as base64 as upstream does.
type Secret struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Immutable  *bool             `json:"immutable,omitempty"`
	Data       map[string][]byte `json:"data,omitempty"`
	// StringData is a write-only convenience: the store merges it into Data
	// (its values winning) and drops it, so a stored Secret never has it.
	StringData map[string]string `json:"stringData,omitempty"`
	Type       string            `json:"type,omitempty"`
}

// DeepCopyObject returns an independent copy of the secret.
func (s *Secret) DeepCopyObject() Object { return s.DeepCopy() }

// ConfigMap holds configuration data for pods to consume (core/v1 ConfigMap).
type ConfigMap struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Immutable  *bool             `json:"immutable,omitempty"`
	Data       map[string]string `json:"data,omitempty"`
	BinaryData map[string][]byte `json:"binaryData,omitempty"`
}

// DeepCopyObject returns an independent copy of the config map.
func (c *ConfigMap) DeepCopyObject() Object { return c.DeepCopy() }

// Secret types (core/v1 SecretType values).
const (
	SecretTypeOpaque              = "Opaque"
	SecretTypeServiceAccountToken = "kubernetes.io/service-account-token"
	SecretTypeDockerConfigJSON    = "kubernetes.io/dockerconfigjson"
	SecretTypeBasicAuth           = "kubernetes.io/basic-auth"
	SecretTypeSSHAuth             = "kubernetes.io/ssh-auth"
	SecretTypeTLS                 = "kubernetes.io/tls"
)

// MaxSecretSize is the most bytes a Secret's data, or a ConfigMap's data and
// binaryData together, may hold (core.MaxSecretSize, 1 MiB).
const MaxSecretSize = 1 * 1024 * 1024

// Validation messages of Secrets and ConfigMaps, as upstream words them.
const (
	immutableWhenSetErrorMsg = "field is immutable when `immutable` is set"
	duplicateBinaryKeyMsg    = "duplicate of key present in binaryData"
)

// defaultSecret is SetDefaults_Secret: an untyped Secret is Opaque.
func defaultSecret(s *Secret) {
	if s.Type == "" {
		s.Type = SecretTypeOpaque
	}
}

// MergeStringData folds stringData into data, stringData winning, and
// clears it, as upstream's Convert_v1_Secret_To_core_Secret does on every
// write.
func MergeStringData(s *Secret) {
	if len(s.StringData) == 0 {
		s.StringData = nil
		return
	}
	if s.Data == nil {
		s.Data = make(map[string][]byte, len(s.StringData))
	}
	for k, v := range s.StringData {
		s.Data[k] = []byte(v)
	}
	s.StringData = nil
}

// validateConfigKeys checks every key of m under path and returns the bytes
// its values hold.
func validateConfigKeys[V string | []byte](m map[string]V, path FieldPath) (ErrorList, int) {
	var errs ErrorList
	size := 0
	for _, k := range sortedKeys(m) {
		for _, msg := range IsConfigMapKey(k) {
			errs = append(errs, InvalidError(path.Key(k), k, msg))
		}
		size += len(m[k])
	}
	return errs, size
}

// validateSecret is ValidateSecret for the types kubesim knows: metadata,
// data keys and the total size.
func validateSecret(s *Secret) ErrorList {
	errs := validateObjectMeta(&s.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	keyErrs, size := validateConfigKeys(s.Data, "data")
	errs = append(errs, keyErrs...)
	if size > MaxSecretSize {
		errs = append(errs, TooLongError("data", MaxSecretSize))
	}
	return errs
}

// validateSecretUpdate is ValidateSecretUpdate: the type never changes, and
// an immutable Secret keeps its data and its immutability.
func validateSecretUpdate(s, old *Secret) ErrorList {
	errs := validateImmutable(s.Type, old.Type, "type")
	errs = append(errs, validateKeptWhenImmutable(s.Immutable, old.Immutable,
		keptField{"data", s.Data, old.Data})...)
	return append(errs, validateSecret(s)...)
}

// validateConfigMap is ValidateConfigMap: metadata, keys of both maps, no
// key in both, and the total size.
func validateConfigMap(c *ConfigMap) ErrorList {
	errs := validateObjectMeta(&c.ObjectMeta, true, nameIsDNSSubdomain, "metadata")
	keyErrs, size := validateConfigKeys(c.Data, "data")
	for _, k := range sortedKeys(c.Data) {
		if _, dup := c.BinaryData[k]; dup {
			keyErrs = append(keyErrs, InvalidError(NewFieldPath("data").Key(k), k, duplicateBinaryKeyMsg))
		}
	}
	errs = append(errs, keyErrs...)
	binErrs, binSize := validateConfigKeys(c.BinaryData, "binaryData")
	errs = append(errs, binErrs...)
	if size+binSize > MaxSecretSize {
		errs = append(errs, TooLongError("", MaxSecretSize))
	}
	return errs
}

// validateConfigMapUpdate is ValidateConfigMapUpdate: an immutable
// ConfigMap keeps its data, binary data and immutability.
func validateConfigMapUpdate(c, old *ConfigMap) ErrorList {
	errs := validateKeptWhenImmutable(c.Immutable, old.Immutable,
		keptField{"data", c.Data, old.Data}, keptField{"binaryData", c.BinaryData, old.BinaryData})
	return append(errs, validateConfigMap(c)...)
}

// keptField is a field an immutable Secret or ConfigMap must keep: its
// name, and its new and stored values.
type keptField struct {
	name     FieldPath
	now, was any
}

// validateKeptWhenImmutable is the rule Secrets and ConfigMaps share: once
// immutable is set it stays set, and the kept fields do not change.
func validateKeptWhenImmutable(now, was *bool, fields ...keptField) ErrorList {
	if !isTrue(was) {
		return nil
	}
	var errs ErrorList
	if !isTrue(now) {
		errs = append(errs, ForbiddenError("immutable", immutableWhenSetErrorMsg))
	}
	for _, f := range fields {
		if !reflect.DeepEqual(f.now, f.was) {
			errs = append(errs, ForbiddenError(f.name, immutableWhenSetErrorMsg))
		}
	}
	return errs
}

// isTrue reports whether an optional flag is set and true.
func isTrue(b *bool) bool { return b != nil && *b }
