package host

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/sh"
)

// pkg is a package the simulated CentOS 7 mirrors serve.
type pkg struct {
	name, version, repo string
	arch                string
	sizeKB              float64
	deps                []string
	// files are what installing it writes; the first marks it installed.
	files []string
}

// nevra is the package's epoch:name-version-release.arch as yum prints it.
func (p pkg) nevra() string {
	if epoch, v, ok := strings.Cut(p.version, ":"); ok {
		return epoch + ":" + p.name + "-" + v + "." + p.arch
	}
	return p.name + "-" + p.version + "." + p.arch
}

// catalogue are the packages yum knows beyond the installed base: the
// tutorial's NFS tools with CentOS 7.9's versions, and a few a learner
// reaches for.
var catalogue = map[string]pkg{
	"nfs-utils": {name: "nfs-utils", version: "1:1.3.0-0.68.el7.2", repo: "updates", arch: "x86_64", sizeKB: 413,
		deps: []string{"gssproxy", "keyutils", "libbasicobjects", "libcollection", "libevent", "libini_config",
			"libnfsidmap", "libpath_utils", "libref_array", "libtirpc", "libverto-libevent", "quota", "quota-nls",
			"rpcbind", "tcp_wrappers"},
		files: []string{"/usr/sbin/exportfs", "/usr/sbin/showmount", "/usr/sbin/mount.nfs", "/usr/sbin/rpc.mountd",
			"/usr/sbin/rpc.nfsd", "/usr/lib/systemd/system/nfs-server.service", "/var/lib/nfs/etab", "/var/lib/nfs/rmtab"}},
	"rpcbind": {name: "rpcbind", version: "0.2.0-49.el7", repo: "base", arch: "x86_64", sizeKB: 60,
		deps:  []string{"libtirpc"},
		files: []string{"/usr/sbin/rpcbind", "/usr/sbin/rpcinfo", "/usr/lib/systemd/system/rpcbind.service"}},
	"gssproxy":          {name: "gssproxy", version: "0.7.0-30.el7_9", repo: "updates", arch: "x86_64", sizeKB: 111, files: []string{"/usr/sbin/gssproxy"}},
	"keyutils":          {name: "keyutils", version: "1.5.8-3.el7", repo: "base", arch: "x86_64", sizeKB: 54, files: []string{"/usr/bin/keyctl"}},
	"libbasicobjects":   {name: "libbasicobjects", version: "0.1.1-32.el7", repo: "base", arch: "x86_64", sizeKB: 26, files: []string{"/usr/lib64/libbasicobjects.so.0"}},
	"libcollection":     {name: "libcollection", version: "0.7.0-32.el7", repo: "base", arch: "x86_64", sizeKB: 42, files: []string{"/usr/lib64/libcollection.so.4"}},
	"libevent":          {name: "libevent", version: "2.0.21-4.el7", repo: "base", arch: "x86_64", sizeKB: 214, files: []string{"/usr/lib64/libevent-2.0.so.5"}},
	"libini_config":     {name: "libini_config", version: "1.3.1-32.el7", repo: "base", arch: "x86_64", sizeKB: 64, files: []string{"/usr/lib64/libini_config.so.5"}},
	"libnfsidmap":       {name: "libnfsidmap", version: "0.25-19.el7", repo: "base", arch: "x86_64", sizeKB: 50, files: []string{"/usr/lib64/libnfsidmap.so.0"}},
	"libpath_utils":     {name: "libpath_utils", version: "0.2.1-32.el7", repo: "base", arch: "x86_64", sizeKB: 28, files: []string{"/usr/lib64/libpath_utils.so.1"}},
	"libref_array":      {name: "libref_array", version: "0.1.5-32.el7", repo: "base", arch: "x86_64", sizeKB: 27, files: []string{"/usr/lib64/libref_array.so.1"}},
	"libtirpc":          {name: "libtirpc", version: "0.2.4-0.16.el7", repo: "base", arch: "x86_64", sizeKB: 89, files: []string{"/usr/lib64/libtirpc.so.1"}},
	"libverto-libevent": {name: "libverto-libevent", version: "0.2.5-4.el7", repo: "base", arch: "x86_64", sizeKB: 8.9, files: []string{"/usr/lib64/libverto-libevent.so.1"}},
	"quota":             {name: "quota", version: "1:4.01-19.el7", repo: "base", arch: "x86_64", sizeKB: 179, deps: []string{"quota-nls", "tcp_wrappers"}, files: []string{"/usr/bin/quota"}},
	"quota-nls":         {name: "quota-nls", version: "1:4.01-19.el7", repo: "base", arch: "noarch", sizeKB: 90, files: []string{"/usr/share/locale/de/LC_MESSAGES/quota.mo"}},
	"tcp_wrappers":      {name: "tcp_wrappers", version: "7.6-77.el7", repo: "base", arch: "x86_64", sizeKB: 78, files: []string{"/usr/sbin/tcpd"}},
	"wget":              {name: "wget", version: "1.14-18.el7_6.1", repo: "base", arch: "x86_64", sizeKB: 547, files: []string{"/usr/bin/wget"}},
	"bind-utils": {name: "bind-utils", version: "32:9.11.4-26.P2.el7_9.16", repo: "updates", arch: "x86_64", sizeKB: 262,
		files: []string{"/usr/bin/nslookup", "/usr/bin/dig", "/usr/bin/host"}},
	"bc":           {name: "bc", version: "1.06.95-13.el7", repo: "base", arch: "x86_64", sizeKB: 115, files: []string{"/usr/bin/bc"}},
	"vim-enhanced": {name: "vim-enhanced", version: "2:7.4.629-8.el7_9", repo: "updates", arch: "x86_64", sizeKB: 1100, files: []string{"/usr/bin/vimx"}},
}

