// Package host is the machines of the simulated network as the tutorial's
// are: CentOS 7.9 minimal installs, administered from a bash 4.2 root
// shell.
//
// A [Machine] is a disk (its own filesystem: what its NFS server exports,
// what a node's hostPath volumes mount), the view its shells have of it
// (the disk and the NFS exports they mounted) and the machines it reaches
// ([Peers]). [Machine.Provision] writes a fresh install: /etc (hostname,
// hosts, passwd and group with polkitd at uid 999 and ssh_keys at gid 999,
// an empty exports), /root, /home, /mnt, /opt, /srv, /tmp, /var, the
// running services, a node's kubelet files and a control plane's static
// pod manifests (/etc/kubernetes/manifests/kube-apiserver.yaml as kubeadm
// writes it).
//
// # Programs
//
// [Machine.Userland] is package sh's standard commands, less what a
// minimal install lacks (bc, wget, nslookup), plus the machine's own:
//
//   - GNU ls (and the `ll` alias) with GNU's aligned columns, owners from
//     the machine's /etc/passwd, the locale's order of names, and Chinese
//     under LANG=zh_CN.UTF-8 as the tutorial's machines speak it;
//   - yum install: the packages it knows (nfs-utils and rpcbind with their
//     dependencies, wget, bind-utils, bc, vim-enhanced) are installed with
//     CentOS 7.9's versions and bring their commands; others get yum's own
//     "No package X available.";
//   - systemctl start|stop|restart|enable|disable|status|is-active for the
//     services that matter (nfs-server and its alias nfs, rpcbind,
//     kubelet, containerd, sshd...), their state kept in files;
//   - exportfs (-r reads /etc/exports into the export table, with
//     nfs-utils 1.3.0's warnings; no arguments lists it), showmount -e,
//     mount -t nfs SERVER:/DIR DIR and umount;
//   - vim and vi, which say plainly that the simulation has no editor and
//     how to write the file instead.
//
// Any other command is bash's "bash: X: command not found", status 127.
//
// # NFS
//
// [Machine.ServeNFS] is the machine's NFS server answering a mount: once
// nfs-utils is installed, only while nfs-server runs, only the export
// table's directories (and what lies below them), to the clients their
// lines allow (an address, a subnet, a wildcard, anyone), read-only unless
// the line says rw. A machine on which nfs-utils was never installed is
// kubesim's stand-in server: every directory to everyone, as kubesim's
// machines served before they were modelled.
//
// # Imports and determinism
//
// host imports the standard library, internal/vfs and package sh. Its
// state lives in the machine's files, so every shell and the simulation
// see the same; everything is a function of those files and the time.
package host
