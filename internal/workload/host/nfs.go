package host

import (
	"errors"
	"fmt"
	"net/netip"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/sh"
)

// The NFS server, as nfs-utils 1.3.0 runs it: /etc/exports is read by
// `exportfs -r` (and by nfs-server's start, whose ExecStartPre it is) into
// the export table /var/lib/nfs/etab, which mountd consults for every
// mount; only the table's directories serve, to the clients their lines
// allow. A machine on which nfs-utils was never installed is kubesim's
// stand-in server instead: it serves every directory of its disk to
// everyone, as kubesim's machines always did, so that scenarios needing
// NFS need no administration.

// File paths of the NFS server.
const (
	exportsFile = "/etc/exports"
	etabFile    = "/var/lib/nfs/etab"
)

// clientType orders exports as nfs-utils' MCL_* types do.
type clientType int

const (
	clientFQDN clientType = iota
	clientSubnet
	clientWildcard
	clientNetgroup
	clientAnonymous
)

// export is one client entry of an export: a directory, who may mount it
// and how.
type export struct {
	path    string
	client  string // "" for anyone (<world>, *)
	options string
	line    int
}

// kind is the entry's client type.
func (e export) kind() clientType {
	c := e.client
	switch {
	case c == "" || c == "*":
		return clientAnonymous
	case strings.HasPrefix(c, "@"):
		return clientNetgroup
	}
	for i := 0; i < len(c); i++ {
		switch c[i] {
		case '*', '?', '[':
			return clientWildcard
		case '/':
			return clientSubnet
		}
	}
	return clientFQDN
}

// readOnly reports whether the entry exports read-only (ro is the
// default).
func (e export) readOnly() bool {
	ro := true
	for _, o := range strings.Split(e.options, ",") {
		switch strings.TrimSpace(o) {
		case "rw":
			ro = false
		case "ro":
			ro = true
		}
	}
	return ro
}

// allows reports whether a client (its address and hostname) matches.
func (e export) allows(ip, name string) bool {
	switch e.kind() {
	case clientAnonymous:
		return true
	case clientSubnet:
		p, err := netip.ParsePrefix(e.client)
		if err != nil {
			if addr, mask, ok := strings.Cut(e.client, "/"); ok {
				p, err = dottedMask(addr, mask)
			}
		}
		a, aerr := netip.ParseAddr(ip)
		return err == nil && aerr == nil && p.Contains(a)
	case clientWildcard:
		return sh.GlobMatch(e.client, name) || sh.GlobMatch(e.client, ip)
	case clientFQDN:
		return e.client == ip || e.client == name
	}
	return false
}

// dottedMask reads 192.168.0.0/255.255.255.0.
func dottedMask(addr, mask string) (netip.Prefix, error) {
	m, err := netip.ParseAddr(mask)
	if err != nil || !m.Is4() {
		return netip.Prefix{}, fmt.Errorf("bad mask %q", mask)
	}
	bits := 0
	for _, b := range m.As4() {
		for i := 7; i >= 0 && b&(1<<i) != 0; i-- {
			bits++
		}
	}
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return netip.Prefix{}, err
	}
	return a.Prefix(bits)
}

// parseExports reads /etc/exports as nfs-utils does: each line is a path
// and client entries, each client optionally followed by "(options)"
// without a space; an options list standing alone is for anyone. It
// returns the entries and exportfs's warnings for them.
func parseExports(text string) ([]export, []string) {
	var out []export
	var warnings []string
	for i, raw := range strings.Split(text, "\n") {
		line := raw
		if c := strings.IndexByte(line, '#'); c >= 0 {
			line = line[:c]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		p := fields[0]
		clients := fields[1:]
		if len(clients) == 0 {
			clients = []string{""}
		}
		for _, c := range clients {
			e := export{path: p, line: i + 1}
			switch open := strings.IndexByte(c, '('); {
			case open == 0:
				warnings = append(warnings, fmt.Sprintf("No host name given with %s %s, suggest *%s to avoid warning", p, c, c))
				e.options = strings.TrimSuffix(c[1:], ")")
			case open > 0:
				e.client, e.options = c[:open], strings.TrimSuffix(c[open+1:], ")")
			default:
				e.client = c
				warnings = append(warnings, fmt.Sprintf("No options for %s %s: suggest %s(sync) to avoid warning", p, c, c))
			}
			if !strings.Contains(e.options, "subtree_check") {
				who := e.client
				if who == "" {
					who = "*"
				}
				warnings = append(warnings, fmt.Sprintf("%s [%d]: Neither 'subtree_check' or 'no_subtree_check' specified for export \"%s:%s\".\n"+
					"  Assuming default behaviour ('no_subtree_check').\n  NOTE: this default has changed since nfs-utils version 1.0.x\n",
					exportsFile, e.line, who, p))
			}
			out = append(out, e)
		}
	}
	return out, warnings
}

// readTable reads the export table.
func (m *Machine) readTable() []export {
	data, err := m.Disk.ReadFile(etabFile)
	if err != nil {
		return nil
	}
	var out []export
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		out = append(out, export{path: f[0], client: f[1], options: f[2]})
	}
	return out
}

