package sim

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/kubesim/kubesim/controllers/kubelet"
	"github.com/kubesim/kubesim/internal/network"
	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/host"
)

// MachineConfig describes a machine of the cluster's network that is not
// a node: an NFS server, a client. It has a filesystem and a shell
// (HostExec) and serves NFS at its address, as a node does.
type MachineConfig struct {
	Name string
	// InternalIP is the machine's address.
	InternalIP string
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

// hostTable returns every machine of the network, nodes first in the
// config's order, then the others in the order they came; it builds and
// provisions them (CentOS 7 installs dated at the cluster's start) on
// first use.
func (m *machines) hostTable() []*host.Machine {
	if m.all != nil {
		return m.all
	}
	m.all = []*host.Machine{}
	for _, n := range m.c.cfg.Nodes {
		k := m.c.kubelets[n.Name]
		if k == nil {
			continue
		}
		m.add(n.Name, n.InternalIP, n.ControlPlane, true, k.HostFS())
	}
	for _, x := range m.c.cfg.Machines {
		m.add(x.Name, x.InternalIP, false, false, vfs.New())
	}
	return m.all
}

// add provisions a machine and adds it to the table.
func (m *machines) add(name, ip string, controlPlane, node bool, disk *vfs.FS) *host.Machine {
	h := host.New(name, ip, disk)
	h.ControlPlane, h.Node, h.Peers = controlPlane, node, peers{m}
	h.KubernetesVersion = m.c.cfg.KubernetesVersion
	h.Provision(m.c.cfg.Start)
	if controlPlane && !m.api.seen {
		// The first control plane's manifest runs the apiserver: what it
		// was provisioned with is what the running apiserver has.
		m.api.noteManifest(h)
	}
	m.all = append(m.all, h)
	return h
}

// peers is the network as a machine reaches the others.
type peers struct{ m *machines }

// Machine finds a machine by address or hostname.
func (p peers) Machine(addr string) *host.Machine {
	for _, h := range p.m.hostTable() {
		if h.IP == addr || h.Name == addr {
			return h
		}
	}
	return nil
}

// hostNamed returns the machine with that name, or nil.
func (c *Cluster) hostNamed(name string) *host.Machine {
	for _, h := range c.machines.hostTable() {
		if h.Name == name {
			return h
		}
	}
	return nil
}

// AddMachine adds a machine that is not a node to the cluster's network
// now: it serves NFS at its address and runs commands (HostExec) from now
// on. Its name and address must be new.
func (c *Cluster) AddMachine(cfg MachineConfig) error {
	names, ips := map[string]bool{}, map[string]string{}
	for _, h := range c.machines.hostTable() {
		names[h.Name], ips[h.IP] = true, h.Name
	}
	if err := checkMachine(cfg, names, ips); err != nil {
		return err
	}
	c.machines.add(cfg.Name, cfg.InternalIP, false, false, vfs.New())
	c.machines.extra = append(c.machines.extra, cfg)
	c.traceNote("cluster", "machine %s added at %s", cfg.Name, cfg.InternalIP)
	return nil
}

// Machines lists the cluster's machines that are not nodes, in the order
// they were added.
func (c *Cluster) Machines() []MachineConfig {
	return append(append([]MachineConfig(nil), c.cfg.Machines...), c.machines.extra...)
}

// MachineFS returns a machine's own disk (a node's is what hostPath
// volumes mount), or nil when there is no such machine.
func (c *Cluster) MachineFS(name string) *vfs.FS {
	if h := c.hostNamed(name); h != nil {
		return h.Disk
	}
	return nil
}

// machineAt returns the machine whose address is ip, node or not.
func (c *Cluster) machineAt(ip string) *host.Machine { return peers{c.machines}.Machine(ip) }

// network is the cluster network as a machine's processes reach it.
func (c *Cluster) network() *network.Network { return network.New(c.store, podServers{c}) }

// hostSession starts argv on a machine as ssh runs a command: bash -c with
// the words quoted, in root's home, with root's environment.
func (c *Cluster) hostSession(h *host.Machine, argv []string, stdin string) *kubelet.Session {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	p := workload.Process{Argv: []string{"bash", "-c", strings.Join(quoted, " ")}, Env: h.Env(), Hostname: h.Name,
		FS: h.Files(), Start: c.clock.Now(), Stdin: stdin, Dir: "/root", Userland: h.Userland()}
	return kubelet.StartSession(p, c.network())
}
