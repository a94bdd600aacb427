package scenario

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/sim"
)

// machine lines at the top reshape the cluster: addresses, roles, pod
// ranges, nodes turned into plain machines and new ones.
func TestMachineLinesAtTheTop(t *testing.T) {
	r, err := NewRunner(sim.Config{}, ".")
	require.NoError(t, err)
	defer r.Close()
	for _, line := range []string{
		"cluster --seed 3",
		"machine k8s-master --ip 172.16.229.143",
		"machine k8s-node2 --role none",
		"machine k8s-node3 --role worker --ip 172.16.229.146",
		"machine nfs --ip 172.16.229.150",
	} {
		_, err := r.Exec("f.txt", Command{Line: 1, Text: line})
		require.NoError(t, err, line)
	}
	assert.Equal(t, []sim.NodeConfig{
		{Name: "k8s-master", ControlPlane: true, PodCIDR: "10.244.0.0/24", InternalIP: "172.16.229.143"},
		{Name: "k8s-node1", PodCIDR: "10.244.1.0/24", InternalIP: "192.168.122.25"},
		{Name: "k8s-node3", PodCIDR: "10.244.2.0/24", InternalIP: "172.16.229.146"},
	}, r.cfg.Nodes, "a new node takes the first free pod range")
	assert.Equal(t, []sim.MachineConfig{{Name: "k8s-node2", InternalIP: "192.168.122.26"},
		{Name: "nfs", InternalIP: "172.16.229.150"}}, r.Cluster().Machines())
	assert.Equal(t, uint64(3), r.cfg.Seed, "machine lines keep the cluster line's settings")
}

// Once the cluster runs, a machine line can only add a machine that is
// not a node; every refusal stops the run naming the line and changes
// nothing.
func TestMachineLineErrors(t *testing.T) {
	r, err := NewRunner(sim.Config{}, ".")
	require.NoError(t, err)
	defer r.Close()
	run := func(text string) error {
		_, err := r.Exec("f.txt", Command{Line: 4, Text: text})
		return err
	}
	bad := map[string]string{
		"machine":                            "f.txt:4: machine: " + machineUsage,
		"machine --ip 1.2.3.4":               "f.txt:4: machine: " + machineUsage,
		"machine x --ip 1.2.3":               `f.txt:4: machine: machine x: ip "1.2.3" is not an IPv4 address`,
		"machine x --role boss --ip 1.2.3.4": `f.txt:4: machine: machine x: role "boss" is not one of control-plane, worker, none`,
		"machine x":                          "f.txt:4: machine: machine x is new: give its address (--ip)",
		"machine x --ip 192.168.122.25":      "f.txt:4: machine: machine x: internalIP 192.168.122.25 is also k8s-node1's",
		"machine x --ip 1.2.3.4 --size 3":    `f.txt:4: machine: machine x: unknown setting "size" (` + machineUsage + ")",
	}
	for text, want := range bad {
		assert.EqualError(t, run(text), want, text)
	}
	require.NoError(t, run("kubectl get nodes"))
	late := map[string]string{
		"machine k8s-master --ip 10.0.0.1":                "f.txt:4: machine: k8s-master exists and the cluster is running: change machines at the top of the scenario, before any other command",
		"machine k8s-node3 --role worker --ip 1.2.3.4":    "f.txt:4: machine: a node (k8s-node3) can only be added at the top of the scenario, before any other command",
		"machine nfs --ip 1.2.3.4 --pod-cidr 10.0.0.0/24": "f.txt:4: machine: nfs is not a node: it has no pod range",
		"cluster --seed 2":                                "f.txt:4: cluster: must be the scenario's first command",
	}
	for text, want := range late {
		err := run(text)
		var ce *CommandError
		require.True(t, errors.As(err, &ce), text)
		assert.EqualError(t, err, want, text)
	}
	assert.Empty(t, r.Cluster().Machines())
	require.NoError(t, run("machine nfs --ip 192.168.122.30"))
	assert.EqualError(t, run("machine nfs --ip 192.168.122.31"), "f.txt:4: machine: nfs exists and the cluster is running: change machines at the top of the scenario, before any other command")
}

func TestParseMachineFlag(t *testing.T) {
	m, err := ParseMachineFlag("k8s-master,ip=172.16.229.143,role=control-plane,pod-cidr=10.244.0.0/24")
	require.NoError(t, err)
	assert.Equal(t, MachineSpec{Name: "k8s-master", Role: RoleControlPlane, IP: "172.16.229.143", PodCIDR: "10.244.0.0/24"}, m)
	for _, bad := range []string{"", "ip=1.2.3.4", "x,ip", "x,ip=nope", "x,color=red"} {
		_, err := ParseMachineFlag(bad)
		assert.Error(t, err, bad)
	}
	cfg, err := ApplyMachine(sim.Config{}, MachineSpec{Name: "k8s-node1", Role: RoleNone})
	require.NoError(t, err)
	cfg, err = ApplyMachine(cfg, MachineSpec{Name: "k8s-node1", Role: RoleWorker})
	require.NoError(t, err)
	assert.Equal(t, sim.NodeConfig{Name: "k8s-node1", PodCIDR: "10.244.1.0/24", InternalIP: "192.168.122.25"}, cfg.Nodes[2],
		"a machine made a node again gets a free pod range")
	_, err = ApplyMachine(sim.Config{Nodes: []sim.NodeConfig{{Name: "only", PodCIDR: "10.244.0.0/24", InternalIP: "10.0.0.1"}}},
		MachineSpec{Name: "only", Role: RoleNone})
	assert.EqualError(t, err, "machine only: a cluster needs at least one node")
}
