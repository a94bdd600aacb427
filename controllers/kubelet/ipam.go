package kubelet

import (
	"fmt"
	"net/netip"
)

// ipam hands out pod IPs from a node's pod CIDR as the host-local CNI plugin
// does: the first address is the bridge gateway, allocation starts after it
// and continues from the last address handed out, wrapping around and
// skipping addresses in use, so a freed address is not reused at once.
type ipam struct {
	prefix netip.Prefix
	last   netip.Addr
	inUse  map[netip.Addr]bool
}

func newIPAM(cidr string) (*ipam, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return nil, fmt.Errorf("kubelet: pod CIDR: %w", err)
	}
	p = p.Masked()
	gateway := p.Addr().Next()
	return &ipam{prefix: p, last: gateway, inUse: map[netip.Addr]bool{}}, nil
}

// allocate returns the next free address, or an error when the range is full.
func (a *ipam) allocate() (netip.Addr, error) {
	candidate := a.last
	size := 1 << min(a.prefix.Addr().BitLen()-a.prefix.Bits(), 16)
	for range size {
		candidate = a.next(candidate)
		if !a.inUse[candidate] {
			a.inUse[candidate] = true
			a.last = candidate
			return candidate, nil
		}
	}
	return netip.Addr{}, fmt.Errorf("failed to allocate for range 0: no IP addresses available in range set: %s", a.prefix)
}

// next returns the address after x within the usable range (neither the
// network, the gateway nor the broadcast address), wrapping around.
func (a *ipam) next(x netip.Addr) netip.Addr {
	n := x.Next()
	if !n.IsValid() || !a.prefix.Contains(n) || !a.prefix.Contains(n.Next()) {
		// past the last usable address: wrap to the first after the gateway
		return a.prefix.Addr().Next().Next()
	}
	return n
}

// release frees addr.
func (a *ipam) release(addr netip.Addr) { delete(a.inUse, addr) }
