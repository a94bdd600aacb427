package scenario

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/kubesim/kubesim/sim"
)

// Machine roles a `machine` line may give.
const (
	RoleControlPlane = "control-plane" // a node carrying the control plane's NoSchedule taint
	RoleWorker       = "worker"        // a node pods are scheduled to
	RoleNone         = "none"          // a machine of the network that is not a node (an NFS server)
)

// machineUsage is the machine command's grammar.
const machineUsage = "usage: machine NAME [--role control-plane|worker|none] [--ip IP] [--pod-cidr CIDR]"

// MachineSpec is what a `machine` line (or kubesim's --machine flag) asks
// for: a machine's name and the settings it gives; empty fields keep what
// the machine has (or take their defaults for a new one).
type MachineSpec struct {
	Name    string
	Role    string
	IP      string
	PodCIDR string
}

// ParseMachine reads the words after `machine`: NAME, then --role, --ip
// and --pod-cidr, each as `--flag VALUE` or `--flag=VALUE`.
func ParseMachine(args []string) (MachineSpec, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return MachineSpec{}, fmt.Errorf("%s", machineUsage)
	}
	m := MachineSpec{Name: args[0]}
	pos, flags, err := splitFlags(args[1:])
	if err != nil {
		return m, fmt.Errorf("%v (%s)", err, machineUsage)
	}
	if len(pos) > 0 {
		return m, fmt.Errorf("unexpected argument %q (%s)", pos[0], machineUsage)
	}
	for _, name := range flags.names {
		if err := m.set(strings.TrimPrefix(name, "--"), flags.values[name]); err != nil {
			return m, err
		}
	}
	return m, nil
}

// ParseMachineFlag reads kubesim's --machine value:
// NAME[,role=ROLE][,ip=IP][,pod-cidr=CIDR].
func ParseMachineFlag(v string) (MachineSpec, error) {
	parts := strings.Split(v, ",")
	m := MachineSpec{Name: parts[0]}
	if m.Name == "" || strings.Contains(m.Name, "=") {
		return m, fmt.Errorf("--machine %q: want NAME[,role=ROLE][,ip=IP][,pod-cidr=CIDR]", v)
	}
	for _, p := range parts[1:] {
		key, value, ok := strings.Cut(p, "=")
		if !ok {
			return m, fmt.Errorf("--machine %q: %q is not KEY=VALUE", v, p)
		}
		if err := m.set(key, value); err != nil {
			return m, fmt.Errorf("--machine %q: %v", v, err)
		}
	}
	return m, nil
}

// set applies one setting, checking its value's form.
func (m *MachineSpec) set(key, value string) error {
	switch key {
	case "role":
		switch value {
		case RoleControlPlane, RoleWorker, RoleNone:
			m.Role = value
		default:
			return fmt.Errorf("machine %s: role %q is not one of control-plane, worker, none", m.Name, value)
		}
	case "ip":
		addr, err := netip.ParseAddr(value)
		if err != nil || !addr.Is4() {
			return fmt.Errorf("machine %s: ip %q is not an IPv4 address", m.Name, value)
		}
		m.IP = value
	case "pod-cidr":
		if _, err := netip.ParsePrefix(value); err != nil {
			return fmt.Errorf("machine %s: pod-cidr %q is not a CIDR (%v)", m.Name, value, err)
		}
		m.PodCIDR = value
	default:
		return fmt.Errorf("machine %s: unknown setting %q (%s)", m.Name, key, machineUsage)
	}
	return nil
}