// reexport is `exportfs -r`: the table becomes /etc/exports' entries
// whose directories exist. Messages go to io (nil: the journal, unseen).
func (m *Machine) reexport(s *sh.Shell, io *sh.IO) {
	data, _ := s.Files().ReadFile(exportsFile)
	entries, warnings := parseExports(string(data))
	say := func(msg string) {
		if io != nil {
			io.Err(s, "exportfs: "+msg+"\n")
		}
	}
	for _, w := range warnings {
		say(w)
	}
	var b strings.Builder
	for _, e := range entries {
		if info, err := s.Files().Stat(e.path); err != nil || !info.IsDir() {
			say("Failed to stat " + e.path + ": No such file or directory")
			continue
		}
		b.WriteString(e.path + "\t" + e.client + "\t" + e.options + "\n")
	}
	_ = s.Files().WriteFile(etabFile, []byte(b.String()), 0o644, time.Time{})
}

// ordered is the table in nfs-utils' order: by client type, and within a
// type each directory's entries together, the directory seen last first
// (its hash table prepends a new path).
func ordered(table []export) []export {
	var out []export
	for t := clientFQDN; t <= clientAnonymous; t++ {
		var paths []string
		byPath := map[string][]export{}
		for _, e := range table {
			if e.kind() != t {
				continue
			}
			if _, ok := byPath[e.path]; !ok {
				paths = append([]string{e.path}, paths...)
			}
			byPath[e.path] = append(byPath[e.path], e)
		}
		for _, p := range paths {
			out = append(out, byPath[p]...)
		}
	}
	return out
}

// progExportfs is nfs-utils' exportfs: -r (-a) re-exports /etc/exports,
// -u/-au unexport, and without arguments (or with -v) it lists the table.
func (m *Machine) progExportfs(s *sh.Shell, argv []string, io *sh.IO) error {
	flags := ""
	for _, a := range argv[1:] {
		if !strings.HasPrefix(a, "-") {
			io.Err(s, "exportfs: the simulation exports /etc/exports only: write the line there and run exportfs -r\n")
			s.SetStatus(1)
			return nil
		}
		flags += a[1:]
	}
	s.SetStatus(0)
	switch {
	case strings.Contains(flags, "u"):
		_ = s.Files().WriteFile(etabFile, nil, 0o644, time.Time{})
		return nil
	case strings.Contains(flags, "r") || strings.Contains(flags, "a"):
		m.reexport(s, io)
		if strings.Contains(flags, "v") {
			for _, e := range ordered(m.readTable()) {
				who := e.client
				if who == "" {
					who = "*"
				}
				io.Out(s, "exporting "+who+":"+e.path+"\n")
			}
		}
		return nil
	}
	var b strings.Builder
	for _, e := range ordered(m.readTable()) {
		who := e.client
		if e.kind() == clientAnonymous {
			who = "<world>"
		}
		if len(e.path) > 14 {
			b.WriteString(e.path + "\n\t\t" + who)
		} else {
			fmt.Fprintf(&b, "%-14s\t%s", e.path, who)
		}
		if strings.Contains(flags, "v") {
			b.WriteString("(" + verboseOptions(e) + ")")
		}
		b.WriteString("\n")
	}
	io.Out(s, b.String())
	return nil
}

// verboseOptions are an entry's options as exportfs -v lists them.
func verboseOptions(e export) string {
	var opts []string
	if e.readOnly() {
		opts = append(opts, "ro")
	} else {
		opts = append(opts, "rw")
	}
	has := func(o string) bool { return strings.Contains(","+e.options+",", ","+o+",") }
	if !has("async") {
		opts = append(opts, "sync")
	}
	opts = append(opts, "wdelay", "hide", "no_subtree_check", "sec=sys")
	if has("insecure") {
		opts = append(opts, "insecure")
	} else {
		opts = append(opts, "secure")
	}
	if has("no_root_squash") {
		opts = append(opts, "no_root_squash")
	} else {
		opts = append(opts, "root_squash")
	}
	return strings.Join(append(opts, "no_all_squash"), ",")
}

