package host

import (
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/sh"
)

// Machine is a CentOS 7 machine of the simulated network: its disk, the
// view its shells have of the disk (with what they mounted over NFS), and
// the machines it reaches.
type Machine struct {
	// Name is its hostname.
	Name string
	// IP is its address.
	IP string
	// ControlPlane machines hold the control plane's static pod manifests
	// (/etc/kubernetes/manifests).
	ControlPlane bool
	// Node machines run a kubelet.
	Node bool
	// KubernetesVersion is the cluster's release, as "1.37.0": the
	// manifests' images and the kubelet's package name it.
	KubernetesVersion string
	// Disk is the machine's own filesystem: what its NFS server exports
	// and a node's hostPath volumes mount.
	Disk *vfs.FS
	// Peers are the machines it reaches (showmount, mount); nil reaches
	// none.
	Peers Peers
	view  *vfs.View
	nfs   []nfsMount
}

// Peers finds a machine of the network by address or hostname.
type Peers interface {
	Machine(addr string) *Machine
}

// New returns a machine over disk; Provision fills a fresh disk.
func New(name, ip string, disk *vfs.FS) *Machine {
	return &Machine{Name: name, IP: ip, Disk: disk, KubernetesVersion: DefaultKubernetesVersion, view: vfs.NewView(disk)}
}

// DefaultKubernetesVersion is the release a machine's Kubernetes files
// name unless told.
const DefaultKubernetesVersion = "1.37.0"

// Files is the machine's filesystem as its shells see it: the disk, with
// the NFS exports it mounted.
func (m *Machine) Files() vfs.Filesystem { return m.view }

