package kubelet

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIPAMHandsOutAddressesInOrderAndDoesNotReuseAtOnce(t *testing.T) {
	a, err := newIPAM("10.244.1.0/24")
	require.NoError(t, err)
	first, _ := a.allocate()
	second, _ := a.allocate()
	assert.Equal(t, "10.244.1.2", first.String(), ".1 is the bridge gateway")
	assert.Equal(t, "10.244.1.3", second.String())
	a.release(first)
	third, _ := a.allocate()
	assert.Equal(t, "10.244.1.4", third.String(), "host-local continues after the last address handed out")
}

func TestIPAMWrapsAndReportsExhaustion(t *testing.T) {
	a, err := newIPAM("10.0.0.0/29") // usable after the gateway: .2 to .6
	require.NoError(t, err)
	var got []string
	for range 5 {
		ip, err := a.allocate()
		require.NoError(t, err)
		got = append(got, ip.String())
	}
	assert.Equal(t, []string{"10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"}, got)
	_, err = a.allocate()
	assert.EqualError(t, err, "failed to allocate for range 0: no IP addresses available in range set: 10.0.0.0/29")
	a.release(netip.MustParseAddr("10.0.0.3"))
	ip, err := a.allocate()
	require.NoError(t, err)
	assert.Equal(t, "10.0.0.3", ip.String(), "wraps around to the freed address")
}

func TestIPAMRejectsBadCIDR(t *testing.T) {
	_, err := newIPAM("10.244.1.0")
	assert.Error(t, err)
}
