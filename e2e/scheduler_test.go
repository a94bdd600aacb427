package e2e_test

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"

	"github.com/kubesim/kubesim/kubesimtest"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// schedulerName is the name pods give to be placed by the test's own
// scheduler instead of kubesim's default-scheduler.
const schedulerName = "parity-scheduler"

// parityNode is where the parity scheduler puts a pod: by its name's
// length, odd or even.
func parityNode(pod string) string {
	return []string{"k8s-node2", "k8s-node1"}[len(pod)%2]
}

// runParityScheduler is a scheduler of the user's own, written with
// client-go: an informer on the pods that name it, a work queue, and a
// Bind through the pods' binding subresource.
func runParityScheduler(ctx context.Context, client kubernetes.Interface) {
	factory := informers.NewSharedInformerFactory(client, 0)
	pods := factory.Core().V1().Pods()
	queue := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]())
	_, _ = pods.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: func(obj any) {
		if pod := obj.(*corev1.Pod); pod.Spec.SchedulerName == schedulerName && pod.Spec.NodeName == "" {
			key, _ := cache.MetaNamespaceKeyFunc(pod)
			queue.Add(key)
		}
	}})
	factory.Start(ctx.Done())
	go func() {
		<-ctx.Done()
		queue.ShutDown()
	}()
	if !cache.WaitForCacheSync(ctx.Done(), pods.Informer().HasSynced) {
		return
	}
	for {
		key, quit := queue.Get()
		if quit {
			return
		}
		ns, name, _ := cache.SplitMetaNamespaceKey(key)
		binding := &corev1.Binding{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
			Target: corev1.ObjectReference{Kind: "Node", Name: parityNode(name)}}
		if err := client.CoreV1().Pods(ns).Bind(ctx, binding, metav1.CreateOptions{}); err != nil {
			queue.AddRateLimited(key)
		} else {
			queue.Forget(key)
		}
		queue.Done(key)
	}
}

// TestSchedulerOfYourOwn runs a client-go scheduler against the simulated
// cluster at virtual time: the pods that name it are bound where it says,
// through the binding subresource, and the kubelets run them.
func TestSchedulerOfYourOwn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := kubesimtest.New(t, sim.Config{})
		client := kubernetes.NewForConfigOrDie(restConfig(c, schedulerName))
		go runParityScheduler(t.Context(), client)
		names := []string{"a", "bb", "ccc", "dddd"}
		for _, name := range names {
			c.Apply(fmt.Sprintf(`
apiVersion: v1
kind: Pod
metadata: {name: %s}
spec:
  schedulerName: %s
  containers:
  - {name: main, image: busybox:1.36, command: [sleep, "3600"]}
`, name, schedulerName))
		}
		c.Eventually(func(r storage.Reader) bool {
			for _, name := range names {
				pod, ok := kubesimtest.Of[*objects.Pod](r, "default", name)
				if !ok || pod.Status.Phase != objects.PodRunning {
					return false
				}
			}
			return true
		}, time.Minute, "the parity scheduler's pods Running")
		for _, name := range names {
			pod, _ := kubesimtest.Get[*objects.Pod](c, "default", name)
			if pod.Spec.NodeName != parityNode(name) {
				t.Errorf("pod %s runs on %s, want %s", name, pod.Spec.NodeName, parityNode(name))
			}
		}
	})
}
