package e2e_test

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/record"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"github.com/kubesim/kubesim/kubesimtest"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// greeter records an Event about every pod, through both of
// controller-runtime's recorders: the events.k8s.io/v1 one
// (GetEventRecorder) and the core v1 one (GetEventRecorderFor).
type greeter struct {
	client.Client
	events recorder.EventRecorder
	legacy record.EventRecorder
}

func (g *greeter) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var pod corev1.Pod
	if err := g.Get(ctx, req.NamespacedName, &pod); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	// The recorders name an Event after its object and the time in
	// nanoseconds: at one virtual instant, two Events about one object
	// would collide, so each pod gets one recorder's.
	if pod.Name == "hello" {
		g.events.Eventf(&pod, nil, corev1.EventTypeNormal, "Greeted", "Greet", "hello %s", pod.Name)
	} else {
		g.legacy.Eventf(&pod, corev1.EventTypeNormal, "Greeted", "hello %s", pod.Name)
	}
	return ctrl.Result{}, nil
}

// hasEvent reports whether the store holds an Event about pod with
// reason, message and reporting controller.
func hasEvent(r storage.Reader, pod, reason, message, reporter string) bool {
	for _, o := range r.List("Event", "default", nil) {
		ev := o.(*objects.Event)
		if ev.InvolvedObject.Name == pod && ev.Reason == reason && ev.Message == message &&
			(ev.ReportingController == reporter || ev.Source.Component == reporter) {
			return true
		}
	}
	return false
}

// TestEventRecorders: a controller-runtime reconciler's Events reach the
// cluster through both APIs, events.k8s.io/v1 (its fields renamed to core
// v1's in the store) and core v1.
func TestEventRecorders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := kubesimtest.New(t, sim.Config{})
		scheme := runtime.NewScheme()
		if err := clientgoscheme.AddToScheme(scheme); err != nil {
			t.Fatal(err)
		}
		log.SetLogger(zap.New(zap.WriteTo(discard{})))
		cfg := restConfig(c, "greeter")
		// kubesim warns that it keeps eventTime and action unmodelled.
		cfg.WarningHandler = rest.NoWarnings{}
		mgr, err := ctrl.NewManager(cfg, ctrl.Options{Scheme: scheme,
			Metrics: metricsserver.Options{BindAddress: "0"}})
		if err != nil {
			t.Fatal(err)
		}
		skip := true
		err = ctrl.NewControllerManagedBy(mgr).For(&corev1.Pod{}).
			WithOptions(controller.Options{SkipNameValidation: &skip}).
			Complete(&greeter{Client: mgr.GetClient(), events: mgr.GetEventRecorder("greeter"),
				legacy: mgr.GetEventRecorderFor("greeter-legacy")})
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = mgr.Start(t.Context()) }()
		for _, name := range []string{"hello", "hola"} {
			c.Apply(fmt.Sprintf(`
apiVersion: v1
kind: Pod
metadata: {name: %s}
spec:
  containers:
  - {name: main, image: busybox:1.36, command: [sleep, "3600"]}
`, name))
		}
		c.Eventually(func(r storage.Reader) bool {
			return hasEvent(r, "hello", "Greeted", "hello hello", "greeter") &&
				hasEvent(r, "hola", "Greeted", "hello hola", "greeter-legacy")
		}, time.Minute, "both recorders' Events")
	})
}
