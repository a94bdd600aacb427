package storage

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/kubesim/kubesim/objects"
)

// The Service REST storage's allocators (pkg/registry/core/service/ipallocator
// and portallocator): a new Service gets a cluster IP from the service CIDR
// and, for NodePort and LoadBalancer Services, node ports from the node-port
// range. Upstream keeps the allocations in their own objects (a bitmap, or
// IPAddress objects); here they are read off the stored Services, so that
// deleting a Service releases its IP and ports with nothing else to keep in
// step, and a snapshot agrees with itself.
//
// Dynamic allocation follows upstream's static-subrange rule (KEP-3070,
// GA in 1.26): the range is split at offset min(max(16, size/16), 256) for
// IPs and min(max(16, size/32), 128) for ports; a dynamic choice starts at a
// random point of the upper band and scans upward, wrapping, then falls back
// to the lower band, which stays free for static choices. The random start
// comes from the store's seeded source.

// Service network settings, as kubeadm's defaults set them.
const (
	// ServiceCIDR is the service cluster IP range.
	ServiceCIDR = "10.96.0.0/12"
	// NodePortMin and NodePortMax bound the node-port range (inclusive).
	NodePortMin = 30000
	NodePortMax = 32767
)

// Allocation failure details, worded as upstream's allocators word them.
const (
	msgAllocatedIP   = "provided IP is already allocated"
	msgAllocatedPort = "provided port is already allocated"
	msgRangeFull     = "range is full"
)

var serviceCIDR = netip.MustParsePrefix(ServiceCIDR)

// ipRange is the allocatable part of a CIDR: every address but the
// network and broadcast addresses, indexed from 0.
type ipRange struct {
	first netip.Addr // index 0
	size  int
}

// serviceIPRange is the range of ServiceCIDR.
func serviceIPRange() ipRange {
	bits := serviceCIDR.Addr().BitLen() - serviceCIDR.Bits()
	return ipRange{first: serviceCIDR.Masked().Addr().Next(), size: 1<<bits - 2}
}

// index returns ip's index in r, or false when ip is outside it.
func (r ipRange) index(ip netip.Addr) (int, bool) {
	if !ip.Is4() || !serviceCIDR.Contains(ip) {
		return 0, false
	}
	a, b := r.first.As4(), ip.As4()
	diff := int(uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8|uint32(b[3])) -
		int(uint32(a[0])<<24|uint32(a[1])<<16|uint32(a[2])<<8|uint32(a[3]))
	if diff < 0 || diff >= r.size {
		return 0, false
	}
	return diff, true
}

// at returns the address at index i of r.
func (r ipRange) at(i int) netip.Addr {
	a := r.first.As4()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]) + uint32(i)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// staticBand is upstream's calculateRangeOffset for a range of size
// entries: the size of the lower band kept for static allocation.
func staticBand(size, divisor, maxBand int) int {
	return min(max(16, size/divisor), maxBand)
}

// pickFree chooses a free index of [0, size) as upstream's dynamic
// allocation does: a random start in the upper band, scanning upward with
// wrap-around, then the lower band from its start.
func pickFree(r Rand, size, band int, used func(int) bool) (int, bool) {
	upper := size - band
	if upper > 0 {
		start := r.IntN(upper)
		for i := range upper {
			if idx := band + (start+i)%upper; !used(idx) {
				return idx, true
			}
		}
	}
	for idx := range min(band, size) {
		if !used(idx) {
			return idx, true
		}
	}
	return 0, false
}

// serviceAllocations lists the cluster IPs and node ports stored Services hold.
func (s *Store) serviceAllocations() (ips map[netip.Addr]bool, ports map[int32]bool) {
	ips, ports = map[netip.Addr]bool{}, map[int32]bool{}
	s.Scan("Service", "", func(obj objects.Object) bool {
		svc, ok := obj.(*objects.Service)
		if !ok {
			return true
		}
		for _, ip := range svc.Spec.ClusterIPs {
			if a, err := netip.ParseAddr(ip); err == nil {
				ips[a] = true
			}
		}
		for _, p := range svc.Spec.Ports {
			if p.NodePort != 0 {
				ports[p.NodePort] = true
			}
		}
		return true
	})
	return ips, ports
}

// allocateService is the Service REST storage's BeginCreate: it gives svc
// its cluster IP and node ports, or returns the Invalid error upstream's
// allocators return. It runs before validation, as upstream's does.
func (s *Store) allocateService(svc *objects.Service, info objects.KindInfo) error {
	ips, ports := s.serviceAllocations()
	var errs objects.ErrorList
	if e := s.allocateClusterIP(svc, ips); e != nil {
		errs = append(errs, e)
	}
	errs = append(errs, s.allocateNodePorts(svc, ports)...)
	if len(errs) > 0 {
		return newInvalid(info, svc.Name, errs)
	}
	return nil
}

