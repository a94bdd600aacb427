package endpoints

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/controllers"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

// CheckSettledReady checks, once the controller has settled, that every
// Service with a selector has an Endpoints object whose ready addresses
// are exactly the IPs of the ready, running pods the selector matches
// (every pod with an IP, ready or not, when the Service publishes
// not-ready addresses), and that no Endpoints outlives its Service's
// selector. It returns one error per broken Service.
func CheckSettledReady(r storage.Reader) []error {
	var errs []error
	for _, o := range r.List("Service", "", nil) {
		svc := o.(*objects.Service)
		if svc.Spec.Selector == nil {
			continue
		}
		want := strings.Join(wantReadyIPs(svc, controllers.PodsForService(r, svc)), ",")
		epObj, err := r.Get(objects.Key{Kind: "Endpoints", Namespace: svc.Namespace, Name: svc.Name})
		if err != nil {
			errs = append(errs, fmt.Errorf("service %s/%s has no Endpoints", svc.Namespace, svc.Name))
			continue
		}
		if got := strings.Join(readyIPs(epObj.(*objects.Endpoints)), ","); got != want {
			errs = append(errs, fmt.Errorf("endpoints %s/%s list [%s], want the ready pods [%s]",
				svc.Namespace, svc.Name, got, want))
		}
	}
	return errs
}

// wantReadyIPs lists, sorted and without repeats, the IPs of the pods that
// should be ready addresses of svc.
func wantReadyIPs(svc *objects.Service, pods []*objects.Pod) []string {
	seen := map[string]bool{}
	var ips []string
	for _, p := range pods {
		if !objects.ShouldPodBeInEndpoints(p, svc.Spec.PublishNotReadyAddresses) {
			continue
		}
		if !svc.Spec.PublishNotReadyAddresses && !objects.PodHasReadyCondition(p) {
			continue
		}
		if len(svc.Spec.Ports) == 0 && !svc.IsHeadless() || !anyPortResolves(p, svc) {
			continue
		}
		if !seen[p.Status.PodIP] {
			seen[p.Status.PodIP] = true
			ips = append(ips, p.Status.PodIP)
		}
	}
	sort.Strings(ips)
	return ips
}

// anyPortResolves reports whether one of svc's ports names a port of p
// (true for a Service without ports).
func anyPortResolves(p *objects.Pod, svc *objects.Service) bool {
	if len(svc.Spec.Ports) == 0 {
		return true
	}
	for _, sp := range svc.Spec.Ports {
		if _, err := objects.FindPort(p, sp); err == nil {
			return true
		}
	}
	return false
}

// readyIPs lists, sorted and without repeats, the ready addresses of ep.
func readyIPs(ep *objects.Endpoints) []string {
	seen := map[string]bool{}
	var ips []string
	for _, ss := range ep.Subsets {
		for _, a := range ss.Addresses {
			if !seen[a.IP] {
				seen[a.IP] = true
				ips = append(ips, a.IP)
			}
		}
	}
	sort.Strings(ips)
	return ips
}

// CheckInvariants runs every check of a settled cluster (there is no
// every-step one).
func CheckInvariants(r storage.Reader) []error { return CheckSettledReady(r) }
