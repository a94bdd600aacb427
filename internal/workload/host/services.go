package host

import (
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/sh"
)

// A service's state lives in files, so that every shell of the machine
// and the simulation (which asks whether nfs-server runs) see the same:
// /run/systemd/units/NAME.service holds "active since TIME" while it runs,
// and /etc/systemd/system/multi-user.target.wants/NAME.service marks it
// enabled.
const (
	unitStateDir = "/run/systemd/units"
	wantsDir     = "/etc/systemd/system/multi-user.target.wants"
	unitDir      = "/usr/lib/systemd/system"
	unitActive   = "active since "
)

// unit is a service kubesim knows.
type unit struct {
	name        string // nfs-server.service
	description string
	pkg         string // the package that brings it ("" for the base system)
	node        bool   // only on nodes
	oneshot     bool   // "active (exited)" once started
	mainPID     string
}

// units are the services systemctl knows, by name and alias.
var units = map[string]unit{
	"rpcbind.service":    {name: "rpcbind.service", description: "RPC bind service", pkg: "rpcbind", mainPID: "24151 (rpcbind)"},
	"nfs-server.service": {name: "nfs-server.service", description: "NFS server and services", pkg: "nfs-utils", oneshot: true},
	"kubelet.service":    {name: "kubelet.service", description: "kubelet: The Kubernetes Node Agent", node: true, mainPID: "1021 (kubelet)"},
	"containerd.service": {name: "containerd.service", description: "containerd container runtime", node: true, mainPID: "987 (containerd)"},
	"sshd.service":       {name: "sshd.service", description: "OpenSSH server daemon", mainPID: "1012 (sshd)"},
	"crond.service":      {name: "crond.service", description: "Command Scheduler", mainPID: "683 (crond)"},
	"chronyd.service":    {name: "chronyd.service", description: "NTP client/server", mainPID: "664 (chronyd)"},
	"firewalld.service":  {name: "firewalld.service", description: "firewalld - dynamic firewall daemon", mainPID: "662 (firewalld)"},
}

// unitAliases are the other names units answer to (nfs.service is
// CentOS 7's alias of nfs-server.service).
var unitAliases = map[string]string{"nfs.service": "nfs-server.service"}

// baseUnits are the services running and enabled on a fresh machine
// (firewalld is off: the cluster's install guides stop it).
func (m *Machine) baseUnits() []string {
	out := []string{"chronyd.service", "crond.service", "sshd.service"}
	if m.Node {
		out = append(out, "containerd.service", "kubelet.service")
	}
	return out
}

// lookupUnit resolves a unit name the user gave ("nfs", "nfs.service").
func (m *Machine) lookupUnit(name string) (unit, bool) {
	if !strings.Contains(name, ".") {
		name += ".service"
	}
	if a, ok := unitAliases[name]; ok {
		name = a
	}
	u, ok := units[name]
	if !ok || (u.node && !m.Node) || (u.pkg != "" && !m.installed(u.pkg)) {
		return unit{}, false
	}
	return u, true
}

// Active reports whether a service runs on the machine ("nfs-server").
func (m *Machine) Active(service string) bool {
	u, ok := m.lookupUnit(service)
	if !ok {
		return false
	}
	_, err := m.Disk.Stat(unitStateDir + "/" + u.name)
	return err == nil
}

// activeSince is when a running service started.
func (m *Machine) activeSince(u unit) (time.Time, bool) {
	data, err := m.Disk.ReadFile(unitStateDir + "/" + u.name)
	if err != nil {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(strings.TrimPrefix(string(data), unitActive)))
	return t, err == nil
}

func (m *Machine) enabled(u unit) bool {
	_, err := m.Disk.Stat(wantsDir + "/" + u.name)
	return err == nil
}

// progSystemctl is systemd 219's systemctl for the services kubesim
// knows: start, stop, restart, enable [--now], disable, status,
// is-active, is-enabled, daemon-reload.
func (m *Machine) progSystemctl(s *sh.Shell, argv []string, io *sh.IO) error {
	var verb string
	var names []string
	now := false
	for _, a := range argv[1:] {
		switch {
		case a == "--now":
			now = true
		case strings.HasPrefix(a, "-"):
		case verb == "":
			verb = a
		default:
			names = append(names, a)
		}
	}
	s.SetStatus(0)
	switch verb {
	case "daemon-reload":
		return nil
	case "start", "stop", "restart", "reload", "try-restart", "enable", "disable", "status", "is-active", "is-enabled":
	case "":
		io.Err(s, "systemctl: the simulation lists no units; name one: systemctl status nfs\n")
		s.SetStatus(1)
		return nil
	default:
		io.Err(s, "Unknown operation '"+verb+"'.\n")
		s.SetStatus(1)
		return nil
	}
	if len(names) == 0 {
		io.Err(s, "Too few arguments.\n")
		s.SetStatus(1)
		return nil
	}
	for _, name := range names {
		if err := m.systemctl(s, io, verb, name, now); err != nil {
			return err
		}
	}
	return nil
}

