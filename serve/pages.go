package serve

import (
	"encoding/base64"
	"encoding/json"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// pages keeps the store snapshots that chunked lists continue from, so
// every chunk of one list shows the store at one resourceVersion, as etcd
// serves them. Snapshots cost nothing to take (copy-on-write) but hold old
// objects, so only the latest few are kept; a continue token naming a
// forgotten one gets 410 Gone, and the client lists again. Guarded by the
// server's lock.
type pages struct {
	byRV  map[int64]storage.Reader
	order []int64
}

// maxPagedSnapshots is how many list snapshots are kept for continuations.
const maxPagedSnapshots = 16

func newPages() *pages { return &pages{byRV: map[int64]storage.Reader{}} }

// keep remembers a snapshot for later chunks.
func (p *pages) keep(snap storage.Reader) {
	rv := snap.ResourceVersion()
	if _, ok := p.byRV[rv]; ok {
		return
	}
	p.byRV[rv] = snap
	p.order = append(p.order, rv)
	if len(p.order) > maxPagedSnapshots {
		delete(p.byRV, p.order[0])
		p.order = p.order[1:]
	}
}

// continueToken says where a chunked list goes on: the snapshot's
// resourceVersion and the key of the last object sent.
type continueToken struct {
	RV        int64  `json:"rv"`
	Namespace string `json:"ns,omitempty"`
	Name      string `json:"start"`
}

func (t continueToken) encode() string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseContinue reads a continue token.
func parseContinue(s string) (continueToken, error) {
	var t continueToken
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	if err != nil {
		return t, badRequest("continue key is not valid: %v", err)
	}
	return t, nil
}

// after reports whether key orders after the token's last object.
func (t continueToken) after(key objects.Key) bool {
	if key.Namespace != t.Namespace {
		return key.Namespace > t.Namespace
	}
	return key.Name > t.Name
}

// expiredContinue is the apiserver's 410 for a continue token whose
// snapshot is gone.
const expiredContinue = "The provided continue parameter is too old to display a consistent list result. " +
	"You can start a new list without the continue parameter, or use the continue token in this response " +
	"to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent " +
	"list - objects that were created, modified, or deleted between the time the first chunk was returned and " +
	"now may show up in the list."
