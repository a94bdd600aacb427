package sim

import (
	"math/rand/v2"
	"time"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/controllers/cronjob"
	"github.com/kubesim/kubesim/controllers/deployment"
	"github.com/kubesim/kubesim/controllers/endpoints"
	"github.com/kubesim/kubesim/controllers/endpointslice"
	"github.com/kubesim/kubesim/controllers/garbagecollector"
	"github.com/kubesim/kubesim/controllers/job"
	"github.com/kubesim/kubesim/controllers/kubelet"
	"github.com/kubesim/kubesim/controllers/namespace"
	"github.com/kubesim/kubesim/controllers/nodelifecycle"
	"github.com/kubesim/kubesim/controllers/replicaset"
	"github.com/kubesim/kubesim/controllers/rootcacert"
	"github.com/kubesim/kubesim/controllers/scheduler"
	"github.com/kubesim/kubesim/controllers/serviceaccount"
	"github.com/kubesim/kubesim/controllers/statefulset"
	"github.com/kubesim/kubesim/controllers/ttlafterfinished"
	"github.com/kubesim/kubesim/controllers/volume"
	"github.com/kubesim/kubesim/internal/network"
	"github.com/kubesim/kubesim/internal/workload/images"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// Cluster is a simulated Kubernetes cluster: a store, a virtual clock and
// the control loops that act on them. It is not safe for concurrent use.
type Cluster struct {
	cfg   Config
	clock *clock.Fake
	rand  *rand.Rand
	// pcg is rand's source, whose state all-or-nothing applies save and
	// restore (see allOrNothing).
	pcg *rand.PCG
	// storeRand is the store's random source (see randSwitch).
	storeRand *randSwitch
	store     *storage.Store
	loops     []*loop
	// mayLag is set once a fault is configured or injected: until then no
	// informer lags or loses a change, and dispatch need not ask every
	// loop whether one does (anyLags, allPassStraight) at each write.
	mayLag bool
	// routes lists, for each kind, the loops that watch it, in
	// registration order, as of routed loops (see routeFor).
	routes   map[string][]*loop
	routed   int
	kubelets map[string]*kubelet.Kubelet
	events   *recorder
	trace    traceLog
	// lastView is the store as of the last change, kept while some
	// informer lags: the view an informer that starts holding changes back
	// keeps (see informer).
	lastView storage.Reader
	machines *machines
	// actor names who is writing, for the trace; actorView is the
	// revision of the view a controller's write was decided on
	// (Change.Seen), actorLagging what its informer lagged on
	// (Change.Lagging).
	actor        string
	actorView    int64
	actorLagging map[string]int64
	// drained is the watch events slice the last dispatch was done with,
	// for the store to collect the next changes in (see dispatch).
	drained []storage.WatchEvent
	// rootCA is the cluster's CA certificate, as kube-root-ca.crt
	// publishes it (see rootCAPEM).
	rootCA string
	// execs counts exec sessions, which name them (execID).
	execs int
	// observers are told of every store change (Observe).
	observers []func(Change)
	// images is what the registries serve (Config.Images, AddImage).
	images *images.Catalog
	// pace, when set, is told before virtual time passes (SetPace), and
	// onClose is what Config.OnStart asked Close to call.
	pace    func(until time.Time)
	onClose func()
}

// New builds a cluster from cfg: its namespaces, its nodes (Ready), a
// scheduler and one kubelet per node. Nothing has run yet.
func New(cfg Config) (*Cluster, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c := &Cluster{
		cfg:      cfg,
		clock:    clock.NewFake(cfg.Start),
		pcg:      rand.NewPCG(cfg.Seed, seedStream),
		kubelets: map[string]*kubelet.Kubelet{},
		rootCA:   rootCAPEM(cfg.Seed),
	}
	c.rand = rand.New(c.pcg)
	c.mayLag = cfg.Faults != nil
	c.storeRand = newRandSwitch(c.rand, cfg.Seed)
	c.store = storage.New(c.clock, systemRand{c})
	c.store.SetQuota(cfg.StoreQuotaBytes)
	c.store.CheckMutations(cfg.CheckMutations)
	c.trace.limit = cfg.TraceLimit
	c.events = newRecorder(c)
	c.actor = "cluster-bootstrap"
	if err := c.bootstrap(); err != nil {
		return nil, err
	}
	c.machines = &machines{c: c, down: map[string]time.Time{}}
	// Each controller is added with how to build it, so that a restart
	// (RestartController) can build it again from nothing.
	c.addLoop(func() controllers.Controller { return scheduler.New() })
	c.addLoop(func() controllers.Controller { return nodelifecycle.NewLifecycle(c.machines) })
	c.addLoop(func() controllers.Controller { return nodelifecycle.NewEviction() })
	c.addLoop(func() controllers.Controller { return garbagecollector.New() })
	c.addLoop(func() controllers.Controller { return namespace.New() })
	c.addLoop(func() controllers.Controller { return serviceaccount.New() })
	if c.minor() < tokenSecretsUntil {
		c.addLoop(func() controllers.Controller { return serviceaccount.NewTokens(c.rootCA) })
	}
	c.addLoop(func() controllers.Controller { return rootcacert.New(c.rootCA) })
	c.addLoop(func() controllers.Controller { return job.New() })
	c.addLoop(func() controllers.Controller { return deployment.New() })
	c.addLoop(func() controllers.Controller { return replicaset.New() })
	c.addLoop(func() controllers.Controller { return statefulset.New() })
	c.addLoop(func() controllers.Controller { return ttlafterfinished.New() })
	c.addLoop(func() controllers.Controller { return cronjob.New(cfg.TimeZone) })
	c.addLoop(func() controllers.Controller { return endpoints.New() })
	c.addLoop(func() controllers.Controller { return endpointslice.New() })
	c.addLoop(func() controllers.Controller { return volume.NewBinder() })
	c.addLoop(func() controllers.Controller { return volume.NewPVCProtection() })
	c.addLoop(func() controllers.Controller { return volume.NewPVProtection() })
	c.addLoop(func() controllers.Controller { return volume.NewProvisioner(volumes{c}) })
	images, err := newCatalog(cfg.Images)
	if err != nil {
		return nil, err
	}
	c.images = images
	clusterNet := network.New(c.store, podServers{c})
	for _, n := range cfg.Nodes {
		k, err := kubelet.New(kubelet.Config{NodeName: n.Name, PodCIDR: n.PodCIDR, InternalIP: n.InternalIP,
			Network: clusterNet, Volumes: volumes{c}, Catalog: c.images})
		if err != nil {
			return nil, err
		}
		c.kubelets[n.Name] = k
		// A kubelet is a node's agent, not a controller: it is not
		// restarted (its node goes down and up instead), so it has no
		// factory.
		c.addNodeAgent(k)
	}
	c.dispatch()
	if cfg.OnStart != nil {
		c.onClose = cfg.OnStart(c)
	}
	return c, nil
}

// nodeLifecycleName is the node lifecycle controller's name.
const nodeLifecycleName = nodelifecycle.LifecycleName

// seedStream is the second word of the PCG seed; fixed so that Config.Seed
// alone decides the sequence.
const seedStream = 0x6b75626573696d // "kubesim"

// Now returns the current virtual time.
func (c *Cluster) Now() time.Time { return c.clock.Now() }

// Start returns the virtual time the cluster started at.
func (c *Cluster) Start() time.Time { return c.cfg.Start }

// Store returns the read side of the cluster's store. Objects it returns are
// copies the caller owns.
func (c *Cluster) Store() storage.Reader { return c.store }

// Get returns a copy of the object named by key.
func (c *Cluster) Get(key objects.Key) (objects.Object, error) { return c.store.Get(key) }

// Advance lets d of virtual time pass, running every piece of work that
// falls due, each at its own time, in order.
func (c *Cluster) Advance(d time.Duration) {
	target := c.clock.Now().Add(d)
	c.paceTo(target)
	c.clock.AdvanceTo(target)
}

// RunUntil runs due work in order until cond holds or timeout of virtual
// time has passed. It reports whether cond held; on success the clock stays
// at the moment cond became true, otherwise it reads Now()+timeout.
func (c *Cluster) RunUntil(cond func(storage.Reader) bool, timeout time.Duration) bool {
	deadline := c.clock.Now().Add(timeout)
	if cond(c.store) {
		return true
	}
	for c.paceStep(deadline) {
		if cond(c.store) {
			return true
		}
	}
	c.clock.AdvanceTo(deadline)
	return cond(c.store)
}

// Quiet reports whether no work is scheduled at all.
func (c *Cluster) Quiet() bool { return c.clock.Pending() == 0 }

// addLoop registers the controller build makes with the loop, and
// remembers build to make it again when the controller restarts. Each
// controller has an API client, and so a rate limiter, of its own.
func (c *Cluster) addLoop(build func() controllers.Controller) {
	c.addNodeAgent(build()).build = build
}

// addNodeAgent registers a controller that cannot be restarted (a
// kubelet) and returns its loop.
func (c *Cluster) addNodeAgent(ctrl controllers.Controller) *loop {
	limit := c.cfg.APILimits.forComponent(controllers.ComponentOf(ctrl))
	l := newLoop(ctrl, newTokenBucket(limit, c.cfg.Start))
	l.limit = limit
	c.loops = append(c.loops, l)
	return l
}

// loopNamed returns the loop of the controller called name, or nil.
func (c *Cluster) loopNamed(name string) *loop {
	for _, l := range c.loops {
		if l.ctrl.Name() == name {
			return l
		}
	}
	return nil
}
