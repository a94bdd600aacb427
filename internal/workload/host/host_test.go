package host

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/proc"
	"github.com/kubesim/kubesim/internal/workload/sh"
)

var testStart = time.Date(2023, 12, 22, 0, 0, 0, 0, time.UTC)

// network is a test network of machines.
type network struct {
	machines []*Machine
	now      time.Time
}

func (n *network) Machine(addr string) *Machine {
	for _, m := range n.machines {
		if m.IP == addr || m.Name == addr {
			return m
		}
	}
	return nil
}

// add provisions a machine on the network.
func (n *network) add(name, ip string, node bool) *Machine {
	m := New(name, ip, vfs.New())
	m.Node, m.ControlPlane, m.Peers = node, node && strings.Contains(name, "master"), n
	m.Provision(testStart)
	n.machines = append(n.machines, m)
	return m
}

// result is what a command printed and its status.
type result struct {
	out, err string
	code     int
}

// run runs a script in a login shell of m, letting its virtual time pass.
func (n *network) run(t *testing.T, m *Machine, script string) result {
	t.Helper()
	p := proc.New(n.now, m.Files(), proc.Options{})
	sh.Start(p, sh.Config{Argv: []string{"bash", "-c", script}, Env: m.Env(), Hostname: m.Name,
		Userland: m.Userland(), Dir: "/root"})
	p.RunUntil(time.Hour)
	code, d, ok := p.Exited()
	require.True(t, ok, "the script ends")
	p.Kill()
	n.now = n.now.Add(d)
	var r result
	for _, l := range p.Output() {
		text := l.Text
		if !l.Partial {
			text += "\n"
		}
		if l.Stream == proc.Stderr {
			r.err += text
		} else {
			r.out += text
		}
	}
	r.code = code
	return r
}

func newNetwork() *network { return &network{now: testStart.Add(time.Minute)} }

// A fresh machine is a CentOS 7 minimal install: its files, GNU ls, bash's
// words for a command it lacks, and an editor that says it is none.
func TestFreshMachine(t *testing.T) {
	n := newNetwork()
	m := n.add("k8s-master", "192.168.122.24", true)
	assert.Equal(t, "CentOS Linux release 7.9.2009 (Core)\n", n.run(t, m, "cat /etc/centos-release").out)
	r := n.run(t, m, "pwd; ls /")
	assert.Equal(t, "/root\nboot\ndev\netc\nhome\nmedia\nmnt\nopt\nproc\nroot\nrun\nsrv\nsys\ntmp\nusr\nvar\n", r.out)
	r = n.run(t, m, "ll -d /tmp /etc/kubernetes/manifests; ls /etc/kubernetes/manifests")
	assert.Equal(t, "drwxr-xr-x 2 root root 113 Dec 22 00:00 /etc/kubernetes/manifests\n"+
		"drwxrwxrwt 2 root root   6 Dec 22 00:00 /tmp\n"+
		"etcd.yaml\nkube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\n", r.out)
	r = n.run(t, m, "showmount -e; bc; exit $?")
	assert.Equal(t, result{err: "bash: showmount: command not found\nbash: bc: command not found\n", code: 127}, r)
	r = n.run(t, m, "vim /etc/exports")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.err, "vim: the simulation has no editor. Write the file with a here-document instead:\n  cat > /etc/exports <<'EOF'\n")
	assert.Contains(t, n.run(t, m, "systemctl status kubelet").out, "   Active: active (running) since Fri 2023-12-22 00:00:00 UTC; 1min 0s ago\n")
	r = n.run(t, m, "systemctl start nfs")
	assert.Equal(t, result{err: "Failed to start nfs.service: Unit not found.\n", code: 5}, r)
}

