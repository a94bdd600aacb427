package sim

import (
	"fmt"
	"time"

	"github.com/kubesim/kubesim/controllers"
)

// ClientLimit is the client-side rate limit of one API client: client-go's
// token bucket (flowcontrol.NewTokenBucketRateLimiter), which starts full
// with Burst tokens and refills QPS tokens a second. A write without a token
// waits for one, as client-go's request blocks in the limiter's Wait.
type ClientLimit struct {
	// QPS is the refill rate, in writes per second of virtual time. Zero
	// means the component's default. It cannot be turned off (client-go
	// makes no limiter for a negative QPS): without it a ReplicaSet of a
	// billion replicas would create pods without end in zero virtual time.
	QPS float64
	// Burst is the bucket's size, in writes. Zero means the component's
	// default.
	Burst int
}

// APILimits are the client-side rate limits of the control plane, one per
// component. Every controller has a client, and so a bucket, of its own
// (kube-controller-manager's ClientBuilder gives each controller its own
// clientset, each with its own limiter from the shared --kube-api-qps and
// --kube-api-burst); each kubelet and the scheduler have one too. Zero
// fields mean upstream's defaults.
type APILimits struct {
	// ControllerManager is kube-controller-manager's --kube-api-qps and
	// --kube-api-burst: 20 and 30 by default.
	ControllerManager ClientLimit
	// Scheduler is KubeSchedulerConfiguration's clientConnection qps and
	// burst: 50 and 100 by default.
	Scheduler ClientLimit
	// Kubelet is KubeletConfiguration's kubeAPIQPS and kubeAPIBurst: 50 and
	// 100 by default.
	Kubelet ClientLimit
}

// Upstream's defaults for each component's client.
var (
	// DefaultControllerManagerLimit is kube-controller-manager's
	// (SetDefaults_KubeControllerManagerConfiguration).
	DefaultControllerManagerLimit = ClientLimit{QPS: 20, Burst: 30}
	// DefaultSchedulerLimit is kube-scheduler's
	// (SetDefaults_KubeSchedulerConfiguration).
	DefaultSchedulerLimit = ClientLimit{QPS: 50, Burst: 100}
	// DefaultKubeletLimit is the kubelet's (SetDefaults_KubeletConfiguration).
	DefaultKubeletLimit = ClientLimit{QPS: 50, Burst: 100}
)

// withDefaults fills zero fields with the component defaults.
func (l APILimits) withDefaults() APILimits {
	l.ControllerManager = l.ControllerManager.or(DefaultControllerManagerLimit)
	l.Scheduler = l.Scheduler.or(DefaultSchedulerLimit)
	l.Kubelet = l.Kubelet.or(DefaultKubeletLimit)
	return l
}

// or replaces l's zero fields with def's.
func (l ClientLimit) or(def ClientLimit) ClientLimit {
	if l.QPS == 0 {
		l.QPS = def.QPS
	}
	if l.Burst == 0 {
		l.Burst = def.Burst
	}
	return l
}

// validate reports a limit that cannot make a bucket.
func (l ClientLimit) validate(component string) error {
	if !(l.QPS > 0) {
		return fmt.Errorf("sim: apiLimits: %s: qps %g must be positive", component, l.QPS)
	}
	if l.Burst < 1 {
		return fmt.Errorf("sim: apiLimits: %s: burst %d must be at least 1", component, l.Burst)
	}
	if time.Duration(float64(time.Second)/l.QPS) <= 0 {
		return fmt.Errorf("sim: apiLimits: %s: qps %g is too high", component, l.QPS)
	}
	return nil
}

// validate checks every component's limit.
func (l APILimits) validate() error {
	for _, c := range []struct {
		name  string
		limit ClientLimit
	}{{controllers.ControllerManager, l.ControllerManager}, {controllers.Scheduler, l.Scheduler},
		{controllers.Kubelet, l.Kubelet}} {
		if err := c.limit.validate(c.name); err != nil {
			return err
		}
	}
	return nil
}

// forComponent returns the limit of the component a controller runs in.
func (l APILimits) forComponent(component string) ClientLimit {
	switch component {
	case controllers.Scheduler:
		return l.Scheduler
	case controllers.Kubelet:
		return l.Kubelet
	}
	return l.ControllerManager
}

// tokenBucket is golang.org/x/time/rate's Limiter as client-go's Wait uses
// it, in virtual time and integer nanoseconds so that every platform
// computes the same times. Tokens are counted as refill time: credit is how
// long the bucket has been refilling, at most burst intervals; a write
// spends one interval. Credit may go negative: a write that finds no token
// reserves the next one and waits for it, so waiting writes are served in
// the order they asked. A nil bucket never makes anyone wait.
type tokenBucket struct {
	interval time.Duration // refill time of one token, 1s/QPS
	capacity time.Duration // burst * interval
	credit   time.Duration
	last     time.Time
}

// newTokenBucket returns a full bucket for l at now, or nil (no limit)
// when l sets none, as tests of the loop may ask.
func newTokenBucket(l ClientLimit, now time.Time) *tokenBucket {
	if l.QPS <= 0 {
		return nil
	}
	interval := time.Duration(float64(time.Second) / l.QPS)
	capacity := interval * time.Duration(l.Burst)
	return &tokenBucket{interval: interval, capacity: capacity, credit: capacity, last: now}
}

// reserve takes a token at now and returns how long the write must wait
// for it: zero when one was in the bucket.
func (b *tokenBucket) reserve(now time.Time) time.Duration {
	if b == nil {
		return 0
	}
	if now.After(b.last) {
		b.credit = min(b.credit+now.Sub(b.last), b.capacity)
		b.last = now
	}
	b.credit -= b.interval
	if b.credit >= 0 {
		return 0
	}
	return -b.credit
}