// progShowmount is showmount -e [HOST]: the export list mountd sends, "*"
// absorbing every other client of a directory ("(everyone)").
func (m *Machine) progShowmount(s *sh.Shell, argv []string, io *sh.IO) error {
	host := "localhost"
	e := false
	for _, a := range argv[1:] {
		switch {
		case a == "-e" || a == "--exports":
			e = true
		case strings.HasPrefix(a, "-"):
		default:
			host = a
		}
	}
	if !e {
		io.Err(s, "showmount: the simulation answers showmount -e only\n")
		s.SetStatus(1)
		return nil
	}
	server := m
	if host != "localhost" && host != m.Name && host != m.IP {
		server = nil
		if m.Peers != nil {
			server = m.Peers.Machine(host)
		}
	}
	switch {
	case server == nil && !looksLikeAddress(host):
		io.Err(s, "clnt_create: RPC: Unknown host\n")
		s.SetStatus(1)
		return nil
	case server == nil:
		if err := s.Sleep(rpcTimeout); err != nil {
			return err
		}
		io.Err(s, "clnt_create: RPC: Port mapper failure - Unable to receive: errno 113 (No route to host)\n")
		s.SetStatus(1)
		return nil
	case server.legacyNFS():
		io.Out(s, "Export list for "+host+":\n/ (everyone)\n")
		s.SetStatus(0)
		return nil
	case !server.Active("rpcbind"):
		io.Err(s, "clnt_create: RPC: Port mapper failure - Unable to receive: errno 111 (Connection refused)\n")
		s.SetStatus(1)
		return nil
	case !server.Active("nfs-server"):
		io.Err(s, "clnt_create: RPC: Program not registered\n")
		s.SetStatus(1)
		return nil
	}
	io.Out(s, "Export list for "+host+":\n"+exportList(server.readTable()))
	s.SetStatus(0)
	return nil
}

// rpcTimeout is how long an RPC to an address nobody answers waits.
const rpcTimeout = 3 * time.Second

// looksLikeAddress reports whether s is an IPv4 address.
func looksLikeAddress(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// exportList formats mountd's export list as showmount prints it: each
// directory once (the one met last first), its clients (each inserted
// first), an export to anyone absorbing the others ("(everyone)").
func exportList(table []export) string {
	type node struct {
		dir    string
		groups []string
	}
	var list []*node
	find := func(dir string) *node {
		for _, n := range list {
			if n.dir == dir {
				return n
			}
		}
		n := &node{dir: dir}
		list = append([]*node{n}, list...)
		return n
	}
	for _, e := range ordered(table) {
		n := find(e.path)
		if e.kind() == clientAnonymous && len(n.groups) > 0 {
			n.groups = nil
			continue
		}
		if e.client == "" || slices.Contains(n.groups, e.client) {
			continue
		}
		n.groups = append([]string{e.client}, n.groups...)
	}
	width := 0
	for _, n := range list {
		width = max(width, len(n.dir))
	}
	var b strings.Builder
	for _, n := range list {
		groups := strings.Join(n.groups, ",")
		if groups == "" {
			groups = "(everyone)"
		}
		fmt.Fprintf(&b, "%-*s %s\n", width, n.dir, groups)
	}
	return b.String()
}

// legacyNFS reports whether the machine is kubesim's stand-in server:
// nfs-utils was never installed there.
func (m *Machine) legacyNFS() bool { return !m.installed("nfs-utils") }

// NFS mount failures, worded as mount.nfs words them (after "mount.nfs: ").
var (
	ErrNFSTimeout = errors.New("Connection timed out")
	ErrNFSRefused = errors.New("Connection refused")
)

// ServeNFS is the machine's NFS server answering a mount of dir from the
// client at clientIP named clientName: whether it is read-only, or why it
// fails (mount.nfs's words).
func (m *Machine) ServeNFS(dir, clientIP, clientName string) (readOnly bool, err error) {
	dir = path.Clean("/" + dir)
	denied := fmt.Errorf("access denied by server while mounting %s:%s", m.IP, dir)
	if m.legacyNFS() {
		if info, err := m.Disk.Stat(dir); err != nil || !info.IsDir() {
			return false, denied
		}
		return false, nil
	}
	if !m.Active("nfs-server") {
		return false, ErrNFSRefused
	}
	for _, e := range ordered(m.readTable()) {
		if (e.path == dir || strings.HasPrefix(dir, strings.TrimSuffix(e.path, "/")+"/")) && e.allows(clientIP, clientName) {
			if info, err := m.Disk.Stat(dir); err != nil || !info.IsDir() {
				return false, fmt.Errorf("mounting %s:%s failed, reason given by server: No such file or directory", m.IP, dir)
			}
			return e.readOnly(), nil
		}
	}
	return false, denied
}

// itoa is strconv.Itoa.
func itoa(n int) string { return strconv.Itoa(n) }