// yum installs the packages it knows, with their dependencies, and they
// bring their commands; unknown ones get yum's words.
func TestYum(t *testing.T) {
	n := newNetwork()
	m := n.add("k8s-master", "192.168.122.24", true)
	before := n.now
	r := n.run(t, m, "yum install -y nfs-utils rpcbind")
	require.Equal(t, 0, r.code, r.err)
	assert.Contains(t, r.out, "Installing:\n nfs-utils              x86_64    1:1.3.0-0.68.el7.2          updates      413 k\n"+
		" rpcbind                x86_64    0.2.0-49.el7                base          60 k\nInstalling for dependencies:\n")
	assert.Contains(t, r.out, "Install  2 Packages (+14 Dependent packages)\n")
	assert.True(t, strings.HasSuffix(r.out, "Installed:\n  nfs-utils.x86_64 1:1.3.0-0.68.el7.2\n  rpcbind.x86_64 0:0.2.0-49.el7\n\n"+
		"Dependency Installed:\n  gssproxy.x86_64 0:0.7.0-30.el7_9\n  keyutils.x86_64 0:1.5.8-3.el7\n"+
		"  libbasicobjects.x86_64 0:0.1.1-32.el7\n  libcollection.x86_64 0:0.7.0-32.el7\n  libevent.x86_64 0:2.0.21-4.el7\n"+
		"  libini_config.x86_64 0:1.3.1-32.el7\n  libnfsidmap.x86_64 0:0.25-19.el7\n  libpath_utils.x86_64 0:0.2.1-32.el7\n"+
		"  libref_array.x86_64 0:0.1.5-32.el7\n  libtirpc.x86_64 0:0.2.4-0.16.el7\n  libverto-libevent.x86_64 0:0.2.5-4.el7\n"+
		"  quota.x86_64 1:4.01-19.el7\n  quota-nls.noarch 1:4.01-19.el7\n  tcp_wrappers.x86_64 0:7.6-77.el7\n\nComplete!\n"), r.out)
	assert.Equal(t, yumInstallTime, n.now.Sub(before), "installing takes virtual time")
	assert.Equal(t, result{}, n.run(t, m, "exportfs"), "exportfs exists now, with an empty table")
	r = n.run(t, m, "yum install -y nfs-utils")
	assert.Equal(t, result{out: yumHeader + "Package 1:nfs-utils-1.3.0-0.68.el7.2.x86_64 already installed and latest version\nNothing to do\n"}, r)
	r = n.run(t, m, "yum install -y nfs-utilz")
	assert.Equal(t, result{out: yumHeader + "No package nfs-utilz available.\n", err: "Error: Nothing to do\n", code: 1}, r)
}