// ApplyMachine returns cfg with the machine as m asks, before the cluster
// is built: a node's role, address or pod range changed, a node turned
// into a plain machine or back, or a new machine (a plain one unless a
// role says otherwise; a new one needs an address, and a new node gets
// the next free 10.244.N.0/24 unless told).
func ApplyMachine(cfg sim.Config, m MachineSpec) (sim.Config, error) {
	nodes := append([]sim.NodeConfig(nil), cfg.Nodes...)
	if cfg.Nodes == nil {
		nodes = sim.DefaultNodes()
	}
	machines := append([]sim.MachineConfig(nil), cfg.Machines...)
	ni, mi := -1, -1
	for i, n := range nodes {
		if n.Name == m.Name {
			ni = i
		}
	}
	for i, x := range machines {
		if x.Name == m.Name {
			mi = i
		}
	}
	var node sim.NodeConfig
	switch {
	case ni >= 0:
		node = nodes[ni]
		nodes = append(nodes[:ni], nodes[ni+1:]...)
	case mi >= 0:
		node = sim.NodeConfig{Name: m.Name, InternalIP: machines[mi].InternalIP}
		machines = append(machines[:mi], machines[mi+1:]...)
	default:
		if m.IP == "" {
			return cfg, fmt.Errorf("machine %s is new: give its address (--ip)", m.Name)
		}
		node = sim.NodeConfig{Name: m.Name}
	}
	isNode := ni >= 0
	if m.Role != "" {
		isNode = m.Role != RoleNone
		node.ControlPlane = m.Role == RoleControlPlane
	}
	if m.IP != "" {
		node.InternalIP = m.IP
	}
	if m.PodCIDR != "" {
		if !isNode {
			return cfg, fmt.Errorf("machine %s is not a node: it has no pod range", m.Name)
		}
		node.PodCIDR = m.PodCIDR
	}
	if !isNode {
		machines = append(machines, sim.MachineConfig{Name: node.Name, InternalIP: node.InternalIP})
		if len(nodes) == 0 {
			return cfg, fmt.Errorf("machine %s: a cluster needs at least one node", m.Name)
		}
	} else {
		if node.PodCIDR == "" {
			node.PodCIDR = freePodCIDR(nodes)
		}
		if ni >= 0 {
			nodes = append(nodes[:ni], append([]sim.NodeConfig{node}, nodes[ni:]...)...)
		} else {
			nodes = append(nodes, node)
		}
	}
	if err := uniqueAddress(m.Name, node.InternalIP, nodes, machines); err != nil {
		return cfg, err
	}
	cfg.Nodes, cfg.Machines = nodes, machines
	return cfg, nil
}

// uniqueAddress checks that no other machine than name has ip.
func uniqueAddress(name, ip string, nodes []sim.NodeConfig, machines []sim.MachineConfig) error {
	for _, n := range nodes {
		if n.Name != name && n.InternalIP == ip {
			return fmt.Errorf("machine %s: internalIP %s is also %s's", name, ip, n.Name)
		}
	}
	for _, x := range machines {
		if x.Name != name && x.InternalIP == ip {
			return fmt.Errorf("machine %s: internalIP %s is also %s's", name, ip, x.Name)
		}
	}
	return nil
}

// freePodCIDR is the first 10.244.N.0/24 no node has.
func freePodCIDR(nodes []sim.NodeConfig) string {
	used := map[string]bool{}
	for _, n := range nodes {
		used[n.PodCIDR] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("10.244.%d.0/24", i)
		if !used[c] {
			return c
		}
	}
}

// machine runs a `machine` line. At the top of a scenario (before any
// command but cluster and machine) it reshapes the cluster, which is built
// again; later it can only add a machine that is not a node, as a real
// cluster's network gains a server.
func (r *Runner) machine(words []string, fail failFunc) (string, error) {
	m, err := ParseMachine(words[1:])
	if err != nil {
		return fail("machine: %v", err)
	}
	if !r.started {
		cfg, err := ApplyMachine(r.cfg, m)
		if err != nil {
			return fail("machine: %v", err)
		}
		if err := r.build(cfg); err != nil {
			return fail("machine: %v", err)
		}
		return "", nil
	}
	if r.isMachine(m.Name) {
		return fail("machine: %s exists and the cluster is running: change machines at the top of the scenario, before any other command", m.Name)
	}
	if m.Role != "" && m.Role != RoleNone {
		return fail("machine: a node (%s) can only be added at the top of the scenario, before any other command", m.Name)
	}
	if m.PodCIDR != "" {
		return fail("machine: %s is not a node: it has no pod range", m.Name)
	}
	if m.IP == "" {
		return fail("machine: %s is new: give its address (--ip)", m.Name)
	}
	if err := r.c.AddMachine(sim.MachineConfig{Name: m.Name, InternalIP: m.IP}); err != nil {
		return fail("machine: %v", err)
	}
	return "", nil
}

// isMachine reports whether the cluster has a machine, node or not, of
// that name.
func (r *Runner) isMachine(name string) bool {
	return r.c.MachineFS(name) != nil
}
