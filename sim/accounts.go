package sim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/controllers/rootcacert"
	"github.com/kubesim/kubesim/controllers/serviceaccount"
	"github.com/kubesim/kubesim/objects"
)

// Every namespace holds a ServiceAccount "default" and the ConfigMap
// kube-root-ca.crt, kept by kube-controller-manager's serviceaccount and
// root-ca-certificate-publisher controllers. The bootstrap namespaces have
// them from the start (the controllers made them while the cluster was
// being installed); the controllers make them in every namespace created
// later, at once. Their writes draw names and uids from the system stream
// (systemRand), so that creating a namespace leaves every later generated
// name where it was.

// systemWriter reports whether actor is one of the controllers whose
// writes draw from the system stream. A switch, not a map: the store draws
// 16 times for every uid it makes.
func systemWriter(actor string) bool {
	switch actor {
	case serviceaccount.Name, serviceaccount.TokensName, rootcacert.Name:
		return true
	}
	return false
}

// systemRand is the store's random source: the randSwitch, except for
// writes made by a systemWriter.
type systemRand struct{ c *Cluster }

// IntN draws from the system stream for a systemWriter, else from the
// switch.
func (r systemRand) IntN(n int) int {
	if systemWriter(r.c.actor) {
		return r.c.storeRand.system.IntN(n)
	}
	return r.c.storeRand.IntN(n)
}

// bootstrapAccounts creates the bootstrap namespaces' default
// ServiceAccounts and kube-root-ca.crt ConfigMaps.
func (c *Cluster) bootstrapAccounts() error {
	c.storeRand.cur = c.storeRand.system
	defer func() { c.storeRand.cur = c.storeRand.main }()
	publisher := rootcacert.New(c.rootCA)
	for _, ns := range systemNamespaces {
		for _, o := range []objects.Object{serviceaccount.DefaultServiceAccount(ns), publisher.ConfigMap(ns)} {
			if _, err := c.store.Create(o); err != nil {
				return fmt.Errorf("sim: creating %s %s/%s: %w", o.GetTypeMeta().Kind, ns, o.GetObjectMeta().Name, err)
			}
		}
	}
	return nil
}

// caDERLength is the length of the fake CA certificate's DER encoding, that
// of kubeadm's self-signed "kubernetes" CA (RSA 2048, its PEM starting
// "MIIDBTCC"): 777 bytes, 1107 as PEM.
const caDERLength = 777

// rootCAPEM returns the cluster's CA certificate as kube-root-ca.crt
// publishes it: a PEM block of the right shape (a DER SEQUENCE header and
// kubeadm's length) whose bytes are drawn from SHA-256 over the seed, so
// each seed has its own and every run of a seed the same. It is not a
// certificate anything can parse.
func rootCAPEM(seed uint64) string {
	der := make([]byte, 0, caDERLength+sha256.Size)
	der = append(der, 0x30, 0x82, byte((caDERLength-4)>>8), byte((caDERLength-4)&0xff))
	var block [16]byte
	binary.BigEndian.PutUint64(block[:8], seed)
	for counter := uint64(0); len(der) < caDERLength; counter++ {
		binary.BigEndian.PutUint64(block[8:], counter)
		sum := sha256.Sum256(append([]byte("kubesim root CA "), block[:]...))
		der = append(der, sum[:]...)
	}
	body := base64.StdEncoding.EncodeToString(der[:caDERLength])
	var b strings.Builder
	b.WriteString("-----BEGIN CERTIFICATE-----\n")
	for len(body) > 64 {
		b.WriteString(body[:64] + "\n")
		body = body[64:]
	}
	b.WriteString(body + "\n-----END CERTIFICATE-----\n")
	return b.String()
}