// The tutorial's first NFS server: exports read at nfs's start and by
// exportfs -r, listed by exportfs and showmount, served to the subnet.
func TestTutorialNFSServer(t *testing.T) {
	n := newNetwork()
	m := n.add("k8s-master", "192.168.122.24", true)
	node := n.add("k8s-node1", "192.168.122.25", true)
	_, err := m.ServeNFS("/mnt/data", node.IP, node.Name)
	assert.Error(t, err, "a directory that does not exist is not served")
	require.Empty(t, n.run(t, m, "mkdir /mnt/data").err)
	ro, err := m.ServeNFS("/mnt/data", node.IP, node.Name)
	require.NoError(t, err, "before nfs-utils, kubesim's stand-in server serves every directory")
	assert.False(t, ro)

	n.run(t, m, "yum install -y nfs-utils rpcbind")
	_, err = m.ServeNFS("/mnt/data", node.IP, node.Name)
	assert.ErrorIs(t, err, ErrNFSRefused, "once installed, nothing serves until nfs runs")
	r := n.run(t, m, "echo '/mnt/data 192.168.122.0/24(rw,no_root_squash)' > /etc/exports; systemctl start rpcbind; systemctl start nfs")
	assert.Equal(t, result{}, r, "the start's exportfs warnings go to the journal")
	r = n.run(t, m, "exportfs -r")
	assert.Equal(t, "exportfs: /etc/exports [1]: Neither 'subtree_check' or 'no_subtree_check' specified for export \"192.168.122.0/24:/mnt/data\".\n"+
		"  Assuming default behaviour ('no_subtree_check').\n  NOTE: this default has changed since nfs-utils version 1.0.x\n\n", r.err)
	assert.Equal(t, "/mnt/data     \t192.168.122.0/24\n", n.run(t, m, "exportfs").out)
	assert.Equal(t, "Export list for localhost:\n/mnt/data 192.168.122.0/24\n", n.run(t, m, "showmount -e").out)
	ro, err = m.ServeNFS("/mnt/data/sub", node.IP, node.Name)
	assert.EqualError(t, err, "mounting 192.168.122.24:/mnt/data/sub failed, reason given by server: No such file or directory")
	ro, err = m.ServeNFS("/mnt/data", node.IP, node.Name)
	require.NoError(t, err)
	assert.False(t, ro, "rw")
	_, err = m.ServeNFS("/mnt/data", "10.0.0.9", "elsewhere")
	assert.EqualError(t, err, "access denied by server while mounting 192.168.122.24:/mnt/data")
	_, err = m.ServeNFS("/etc", node.IP, node.Name)
	assert.EqualError(t, err, "access denied by server while mounting 192.168.122.24:/etc", "only exported directories serve")

	// A node with nfs-utils mounts the export and sees the server's files.
	require.Empty(t, n.run(t, m, "echo hello > /mnt/data/hi").err)
	r = n.run(t, node, "mkdir -p /mnt/data; mount -t nfs 192.168.122.24:/mnt/data /mnt/data")
	assert.Equal(t, 32, r.code, "without nfs-utils the client lacks mount.nfs")
	assert.Contains(t, r.err, "need a /sbin/mount.<type> helper program")
	n.run(t, node, "yum install -y nfs-utils")
	assert.Equal(t, "Export list for 192.168.122.24:\n/mnt/data 192.168.122.0/24\n", n.run(t, node, "showmount -e 192.168.122.24").out)
	assert.Equal(t, result{err: "clnt_create: RPC: Unknown host\n", code: 1}, n.run(t, node, "showmount -e master_ip"))
	r = n.run(t, node, "mount -t nfs 192.168.122.24:/mnt/data /mnt/data && cat /mnt/data/hi && echo back > /mnt/data/from-node")
	assert.Equal(t, result{out: "hello\n"}, r)
	data, err := m.Disk.ReadFile("/mnt/data/from-node")
	require.NoError(t, err)
	assert.Equal(t, "back\n", string(data))
	assert.Contains(t, n.run(t, node, "mount").out, "192.168.122.24:/mnt/data on /mnt/data type nfs4 (rw,")
	r = n.run(t, node, "umount /mnt/data; ls /mnt/data; umount /mnt/data")
	assert.Equal(t, result{err: "umount: /mnt/data: not mounted\n", code: 32}, r)

	// Stopping nfs unexports everything.
	n.run(t, m, "systemctl stop nfs")
	_, err = m.ServeNFS("/mnt/data", node.IP, node.Name)
	assert.ErrorIs(t, err, ErrNFSRefused)
	assert.Equal(t, result{err: "clnt_create: RPC: Program not registered\n", code: 1}, n.run(t, node, "showmount -e k8s-master"))
}

// The tutorial's second server's lines put a space between the clients
// and the options: the options then stand alone, for anyone (read-write),
// and the wildcard client gets the defaults (read-only), as exportfs warns.
func TestTutorialExportLinesWithASpace(t *testing.T) {
	n := newNetwork()
	m := n.add("k8s-master", "172.16.229.143", true)
	n.run(t, m, "yum install -y nfs-utils rpcbind; mkdir /mnt/data-1 /mnt/data-2")
	r := n.run(t, m, `cat > /etc/exports <<'EOF'
/mnt/data-1 172.16.229.*/24 (rw,sync,insecure,no_subtree_check,no_root_squash)
/mnt/data-2 172.16.229.*/24 (rw,sync,insecure,no_subtree_check,no_root_squash)
EOF
systemctl restart nfs; exportfs -r`)
	assert.Equal(t, "exportfs: No options for /mnt/data-1 172.16.229.*/24: suggest 172.16.229.*/24(sync) to avoid warning\n"+
		"exportfs: /etc/exports [1]: Neither 'subtree_check' or 'no_subtree_check' specified for export \"172.16.229.*/24:/mnt/data-1\".\n"+
		"  Assuming default behaviour ('no_subtree_check').\n  NOTE: this default has changed since nfs-utils version 1.0.x\n\n"+
		"exportfs: No host name given with /mnt/data-1 (rw,sync,insecure,no_subtree_check,no_root_squash), suggest *(rw,sync,insecure,no_subtree_check,no_root_squash) to avoid warning\n"+
		"exportfs: No options for /mnt/data-2 172.16.229.*/24: suggest 172.16.229.*/24(sync) to avoid warning\n"+
		"exportfs: /etc/exports [2]: Neither 'subtree_check' or 'no_subtree_check' specified for export \"172.16.229.*/24:/mnt/data-2\".\n"+
		"  Assuming default behaviour ('no_subtree_check').\n  NOTE: this default has changed since nfs-utils version 1.0.x\n\n"+
		"exportfs: No host name given with /mnt/data-2 (rw,sync,insecure,no_subtree_check,no_root_squash), suggest *(rw,sync,insecure,no_subtree_check,no_root_squash) to avoid warning\n", r.err)
	assert.Equal(t, "/mnt/data-2   \t172.16.229.*/24\n/mnt/data-1   \t172.16.229.*/24\n/mnt/data-2   \t<world>\n/mnt/data-1   \t<world>\n",
		n.run(t, m, "exportfs").out)
	assert.Equal(t, "Export list for localhost:\n/mnt/data-1 (everyone)\n/mnt/data-2 (everyone)\n", n.run(t, m, "showmount -e").out)
	ro, err := m.ServeNFS("/mnt/data-2", "172.16.229.144", "k8s-node1")
	require.NoError(t, err)
	assert.False(t, ro, "the options that stand alone give everyone rw")
}