// basePackages are installed on every machine (yum says so).
var basePackages = map[string]string{
	"bash": "bash-4.2.46-35.el7_9.x86_64", "curl": "curl-7.29.0-59.el7_9.2.x86_64",
	"coreutils": "coreutils-8.22-24.el7_9.2.x86_64", "grep": "grep-2.20-3.el7.x86_64",
	"gawk": "gawk-4.0.2-4.el7_3.1.x86_64", "sed": "sed-4.2.2-7.el7.x86_64", "tar": "2:tar-1.26-35.el7.x86_64",
	"vim-minimal": "2:vim-minimal-7.4.629-8.el7_9.x86_64", "util-linux": "util-linux-2.23.2-65.el7_9.1.x86_64",
	"yum": "yum-3.4.3-168.el7.centos.noarch", "openssh-server": "openssh-server-7.4p1-23.el7_9.x86_64",
}

// providedBy maps the commands packages bring to their package.
var providedBy = map[string]string{
	"exportfs": "nfs-utils", "showmount": "nfs-utils", "wget": "wget", "nslookup": "bind-utils", "bc": "bc",
}

// installed reports whether a package is on the machine.
func (m *Machine) installed(name string) bool {
	p, ok := catalogue[name]
	if !ok {
		return basePackages[name] != ""
	}
	_, err := m.Disk.Stat(p.files[0])
	return err == nil
}

// yumHeader is what yum prints before it works.
const yumHeader = "Loaded plugins: fastestmirror\nLoading mirror speeds from cached hostfile\n" +
	" * base: mirrors.aliyun.com\n * extras: mirrors.aliyun.com\n * updates: mirrors.aliyun.com\n"

// yumRule is yum's table rule.
var yumRule = strings.Repeat("=", 80) + "\n"

// yumInstallTime is how long an install takes (download and transaction).
const yumInstallTime = 6 * time.Second

// progYum is yum: install [-y] PACKAGE..., and remove for packages it
// installed; other verbs say what the simulation does not do.
func (m *Machine) progYum(s *sh.Shell, argv []string, io *sh.IO) error {
	var verb string
	var names []string
	for _, a := range argv[1:] {
		switch {
		case strings.HasPrefix(a, "-"):
		case verb == "":
			verb = a
		default:
			names = append(names, a)
		}
	}
	switch verb {
	case "install":
		return m.yumInstall(s, io, names)
	case "":
		io.Err(s, "You need to give some command\n")
		s.SetStatus(1)
		return nil
	}
	io.Out(s, yumHeader)
	io.Err(s, "yum "+verb+": the simulation's yum installs packages only (yum install -y PACKAGE)\n")
	s.SetStatus(1)
	return nil
}

// yumInstall installs packages with their dependencies, as CentOS 7's yum
// prints it; it fails with "No package X available." for unknown ones.
func (m *Machine) yumInstall(s *sh.Shell, io *sh.IO, names []string) error {
	var b strings.Builder
	b.WriteString(yumHeader)
	if len(names) == 0 {
		io.Out(s, b.String())
		io.Err(s, "Error: Need to pass a list of pkgs to install\n")
		s.SetStatus(1)
		return nil
	}
	var want []pkg
	for _, n := range names {
		p, known := catalogue[n]
		switch {
		case basePackages[n] != "":
			b.WriteString("Package " + basePackages[n] + " already installed and latest version\n")
		case !known:
			b.WriteString("No package " + n + " available.\n")
		case m.installed(n):
			b.WriteString("Package " + p.nevra() + " already installed and latest version\n")
		default:
			want = append(want, p)
		}
	}
	if len(want) == 0 {
		io.Out(s, b.String())
		if strings.Contains(b.String(), "No package") {
			io.Err(s, "Error: Nothing to do\n")
			s.SetStatus(1)
			return nil
		}
		io.Out(s, "Nothing to do\n")
		s.SetStatus(0)
		return nil
	}
	deps := m.dependencies(want)
	b.WriteString(yumTransaction(want, deps))
	io.Out(s, b.String())
	if err := s.Sleep(yumInstallTime); err != nil {
		return err
	}
	all := append(append([]pkg(nil), deps...), want...)
	for _, p := range all {
		for _, f := range p.files {
			if err := m.installFile(s, f); err != nil {
				return err
			}
		}
	}
	io.Out(s, yumInstalled(want, deps))
	s.SetStatus(0)
	return nil
}