// systemctl runs one verb on one unit.
func (m *Machine) systemctl(s *sh.Shell, io *sh.IO, verb, name string, now bool) error {
	u, ok := m.lookupUnit(name)
	full := name
	if !strings.Contains(full, ".") {
		full += ".service"
	}
	if !ok {
		switch verb {
		case "status":
			io.Err(s, "Unit "+full+" could not be found.\n")
			s.SetStatus(4)
		case "is-active":
			io.Out(s, "unknown\n")
			s.SetStatus(3)
		case "enable", "disable", "is-enabled":
			io.Err(s, "Failed to execute operation: No such file or directory\n")
			s.SetStatus(1)
		default:
			io.Err(s, "Failed to "+verb+" "+full+": Unit not found.\n")
			s.SetStatus(5)
		}
		return nil
	}
	switch verb {
	case "start":
		return m.start(s, io, u)
	case "stop":
		m.stop(s, u)
	case "restart", "reload", "try-restart":
		if verb == "try-restart" && !m.Active(u.name) {
			return nil
		}
		m.stop(s, u)
		return m.start(s, io, u)
	case "enable":
		if !m.enabled(u) {
			_ = s.Files().WriteFile(wantsDir+"/"+u.name, []byte(unitDir+"/"+u.name+"\n"), 0o644, time.Time{})
			io.Err(s, "Created symlink from "+wantsDir+"/"+u.name+" to "+unitDir+"/"+u.name+".\n")
		}
		if now {
			return m.start(s, io, u)
		}
	case "disable":
		if m.enabled(u) {
			_ = s.Files().Remove(wantsDir + "/" + u.name)
			io.Err(s, "Removed symlink "+wantsDir+"/"+u.name+".\n")
		}
	case "is-active":
		if m.Active(u.name) {
			io.Out(s, "active\n")
		} else {
			io.Out(s, "inactive\n")
			s.SetStatus(3)
		}
	case "is-enabled":
		if m.enabled(u) {
			io.Out(s, "enabled\n")
		} else {
			io.Out(s, "disabled\n")
			s.SetStatus(1)
		}
	case "status":
		m.status(s, io, u)
	}
	return nil
}

// start starts a unit: nfs-server starts rpcbind first and exports
// /etc/exports (its ExecStartPre is exportfs -r, whose warnings go to the
// journal, not the terminal).
func (m *Machine) start(s *sh.Shell, io *sh.IO, u unit) error {
	if m.Active(u.name) {
		return nil
	}
	if u.name == "nfs-server.service" {
		if rb, ok := m.lookupUnit("rpcbind"); ok {
			if err := m.start(s, io, rb); err != nil {
				return err
			}
		}
		m.reexport(s, nil)
	}
	return s.Files().WriteFile(unitStateDir+"/"+u.name, []byte(unitActive+s.Now().Format(time.RFC3339)+"\n"), 0o644, time.Time{})
}

// stop stops a unit; nfs-server unexports everything (exportfs -au).
func (m *Machine) stop(s *sh.Shell, u unit) {
	if u.name == "nfs-server.service" {
		_ = s.Files().WriteFile(etabFile, nil, 0o644, time.Time{})
	}
	_ = s.Files().Remove(unitStateDir + "/" + u.name)
}

// status prints systemctl status: exit 0 when active, 3 when not.
func (m *Machine) status(s *sh.Shell, io *sh.IO, u unit) {
	enabled := "disabled"
	if m.enabled(u) {
		enabled = "enabled"
	}
	var b strings.Builder
	b.WriteString("● " + u.name + " - " + u.description + "\n")
	b.WriteString("   Loaded: loaded (" + unitDir + "/" + u.name + "; " + enabled + "; vendor preset: disabled)\n")
	since, active := m.activeSince(u)
	switch {
	case !active:
		b.WriteString("   Active: inactive (dead)\n")
		s.SetStatus(3)
	case u.oneshot:
		b.WriteString("   Active: active (exited) since " + since.Format("Mon 2006-01-02 15:04:05 MST") + "; " + ago(s.Now().Sub(since)) + " ago\n")
		b.WriteString("  Process: 1204 ExecStart=/usr/sbin/rpc.nfsd $RPCNFSDARGS (code=exited, status=0/SUCCESS)\n")
		b.WriteString("  Process: 1201 ExecStartPre=/usr/sbin/exportfs -r (code=exited, status=0/SUCCESS)\n")
		b.WriteString(" Main PID: 1204 (code=exited, status=0/SUCCESS)\n")
	default:
		b.WriteString("   Active: active (running) since " + since.Format("Mon 2006-01-02 15:04:05 MST") + "; " + ago(s.Now().Sub(since)) + " ago\n")
		b.WriteString(" Main PID: " + u.mainPID + "\n")
	}
	io.Out(s, b.String())
}

// ago is systemd's "5s ago", "3min 2s ago", "1h 2min ago" span.
func ago(d time.Duration) string {
	d = d.Truncate(time.Second)
	h, mi, sec := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h >= 24:
		return itoa(h/24) + " days"
	case h > 0:
		return itoa(h) + "h " + itoa(mi) + "min"
	case mi > 0:
		return itoa(mi) + "min " + itoa(sec) + "s"
	}
	return itoa(sec) + "s"
}
