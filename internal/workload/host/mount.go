package host

import (
	"errors"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/sh"
)

// nfsMount is an NFS export a machine's shells mounted.
type nfsMount struct {
	server, dir, at string
	readOnly        bool
}

// mountHelperMissing is util-linux 2.23's message when mount.nfs is not
// installed (nfs-utils brings it).
const mountHelperMissing = `mount: wrong fs type, bad option, bad superblock on %s,
       missing codepage or helper program, or other error
       (for several filesystems (e.g. nfs, cifs) you might
       need a /sbin/mount.<type> helper program)

       In some cases useful info is found in syslog - try
       dmesg | tail or so.
`

// nfsMountTimeout is how long mount.nfs tries a server nobody answers for
// before giving up (its default retry of two minutes).
const nfsMountTimeout = 2 * time.Minute

// progMount is mount: `mount -t nfs SERVER:/DIR /MOUNTPOINT` (also
// without -t for a SERVER:/DIR source) mounts an export of another machine
// into this one's files; without arguments it lists the NFS mounts.
func (m *Machine) progMount(s *sh.Shell, argv []string, io *sh.IO) error {
	var args []string
	fstype := ""
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "-t" && i+1 < len(argv):
			i++
			fstype = argv[i]
		case a == "-o" && i+1 < len(argv):
			i++
		case strings.HasPrefix(a, "-"):
		default:
			args = append(args, a)
		}
	}
	s.SetStatus(0)
	if len(args) == 0 {
		var b strings.Builder
		for _, n := range m.nfs {
			mode := "rw"
			if n.readOnly {
				mode = "ro"
			}
			b.WriteString(n.server + ":" + n.dir + " on " + n.at + " type nfs4 (" + mode +
				",relatime,vers=4.1,rsize=524288,wsize=524288,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=" +
				m.IP + ",local_lock=none,addr=" + n.server + ")\n")
		}
		io.Out(s, b.String())
		return nil
	}
	if len(args) != 2 {
		io.Err(s, "mount: the simulation mounts NFS exports only: mount -t nfs SERVER:/DIR /MOUNTPOINT\n")
		s.SetStatus(1)
		return nil
	}
	source, at := args[0], s.Abs(args[1])
	server, dir, ok := strings.Cut(source, ":")
	if !ok || (fstype != "" && fstype != "nfs" && fstype != "nfs4") {
		io.Err(s, "mount: the simulation mounts NFS exports only: mount -t nfs SERVER:/DIR /MOUNTPOINT\n")
		s.SetStatus(32)
		return nil
	}
	if !m.installed("nfs-utils") {
		io.Err(s, strings.Replace(mountHelperMissing, "%s", source, 1))
		s.SetStatus(32)
		return nil
	}
	return m.mountNFS(s, io, server, dir, at)
}

// mountNFS mounts server:dir at the mount point, failing as mount.nfs does.
func (m *Machine) mountNFS(s *sh.Shell, io *sh.IO, server, dir, at string) error {
	fail := func(msg string) error {
		io.Err(s, "mount.nfs: "+msg+"\n")
		s.SetStatus(32)
		return nil
	}
	if info, err := s.Files().Stat(at); err != nil || !info.IsDir() {
		return fail("mount point " + at + " does not exist")
	}
	var peer *Machine
	if server == m.IP || server == m.Name {
		peer = m
	} else if m.Peers != nil {
		peer = m.Peers.Machine(server)
	}
	if peer == nil {
		if !looksLikeAddress(server) {
			return fail("Failed to resolve server " + server + ": Name or service not known")
		}
		if err := s.Sleep(nfsMountTimeout); err != nil {
			return err
		}
		return fail(ErrNFSTimeout.Error())
	}
	ro, err := peer.ServeNFS(dir, m.IP, m.Name)
	if errors.Is(err, ErrNFSRefused) {
		return fail(err.Error())
	}
	if err != nil {
		return fail(strings.Replace(err.Error(), peer.IP+":", server+":", 1))
	}
	if err := m.view.Mount(at, peer.Disk, dir, ro); err != nil {
		return fail(at + " is busy or already mounted")
	}
	m.nfs = append(m.nfs, nfsMount{server: server, dir: dir, at: at, readOnly: ro})
	return nil
}

// progUmount unmounts an NFS mount by its mount point or source.
func (m *Machine) progUmount(s *sh.Shell, argv []string, io *sh.IO) error {
	s.SetStatus(0)
	for _, a := range argv[1:] {
		if strings.HasPrefix(a, "-") {
			continue
		}
		target := a
		if !strings.Contains(a, ":") {
			target = s.Abs(a)
		}
		found := -1
		for i, n := range m.nfs {
			if n.at == target || n.server+":"+n.dir == a {
				found = i
			}
		}
		if found < 0 {
			io.Err(s, "umount: "+a+": not mounted\n")
			s.SetStatus(32)
			continue
		}
		_ = m.view.Unmount(m.nfs[found].at)
		m.nfs = append(m.nfs[:found], m.nfs[found+1:]...)
	}
	return nil
}