// installFile writes one file a package brings.
func (m *Machine) installFile(s *sh.Shell, f string) error {
	fsys := s.Files()
	// A failed write (a full disk) leaves the package half there, as rpm
	// would; it is not an error of the shell.
	if err := fsys.MkdirAll(f[:strings.LastIndexByte(f, '/')], 0o755, time.Time{}); err != nil {
		return nil
	}
	perm := fs.FileMode(0o644)
	if strings.Contains(f, "/bin/") || strings.Contains(f, "/sbin/") {
		perm = 0o755
	}
	content := ""
	if !strings.HasPrefix(f, "/var/lib/nfs/") {
		content = "(simulated " + f[strings.LastIndexByte(f, '/')+1:] + ")\n"
	}
	_ = fsys.WriteFile(f, []byte(content), perm, time.Time{})
	return nil
}

// dependencies are the packages want needs that are neither installed
// nor asked for, in name order.
func (m *Machine) dependencies(want []pkg) []pkg {
	asked := map[string]bool{}
	for _, p := range want {
		asked[p.name] = true
	}
	seen := map[string]bool{}
	var out []pkg
	var visit func(p pkg)
	visit = func(p pkg) {
		for _, d := range p.deps {
			if seen[d] || asked[d] || m.installed(d) {
				continue
			}
			seen[d] = true
			dp := catalogue[d]
			out = append(out, dp)
			visit(dp)
		}
	}
	for _, p := range want {
		visit(p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// yumTransaction is yum's resolution, table and transaction.
func yumTransaction(want, deps []pkg) string {
	var b strings.Builder
	b.WriteString("Resolving Dependencies\n--> Running transaction check\n")
	for _, p := range append(append([]pkg(nil), want...), deps...) {
		b.WriteString("---> Package " + p.name + "." + p.arch + " " + p.version + " will be installed\n")
	}
	b.WriteString("--> Finished Dependency Resolution\n\nDependencies Resolved\n\n")
	b.WriteString(yumRule)
	fmt.Fprintf(&b, " %-22s %-9s %-27s %-12s %5s\n", "Package", "Arch", "Version", "Repository", "Size")
	b.WriteString(yumRule)
	row := func(p pkg) {
		fmt.Fprintf(&b, " %-22s %-9s %-27s %-12s %5s\n", p.name, p.arch, p.version, p.repo, yumSize(p.sizeKB))
	}
	b.WriteString("Installing:\n")
	for _, p := range want {
		row(p)
	}
	if len(deps) > 0 {
		b.WriteString("Installing for dependencies:\n")
		for _, p := range deps {
			row(p)
		}
	}
	b.WriteString("\nTransaction Summary\n" + yumRule)
	summary := "Install  " + strconv.Itoa(len(want)) + " Package"
	if len(want) > 1 {
		summary += "s"
	}
	if len(deps) > 0 {
		summary += " (+" + strconv.Itoa(len(deps)) + " Dependent package"
		if len(deps) > 1 {
			summary += "s"
		}
		summary += ")"
	}
	b.WriteString(summary + "\n\n")
	var total float64
	for _, p := range append(append([]pkg(nil), want...), deps...) {
		total += p.sizeKB
	}
	b.WriteString("Total download size: " + yumSize(total) + "\nInstalled size: " + yumSize(total*3) + "\nDownloading packages:\n")
	return b.String()
}

// yumInstalled is what yum prints once the transaction is done.
func yumInstalled(want, deps []pkg) string {
	var b strings.Builder
	all := append(append([]pkg(nil), deps...), want...)
	b.WriteString("Running transaction check\nRunning transaction test\nTransaction test succeeded\nRunning transaction\n")
	for i, p := range all {
		fmt.Fprintf(&b, "  Installing : %-56s %d/%d\n", p.nevra(), i+1, len(all))
	}
	for i, p := range all {
		fmt.Fprintf(&b, "  Verifying  : %-56s %d/%d\n", p.nevra(), i+1, len(all))
	}
	b.WriteString("\nInstalled:\n")
	for _, p := range want {
		b.WriteString("  " + p.name + "." + p.arch + " " + epochVersion(p.version) + "\n")
	}
	if len(deps) > 0 {
		b.WriteString("\nDependency Installed:\n")
		for _, p := range deps {
			b.WriteString("  " + p.name + "." + p.arch + " " + epochVersion(p.version) + "\n")
		}
	}
	b.WriteString("\nComplete!\n")
	return b.String()
}

// epochVersion writes a version with its epoch, 0 when it has none, as
// yum's summary does.
func epochVersion(v string) string {
	if strings.Contains(v, ":") {
		return v
	}
	return "0:" + v
}

// yumSize formats a size in kB as yum does ("413 k", "1.5 M").
func yumSize(kb float64) string {
	if kb >= 1000 {
		return strconv.FormatFloat(kb/1024, 'f', 1, 64) + " M"
	}
	if kb < 10 {
		return strconv.FormatFloat(kb, 'f', 1, 64) + " k"
	}
	return strconv.Itoa(int(kb+0.5)) + " k"
}
