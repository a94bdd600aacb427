package serviceaccount

import (
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// TokensName is the name of kube-controller-manager's token controller
// (pkg/controller/serviceaccount/tokens_controller.go), which up to 1.23
// gave every ServiceAccount a token Secret: the `default-token-24c52` of
// a tutorial's `kubectl get secret`. From 1.24
// (LegacyServiceAccountTokenNoAutoGeneration) it makes none; sim runs it
// only for older releases.
const TokensName = "serviceaccount-token-controller"

// Annotations of a token Secret naming its ServiceAccount
// (core/v1 ServiceAccountNameKey, ServiceAccountUIDKey).
const (
	AnnServiceAccountName = "kubernetes.io/service-account.name"
	AnnServiceAccountUID  = "kubernetes.io/service-account.uid"
)

// tokenNameAlphabet is utilrand.String's alphabet, which the controller's
// secret names end in ("-token-" and five of them).
const tokenNameAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// tokenSuffixLength is how many characters follow "-token-".
const tokenSuffixLength = 5

// Tokens is the token controller as it was up to 1.23.
type Tokens struct {
	rootCA string
}

var _ controllers.Controller = (*Tokens)(nil)

// NewTokens returns the token controller; rootCA is the ca.crt its
// Secrets carry.
func NewTokens(rootCA string) *Tokens { return &Tokens{rootCA: rootCA} }

// Name returns "serviceaccount-token-controller".
func (t *Tokens) Name() string { return TokensName }

// WatchedKinds lists the kinds KeysFor maps (controllers.KindWatcher):
// the token controller watches Secrets and ServiceAccounts.
func (*Tokens) WatchedKinds() []string { return watchedTokens }

var watchedTokens = []string{"Secret", serviceAccountKind}

// KeysFor returns a ServiceAccount added or updated, and the
// ServiceAccount of a token Secret deleted, as upstream's queues do.
func (t *Tokens) KeysFor(ev storage.WatchEvent, _ storage.Reader) []objects.Key {
	m := ev.Object.GetObjectMeta()
	switch o := ev.Object.(type) {
	case *objects.Secret:
		if ev.Type == storage.Deleted && o.Type == objects.SecretTypeServiceAccountToken && o.Annotations[AnnServiceAccountName] != "" {
			return []objects.Key{{Kind: serviceAccountKind, Namespace: m.Namespace, Name: o.Annotations[AnnServiceAccountName]}}
		}
	default:
		if ev.Type != storage.Deleted && ev.Object.GetTypeMeta().Kind == serviceAccountKind {
			return []objects.Key{objects.KeyOf(ev.Object)}
		}
	}
	return nil
}

// Reconcile gives a ServiceAccount that references no token Secret of its
// own a new one and adds it to the account's secrets (syncServiceAccount,
// ensureReferencedToken).
func (t *Tokens) Reconcile(_ time.Time, r storage.Reader, key objects.Key) controllers.Result {
	obj, err := r.Get(key)
	if err != nil {
		return controllers.Result{}
	}
	sa, ok := obj.(*objects.Unstructured)
	if !ok || sa.DeletionTimestamp != nil || hasToken(r, sa) {
		return controllers.Result{}
	}
	secret := t.tokenSecret(sa)
	updated := sa.DeepCopyObject().(*objects.Unstructured)
	// A reference to the deleted token it replaces goes (upstream's
	// removeSecretReference).
	refs, _ := updated.Content["secrets"].([]any)
	kept := []any{}
	for _, ref := range refs {
		if m, _ := ref.(map[string]any); m["name"] != secret.Name {
			kept = append(kept, ref)
		}
	}
	updated.Content["secrets"] = append(kept, map[string]any{"name": secret.Name})
	return controllers.Result{Actions: []controllers.Action{
		{Verb: controllers.Create, Object: secret},
		{Verb: controllers.Update, Object: updated},
	}}
}

// hasToken reports whether one of the account's referenced Secrets is a
// token Secret made for it.
func hasToken(r storage.Reader, sa *objects.Unstructured) bool {
	refs, _ := sa.Content["secrets"].([]any)
	for _, ref := range refs {
		m, _ := ref.(map[string]any)
		name, _ := m["name"].(string)
		obj, err := r.Get(objects.Key{Kind: "Secret", Namespace: sa.Namespace, Name: name})
		if err != nil {
			continue
		}
		s := obj.(*objects.Secret)
		if s.Type == objects.SecretTypeServiceAccountToken && s.Annotations[AnnServiceAccountName] == sa.Name &&
			s.Annotations[AnnServiceAccountUID] == string(sa.UID) {
			return true
		}
	}
	return false
}

// tokenSecret is the Secret the controller makes for sa: ca.crt, namespace
// and token. Its name's suffix and its token come from the account's uid
// rather than a random source, so that no other generated name moves.
func (t *Tokens) tokenSecret(sa *objects.Unstructured) *objects.Secret {
	sum := sha256.Sum256([]byte("token/" + string(sa.UID)))
	suffix := make([]byte, tokenSuffixLength)
	for i := range suffix {
		suffix[i] = tokenNameAlphabet[int(sum[i])%len(tokenNameAlphabet)]
	}
	return &objects.Secret{
		TypeMeta: objects.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: objects.ObjectMeta{
			Name: sa.Name + "-token-" + string(suffix), Namespace: sa.Namespace,
			Annotations: map[string]string{AnnServiceAccountName: sa.Name, AnnServiceAccountUID: string(sa.UID)},
		},
		Type: objects.SecretTypeServiceAccountToken,
		Data: map[string][]byte{
			"ca.crt":    []byte(t.rootCA),
			"namespace": []byte(sa.Namespace),
			"token":     []byte(fakeJWT(sum[:])),
		},
	}
}

// fakeJWT is a token shaped like the controller's legacy tokens (an RS256
// JWT: header, claims, signature), which nothing in kubesim checks.
func fakeJWT(seed []byte) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"RS256","kid":"` + enc.EncodeToString(seed[:16]) + `"}`))
	claims := enc.EncodeToString([]byte(`{"iss":"kubernetes/serviceaccount"}`))
	sig := sha256.Sum256(append([]byte(header+"."+claims), seed...))
	return header + "." + claims + "." + enc.EncodeToString(append(sig[:], seed...))
}