// allocateClusterIP fills in or checks spec.clusterIP(s).
func (s *Store) allocateClusterIP(svc *objects.Service, used map[netip.Addr]bool) *objects.FieldError {
	sp := &svc.Spec
	if sp.Type == objects.ServiceTypeExternalName || svc.IsHeadless() {
		return nil
	}
	r := serviceIPRange()
	path := objects.NewFieldPath("spec").Child("clusterIPs")
	if sp.ClusterIP == "" {
		idx, ok := pickFree(s.rnd, r.size, staticBand(r.size, 16, 256), func(i int) bool { return used[r.at(i)] })
		if !ok {
			return objects.InvalidError(path, objects.ClusterIPsValue(sp.ClusterIPs),
				"failed to allocate a serviceIP: "+msgRangeFull)
		}
		sp.ClusterIP = r.at(idx).String()
		sp.ClusterIPs = []string{sp.ClusterIP}
		return nil
	}
	ip, err := netip.ParseAddr(sp.ClusterIP)
	if err != nil {
		return nil // validation words this one
	}
	if _, ok := r.index(ip); !ok {
		return objects.InvalidError(path.Index(0), sp.ClusterIP, fmt.Sprintf(
			"failed to allocate IP %s: the provided IP (%s) is not in the valid range. The range of valid IPs is %s",
			sp.ClusterIP, sp.ClusterIP, ServiceCIDR))
	}
	if used[ip] {
		return objects.InvalidError(path, objects.ClusterIPsValue(sp.ClusterIPs),
			fmt.Sprintf("failed to allocate IP %s: %s", sp.ClusterIP, msgAllocatedIP))
	}
	return nil
}

// allocateNodePorts gives each port of a NodePort or LoadBalancer Service
// a node port, checking requested ones.
func (s *Store) allocateNodePorts(svc *objects.Service, used map[int32]bool) objects.ErrorList {
	sp := &svc.Spec
	if sp.Type != objects.ServiceTypeNodePort && sp.Type != objects.ServiceTypeLoadBalancer {
		return nil
	}
	var errs objects.ErrorList
	size := NodePortMax - NodePortMin + 1
	for i := range sp.Ports {
		p := &sp.Ports[i]
		path := objects.NewFieldPath("spec").Child("ports").Index(i).Child("nodePort")
		switch {
		case p.NodePort == 0:
			idx, ok := pickFree(s.rnd, size, staticBand(size, 32, 128), func(j int) bool { return used[int32(NodePortMin+j)] })
			if !ok {
				errs = append(errs, objects.InvalidError(path, p.NodePort, "failed to allocate a nodePort: "+msgRangeFull))
				continue
			}
			p.NodePort = int32(NodePortMin + idx)
		case p.NodePort < NodePortMin || p.NodePort > NodePortMax:
			errs = append(errs, objects.InvalidError(path, p.NodePort, fmt.Sprintf(
				"provided port is not in the valid range. The range of valid ports is %d-%d", NodePortMin, NodePortMax)))
			continue
		case used[p.NodePort]:
			errs = append(errs, objects.InvalidError(path, p.NodePort, msgAllocatedPort))
			continue
		}
		used[p.NodePort] = true
	}
	return errs
}

// keepAllocatedValues is upstream's patchAllocatedValues: an update that
// leaves clusterIP, the IP families or a port's nodePort empty keeps the
// stored values, as `kubectl apply` of the original manifest expects.
func keepAllocatedValues(svc, old *objects.Service) {
	sp, op := &svc.Spec, &old.Spec
	if sp.ClusterIP == "" && len(sp.ClusterIPs) == 0 {
		sp.ClusterIP, sp.ClusterIPs = op.ClusterIP, append([]string(nil), op.ClusterIPs...)
	}
	// Upstream's normalizeClusterIPs: a changed clusterIP with clusterIPs
	// left as stored means the user changed the former only.
	if sp.ClusterIP != op.ClusterIP && slices.Equal(sp.ClusterIPs, op.ClusterIPs) && sp.ClusterIP != "" {
		sp.ClusterIPs = []string{sp.ClusterIP}
	}
	if sp.IPFamilyPolicy == nil {
		sp.IPFamilyPolicy = op.IPFamilyPolicy
	}
	if len(sp.IPFamilies) == 0 {
		sp.IPFamilies = append([]string(nil), op.IPFamilies...)
	}
	for i := range sp.Ports {
		if sp.Ports[i].NodePort != 0 {
			continue
		}
		for _, o := range op.Ports {
			if o.Port == sp.Ports[i].Port && o.Protocol == sp.Ports[i].Protocol {
				sp.Ports[i].NodePort = o.NodePort
			}
		}
	}
}