// GNU ls shows owners from the machine's passwd and speaks the locale.
func TestLsOwnersAndLocale(t *testing.T) {
	n := newNetwork()
	m := n.add("nfs", "192.168.122.30", false)
	require.NoError(t, m.Disk.MkdirAll("/mnt/data/mysql", 0o750, testStart))
	require.NoError(t, m.Disk.WriteFile("/mnt/data/ibdata1", make([]byte, 79691776>>10), 0o640, testStart.Add(-40*24*time.Hour)))
	require.NoError(t, m.Disk.WriteFile("/mnt/data/ib_logfile0", []byte("x"), 0o640, testStart))
	for _, p := range []string{"/mnt/data/mysql", "/mnt/data/ibdata1", "/mnt/data/ib_logfile0"} {
		require.NoError(t, m.Disk.Chown(p, 999, 999))
	}
	assert.Equal(t, "total 80\n-rw-r----- 1 polkitd ssh_keys 77824 Nov 12 00:00 ibdata1\n"+
		"-rw-r----- 1 polkitd ssh_keys     1 Dec 22 00:00 ib_logfile0\n"+
		"drwxr-x--- 2 polkitd ssh_keys     6 Dec 22 00:00 mysql\n", n.run(t, m, "cd /mnt/data; ll").out)
	assert.Equal(t, "总用量 80\n-rw-r----- 1 polkitd ssh_keys 77824 11月 12 00:00 ibdata1\n"+
		"-rw-r----- 1 polkitd ssh_keys     1 12月 22 00:00 ib_logfile0\n"+
		"drwxr-x--- 2 polkitd ssh_keys     6 12月 22 00:00 mysql\n", n.run(t, m, "export LANG=zh_CN.UTF-8; ll /mnt/data").out)
	assert.Equal(t, result{err: "ls: cannot access /nope: No such file or directory\n", code: 2}, n.run(t, m, "ls /nope"))
}

// GNU mkdir: options after the operands (the tutorial's `mkdir /k8s/mysql
// -p`), -p's parents and -v, and coreutils' words for what fails.
func TestGNUMkdir(t *testing.T) {
	n := newNetwork()
	m := n.add("k8s-master", "192.168.122.24", true)
	r := n.run(t, m, "mkdir /k8s/mysql -p && cd /k8s/mysql && pwd")
	assert.Equal(t, 0, r.code, r.err)
	assert.Equal(t, "/k8s/mysql\n", r.out)
	r = n.run(t, m, "mkdir /k8s/application/mysql")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "mkdir: cannot create directory ‘/k8s/application/mysql’: No such file or directory\n", r.err)
	r = n.run(t, m, "mkdir /mnt")
	assert.Equal(t, "mkdir: cannot create directory ‘/mnt’: File exists\n", r.err)
	r = n.run(t, m, "mkdir -pv /k8s/nginx/a")
	assert.Equal(t, "mkdir: created directory ‘/k8s/nginx’\nmkdir: created directory ‘/k8s/nginx/a’\n", r.out)
	r = n.run(t, m, "mkdir -x /a")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "mkdir: invalid option -- 'x'\nTry 'mkdir --help' for more information.\n", r.err)
}