// Env is a root login's environment on the machine.
func (m *Machine) Env() []sh.EnvVar {
	return []sh.EnvVar{
		{Name: "PATH", Value: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/root/bin"},
		{Name: "HOSTNAME", Value: m.Name},
		{Name: "HOME", Value: "/root"},
		{Name: "USER", Value: "root"},
		{Name: "LOGNAME", Value: "root"},
		{Name: "SHELL", Value: "/bin/bash"},
		{Name: "LANG", Value: "en_US.UTF-8"},
		{Name: "PS1", Value: `[\u@\h \W]\$ `},
	}
}

// Userland is the machine's system as its shells see it: bash 4.2, the
// standard commands of a CentOS 7 minimal install (GNU ls, no bc, wget or
// nslookup), the administration tools, and what yum installed.
func (m *Machine) Userland() sh.Userland {
	return sh.Userland{Shell: "bash4", Lookup: m.program}
}

// minimalLacks are commands a CentOS 7 minimal install does not have.
var minimalLacks = map[string]bool{"bc": true, "wget": true, "nslookup": true, "ash": true, "dash": true}

// program returns the program name runs on the machine, if it has it.
func (m *Machine) program(name string) (sh.Program, bool) {
	if p, ok := m.tools()[name]; ok {
		return p, true
	}
	if pkg, ok := providedBy[name]; ok {
		if !m.installed(pkg) {
			return nil, false
		}
		if p, ok := m.packagePrograms()[name]; ok {
			return p, true
		}
		return sh.Standard(name)
	}
	if minimalLacks[name] {
		return nil, false
	}
	return sh.Standard(name)
}

// tools are the programs every machine has that are the host's own.
func (m *Machine) tools() map[string]sh.Program {
	return map[string]sh.Program{
		"ls": progLs, "ll": progLl, "yum": m.progYum, "systemctl": m.progSystemctl,
		"mount": m.progMount, "umount": m.progUmount, "vim": progEditor, "vi": progEditor,
		"mkdir": progMkdir,
	}
}

// packagePrograms are the programs packages bring.
func (m *Machine) packagePrograms() map[string]sh.Program {
	return map[string]sh.Program{"exportfs": m.progExportfs, "showmount": m.progShowmount}
}

// skeleton is a CentOS 7 minimal install's directories.
var skeleton = []string{
	"/boot", "/dev", "/etc/sysconfig", "/etc/systemd/system/multi-user.target.wants", "/etc/yum.repos.d",
	"/home", "/media", "/mnt", "/opt", "/proc", "/root", "/run/systemd/units", "/srv", "/sys",
	"/usr/bin", "/usr/lib/systemd/system", "/usr/local/bin", "/usr/sbin", "/usr/share",
	"/var/lib", "/var/log", "/var/spool",
}

// baseFiles are the files of a CentOS 7 minimal install kubesim keeps.
var baseFiles = map[string]string{
	"/etc/centos-release": "CentOS Linux release 7.9.2009 (Core)\n",
	"/etc/redhat-release": "CentOS Linux release 7.9.2009 (Core)\n",
	"/etc/os-release": `NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:centos:centos:7"
HOME_URL="https://www.centos.org/"
BUG_REPORT_URL="https://bugs.centos.org/"
`,
	// CentOS 7's setup package ships an empty /etc/exports.
	"/etc/exports": "",
	"/etc/passwd": `root:x:0:0:root:/root:/bin/bash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/spool/mail:/sbin/nologin
operator:x:11:0:operator:/root:/sbin/nologin
games:x:12:100:games:/usr/games:/sbin/nologin
ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin
nobody:x:99:99:Nobody:/:/sbin/nologin
systemd-network:x:192:192:systemd Network Management:/:/sbin/nologin
dbus:x:81:81:System message bus:/:/sbin/nologin
polkitd:x:999:998:User for polkitd:/:/sbin/nologin
sshd:x:74:74:Privilege-separated SSH:/var/empty/sshd:/sbin/nologin
postfix:x:89:89::/var/spool/postfix:/sbin/nologin
chrony:x:998:996::/var/lib/chrony:/sbin/nologin
`,
	"/etc/group": `root:x:0:
bin:x:1:
daemon:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mem:x:8:
kmem:x:9:
wheel:x:10:
mail:x:12:postfix
nobody:x:99:
users:x:100:
utmp:x:22:
systemd-journal:x:190:
systemd-network:x:192:
dbus:x:81:
polkitd:x:998:
ssh_keys:x:999:
sshd:x:74:
postdrop:x:90:
postfix:x:89:
chrony:x:996:
`,
	"/etc/fstab":                        "\n#\n# /etc/fstab\n# Created by anaconda on Wed Nov  8 20:07:13 2023\n#\n/dev/mapper/centos-root /                       xfs     defaults        0 0\nUUID=4b0d2d6c-9f4e-4d4b-9a3c-6f0f2e0b5a1c /boot                   xfs     defaults        0 0\n",
	"/etc/resolv.conf":                  "# Generated by NetworkManager\nnameserver 114.114.114.114\n",
	"/root/anaconda-ks.cfg":             "#version=DEVEL\n# System authorization information\nauth --enableshadow --passalgo=sha512\n# Use CDROM installation media\ncdrom\n",
	"/root/.bashrc":                     "# .bashrc\n\n# User specific aliases and functions\n\nalias rm='rm -i'\nalias cp='cp -i'\nalias mv='mv -i'\n",
	"/root/.bash_profile":               "# .bash_profile\n\n# Get the aliases and functions\nif [ -f ~/.bashrc ]; then\n\t. ~/.bashrc\nfi\n\nPATH=$PATH:$HOME/bin\n\nexport PATH\n",
	"/var/log/messages":                 "",
	"/etc/yum.repos.d/CentOS-Base.repo": "[base]\nname=CentOS-$releasever - Base\nbaseurl=http://mirrors.aliyun.com/centos/$releasever/os/$basearch/\ngpgcheck=1\n",
}

// Provision writes a fresh CentOS 7 install on the machine's disk, dated
// at: the directories and files of a minimal install, its hostname and
// address, its services, and for a node the kubelet's files (for the
// control plane also its static pods' manifests).
func (m *Machine) Provision(at time.Time) {
	d := m.Disk
	_ = d.Touch("/", at)
	for _, dir := range skeleton {
		_ = d.MkdirAll(dir, 0o755, at)
	}
	for _, dir := range []string{"/tmp", "/var/tmp"} {
		_ = d.MkdirAll(dir, 0o777, at)
		_ = d.Chmod(dir, 0o777|fs.ModeSticky)
	}
	_ = d.Chmod("/root", 0o550)
	files := map[string]string{
		"/etc/hostname": m.Name + "\n",
		"/etc/hosts": "127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n" +
			"::1         localhost localhost.localdomain localhost6 localhost6.localdomain6\n" +
			m.IP + " " + m.Name + "\n",
	}
	for p, c := range baseFiles {
		files[p] = c
	}
	if m.Node {
		for p, c := range m.kubeletFiles() {
			files[p] = c
		}
	}
	if m.ControlPlane {
		for p, c := range m.controlPlaneFiles() {
			files[p] = c
		}
	}
	writeFiles(d, files, at)
	for _, u := range m.baseUnits() {
		_ = d.WriteFile("/run/systemd/units/"+u, []byte(unitActive+at.UTC().Format(time.RFC3339)+"\n"), 0o644, at)
		_ = d.WriteFile(wantsDir+"/"+u, []byte(unitDir+"/"+u+"\n"), 0o644, at)
	}
}

// writeFiles writes files in path order, with their directories.
func writeFiles(d *vfs.FS, files map[string]string, at time.Time) {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		_ = d.MkdirAll(path.Dir(p), 0o755, at)
		perm := fs.FileMode(0o644)
		if strings.HasPrefix(p, "/usr/bin/") || strings.HasPrefix(p, "/usr/sbin/") {
			perm = 0o755
		}
		if strings.HasPrefix(p, "/root/") || strings.Contains(p, "/pki/") {
			perm = 0o600
		}
		_ = d.WriteFile(p, []byte(files[p]), perm, at)
	}
}
