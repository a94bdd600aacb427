package sim

import (
	"fmt"
	"net/netip"

	"github.com/kubesim/kubesim/internal/network"
	"github.com/kubesim/kubesim/internal/vfs"
)

// MachineConfig describes a machine of the cluster's network that is not
// a node: an NFS server, a client. It has a filesystem and a shell
// (HostExec) and serves NFS at its address, as a node does.
type MachineConfig struct {
	Name string
	// InternalIP is the machine's address.
	InternalIP string
}

// host is a machine that is not a node.
type host struct {
	cfg MachineConfig
	fs  *vfs.FS
}

// validateMachines checks the machines against each other and the nodes:
// names and addresses are unique across both.
func validateMachines(nodes []NodeConfig, machines []MachineConfig) error {
	names, ips := map[string]bool{}, map[string]string{}
	for _, n := range nodes {
		names[n.Name] = true
		if other, ok := ips[n.InternalIP]; ok {
			return fmt.Errorf("sim: node %s: internalIP %s is also %s's", n.Name, n.InternalIP, other)
		}
		ips[n.InternalIP] = n.Name
	}
	for i, m := range machines {
		if err := checkMachine(m, names, ips); err != nil {
			return fmt.Errorf("sim: machines[%d]: %v", i, err)
		}
		names[m.Name] = true
		ips[m.InternalIP] = m.Name
	}
	return nil
}

// checkMachine checks one machine against the names and addresses taken.
func checkMachine(m MachineConfig, names map[string]bool, ips map[string]string) error {
	if m.Name == "" {
		return fmt.Errorf("name is empty")
	}
	if names[m.Name] {
		return fmt.Errorf("a machine named %q exists", m.Name)
	}
	if _, err := netip.ParseAddr(m.InternalIP); err != nil {
		return fmt.Errorf("machine %s: internalIP: %v", m.Name, err)
	}
	if other, ok := ips[m.InternalIP]; ok {
		return fmt.Errorf("machine %s: internalIP %s is also %s's", m.Name, m.InternalIP, other)
	}
	return nil
}

// hostList returns the machines that are not nodes, building them from
// the config on first use.
func (m *machines) hostList() []*host {
	if m.hosts == nil {
		m.hosts = []*host{}
		for _, cfg := range m.c.cfg.Machines {
			m.hosts = append(m.hosts, m.newHost(cfg))
		}
	}
	return m.hosts
}

// newHost builds a machine with an empty filesystem.
func (m *machines) newHost(cfg MachineConfig) *host {
	fs := vfs.New()
	_ = fs.Touch("/", m.c.cfg.Start)
	return &host{cfg: cfg, fs: fs}
}

// AddMachine adds a machine that is not a node to the cluster's network
// now: it serves NFS at its address and runs commands (HostExec) from now
// on. Its name and address must be new.
func (c *Cluster) AddMachine(cfg MachineConfig) error {
	names, ips := map[string]bool{}, map[string]string{}
	for _, n := range c.cfg.Nodes {
		names[n.Name], ips[n.InternalIP] = true, n.Name
	}
	for _, h := range c.machines.hostList() {
		names[h.cfg.Name], ips[h.cfg.InternalIP] = true, h.cfg.Name
	}
	if err := checkMachine(cfg, names, ips); err != nil {
		return err
	}
	c.machines.hosts = append(c.machines.hosts, c.machines.newHost(cfg))
	c.traceNote("cluster", "machine %s added at %s", cfg.Name, cfg.InternalIP)
	return nil
}

// Machines lists the cluster's machines that are not nodes, in the order
// they were added.
func (c *Cluster) Machines() []MachineConfig {
	var out []MachineConfig
	for _, h := range c.machines.hostList() {
		out = append(out, h.cfg)
	}
	return out
}

// MachineFS returns a machine's own filesystem (a node's is what hostPath
// volumes mount), or nil when there is no such machine.
func (c *Cluster) MachineFS(name string) *vfs.FS {
	if k := c.kubelets[name]; k != nil {
		return k.HostFS()
	}
	for _, h := range c.machines.hostList() {
		if h.cfg.Name == name {
			return h.fs
		}
	}
	return nil
}

// machineAt returns the name and filesystem of the machine whose address
// is ip, node or not.
func (c *Cluster) machineAt(ip string) (string, *vfs.FS) {
	for _, n := range c.cfg.Nodes {
		if n.InternalIP == ip {
			if k := c.kubelets[n.Name]; k != nil {
				return n.Name, k.HostFS()
			}
		}
	}
	for _, h := range c.machines.hostList() {
		if h.cfg.InternalIP == ip {
			return h.cfg.Name, h.fs
		}
	}
	return "", nil
}

// network is the cluster network as a machine's processes reach it.
func (c *Cluster) network() *network.Network { return network.New(c.store, podServers{c}) }
