package sim

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/kubesim/kubesim/storage"
)

// Config describes a simulated cluster. The zero value is the tutorial's
// cluster: seed 1, starting 2023-12-22T00:00:00Z, a control-plane node
// k8s-master and workers k8s-node1 and k8s-node2.
type Config struct {
	// Seed seeds the one random source (generated names, UIDs). 0 means 1.
	Seed uint64
	// Start is the virtual time the cluster starts at. Zero means
	// 2023-12-22T00:00:00Z, the tutorial's publication date.
	Start time.Time
	// Nodes is the topology. Nil means DefaultNodes().
	Nodes []NodeConfig
	// KubernetesVersion is the release the cluster runs ("1.21", "1.21.14");
	// empty means DefaultKubernetesVersion. It changes only what the
	// tutorial meets between its era and today (see version.go).
	KubernetesVersion string
	// Machines are machines of the cluster's network that are not nodes
	// (an NFS server): each has a filesystem and a shell (HostExec) and
	// serves NFS at its address. Cluster.AddMachine adds more later.
	Machines []MachineConfig
	// Faults injects control-plane faults; nil injects none.
	Faults *Faults
	// TimeZone is kube-controller-manager's local zone, in which CronJobs
	// without spec.timeZone are scheduled. Nil means UTC.
	TimeZone *time.Location
	// Images are images the simulated registries serve beyond the
	// built-in ones, each pulling in a time set by its size and running
	// like the image it names (see ImageConfig). Pods naming an image that
	// is neither fail to pull it (ErrImagePull, ImagePullBackOff). Nil adds
	// none.
	Images []ImageConfig
	// APILimits are the control plane's client-side rate limits: every
	// write a controller, the scheduler or a kubelet makes takes a token
	// from its client's bucket, and waits for one in virtual time when
	// there is none. Zero fields mean upstream's defaults (20 writes a
	// second with bursts of 30 for each controller of
	// kube-controller-manager, 50 and 100 for the scheduler and each kubelet).
	APILimits APILimits
	// StoreQuotaBytes is the store's space quota, in bytes of stored
	// objects (each object counted as the length of its JSON encoding,
	// measured once per write). A create or update that would pass it
	// fails with etcd's "etcdserver: mvcc: database space exceeded";
	// deletes still work. Zero means etcd's default quota-backend-bytes,
	// 2 GiB (storage.DefaultQuotaBytes); a negative value means no quota.
	StoreQuotaBytes int64
	// TraceLimit is how many trace entries (Cluster.Trace) are kept: the
	// latest ones, the oldest dropped first, so a long run's memory does
	// not grow with its length. Zero means DefaultTraceLimit (10,000
	// entries); a negative value keeps every entry, for callers that
	// compare or print a whole long run.
	TraceLimit int
	// CheckMutations turns on the store's test mode that catches code
	// changing the shared, read-only objects the store hands out
	// (storage.Store.CheckMutations): after every reconcile (while the
	// store holds at most 300 objects) and before every write from the
	// API, the cluster panics naming the object and who ran last. It costs
	// a copy per write and a comparison of every object per check: tests
	// only.
	CheckMutations bool
	// OnStart, when set, is called with the cluster once New has built it,
	// before anything has run, and the function it returns (nil: none) is
	// called by Close. It lets a caller attach something to every cluster
	// built from this Config, such as a property checker's runs: package
	// kubesimtest serves each to clients outside the simulation and sets
	// its pace (Cluster.SetPace).
	OnStart func(*Cluster) (stop func())
}

// NodeConfig describes one simulated machine.
type NodeConfig struct {
	Name string
	// ControlPlane nodes carry the node-role.kubernetes.io/control-plane
	// NoSchedule taint, so ordinary pods never land there.
	ControlPlane bool
	// PodCIDR is the node's pod address range, e.g. "10.244.1.0/24".
	PodCIDR string
	// InternalIP is the node's own address.
	InternalIP string
	// CPU and Memory are the node's capacity as quantities ("2", "4Gi").
	// Empty means 2 CPUs and 4Gi.
	CPU, Memory string
	// MaxPods is the kubelet's pod limit. 0 means 110, the kubelet default.
	MaxPods int
}

// DefaultStart is the virtual time a cluster starts at unless told otherwise.
var DefaultStart = time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)

// DefaultNodes returns the tutorial's topology: k8s-master (control plane,
// 192.168.122.24, the NFS server of the storage scenes) and workers
// k8s-node1 and k8s-node2 with pod CIDRs 10.244.1.0/24 and 10.244.2.0/24.
func DefaultNodes() []NodeConfig {
	return []NodeConfig{
		{Name: "k8s-master", ControlPlane: true, PodCIDR: "10.244.0.0/24", InternalIP: "192.168.122.24"},
		{Name: "k8s-node1", PodCIDR: "10.244.1.0/24", InternalIP: "192.168.122.25"},
		{Name: "k8s-node2", PodCIDR: "10.244.2.0/24", InternalIP: "192.168.122.26"},
	}
}

// withDefaults returns c with zero fields replaced by their defaults.
func (c Config) withDefaults() Config {
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Start.IsZero() {
		c.Start = DefaultStart
	}
	c.Start = c.Start.UTC()
	if c.Nodes == nil {
		c.Nodes = DefaultNodes()
	}
	if c.KubernetesVersion == "" {
		c.KubernetesVersion = DefaultKubernetesVersion
	}
	if v, _, err := ParseKubernetesVersion(c.KubernetesVersion); err == nil {
		c.KubernetesVersion = v
	}
	nodes := make([]NodeConfig, len(c.Nodes))
	for i, n := range c.Nodes {
		if n.CPU == "" {
			n.CPU = "2"
		}
		if n.Memory == "" {
			n.Memory = "4Gi"
		}
		if n.MaxPods == 0 {
			n.MaxPods = 110
		}
		nodes[i] = n
	}
	c.Nodes = nodes
	c.APILimits = c.APILimits.withDefaults()
	if c.StoreQuotaBytes == 0 {
		c.StoreQuotaBytes = storage.DefaultQuotaBytes
	}
	if c.TraceLimit == 0 {
		c.TraceLimit = DefaultTraceLimit
	}
	return c
}

// validate reports the first problem with a defaulted config.
func (c Config) validate() error {
	if len(c.Nodes) == 0 {
		return errors.New("sim: config has no nodes")
	}
	if _, err := newCatalog(c.Images); err != nil {
		return err
	}
	if err := c.APILimits.validate(); err != nil {
		return err
	}
	if _, _, err := ParseKubernetesVersion(c.KubernetesVersion); err != nil {
		return fmt.Errorf("sim: %v", err)
	}
	if err := c.Faults.validate(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, n := range c.Nodes {
		if n.Name == "" {
			return fmt.Errorf("sim: nodes[%d]: name is empty", i)
		}
		if seen[n.Name] {
			return fmt.Errorf("sim: nodes[%d]: duplicate node name %q", i, n.Name)
		}
		seen[n.Name] = true
		if _, err := netip.ParsePrefix(n.PodCIDR); err != nil {
			return fmt.Errorf("sim: node %s: podCIDR: %v", n.Name, err)
		}
		if _, err := netip.ParseAddr(n.InternalIP); err != nil {
			return fmt.Errorf("sim: node %s: internalIP: %v", n.Name, err)
		}
		if n.MaxPods < 0 {
			return fmt.Errorf("sim: node %s: maxPods %d is negative", n.Name, n.MaxPods)
		}
	}
	return validateMachines(c.Nodes, c.Machines)
}
