package images

import (
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/sh"
)

// ServerKind says which long-running server an image's default command is.
type ServerKind int

const (
	// NoServer is an image whose default command is not a server.
	NoServer ServerKind = iota
	// Nginx is the nginx web server.
	Nginx
	// MySQL is the MySQL database server.
	MySQL
)

// String names the server kind.
func (k ServerKind) String() string {
	switch k {
	case Nginx:
		return "nginx"
	case MySQL:
		return "mysql"
	}
	return "none"
}

// Image is what the simulator knows about a container image.
type Image struct {
	// Ref is the reference as written in the pod spec, e.g. "nginx:1.14.2".
	Ref string
	// Name is the repository without registry or tag, e.g. "nginx".
	Name string
	// Tag is the tag ("latest" when none was given).
	Tag string
	// Entrypoint and Cmd are the image's ENTRYPOINT and CMD.
	Entrypoint, Cmd []string
	// Env is the environment the image sets (PATH comes first).
	Env []sh.EnvVar
	// Server is the server its default command runs, if any.
	Server ServerKind
	// SizeBytes is the image's size, for pull times and node disk use.
	SizeBytes int64
	// Files are files the image ships, by absolute path.
	Files map[string]string
	// Lacks names commands this image does not have (ubuntu has no bc).
	Lacks []string
	// Shell is the shell dialect of its /bin/sh: "busybox", "dash" or "bash".
	Shell string
}

// DefaultPath is the PATH of the images modelled here.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// nginxIndex is the stock page of the nginx image.
const nginxIndex = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`

// latestNginx is the version "nginx" and "nginx:latest" run.
const latestNginx = "1.25.3"

// Lookup returns what the simulator knows about an image reference.
// Unknown images get a busybox-like userland, the command "sh" and a small
// size, so that any image a manifest names can run.
func Lookup(ref string) Image {
	name, tag := splitImageRef(ref)
	img := Image{Ref: ref, Name: name, Tag: tag, Cmd: []string{"sh"}, SizeBytes: 5 << 20,
		Env: []sh.EnvVar{{Name: "PATH", Value: DefaultPath}}, Shell: "busybox"}
	switch name {
	case "nginx":
		return nginxImage(img)
	case "mysql":
		img.Entrypoint = []string{"docker-entrypoint.sh"}
		img.Cmd = []string{"mysqld"}
		img.Server = MySQL
		img.SizeBytes = 600 << 20
		img.Shell = "bash"
		img.Env = append(img.Env, sh.EnvVar{Name: "MYSQL_MAJOR", Value: mysqlMajor(tag)}, sh.EnvVar{Name: "MYSQL_VERSION", Value: mysqlVersion(tag)})
		img.Lacks = []string{"bc"}
	case "busybox":
		img.SizeBytes = 4_300_000
		img.Lacks = []string{"curl", "bash"}
	case "ubuntu", "debian":
		img.Cmd = []string{"/bin/bash"}
		img.SizeBytes = 78 << 20
		img.Shell = "dash"
		img.Lacks = []string{"bc"}
	case "external_storage/nfs-client-provisioner", "sig-storage/nfs-subdir-external-provisioner":
		// The NFS provisioner is a Go binary that runs until stopped; its
		// work is modelled by the provisioner controller, not here.
		img.Cmd = []string{"sleep", "infinity"}
		img.SizeBytes = 18 << 20
	case "build-image/debian-base":
		// Kubernetes' minimal Debian, the PV recycler's image: dash, GNU
		// coreutils and findutils, nothing networked.
		img.Cmd = []string{"/bin/sh"}
		img.SizeBytes = 29 << 20
		img.Shell = "dash"
		img.Lacks = []string{"bc", "curl", "wget", "nslookup"}
	case "resouer/ubuntu-bc":
		img.Cmd = []string{"/bin/bash"}
		img.SizeBytes = 210 << 20
		img.Shell = "dash"
	}
	return img
}

// splitImageRef returns the repository (without a docker.io/library/ or
// daocloud.io/library/ style prefix) and the tag.
func splitImageRef(ref string) (string, string) {
	name, tag := ref, "latest"
	if at := strings.IndexByte(name, '@'); at >= 0 {
		name, tag = name[:at], name[at+1:]
	} else if colon := strings.LastIndexByte(name, ':'); colon > strings.LastIndexByte(name, '/') {
		name, tag = name[:colon], name[colon+1:]
	}
	parts := strings.Split(name, "/")
	if len(parts) > 1 && (strings.ContainsAny(parts[0], ".:") || parts[0] == "localhost") {
		parts = parts[1:]
	}
	if len(parts) == 2 && parts[0] == "library" {
		parts = parts[1:]
	}
	return strings.Join(parts, "/"), tag
}

func nginxImage(img Image) Image {
	img.Server = Nginx
	img.SizeBytes = 187 << 20
	img.Shell = "dash"
	img.Lacks = []string{"bc", "nslookup", "wget"} // Debian-based: curl, no busybox applets
	version := nginxVersion(img.Tag)
	img.Env = append(img.Env, sh.EnvVar{Name: "NGINX_VERSION", Value: version})
	img.Cmd = []string{"nginx", "-g", "daemon off;"}
	// Images before 1.19 had no entrypoint script.
	if versionAtLeast(version, 1, 19) {
		img.Entrypoint = []string{"/docker-entrypoint.sh"}
	}
	img.Files = map[string]string{
		"/usr/share/nginx/html/index.html": nginxIndex,
		"/usr/share/nginx/html/50x.html":   "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n",
		"/etc/nginx/conf.d/default.conf":   "server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n",
	}
	return img
}

// nginxVersion reads the nginx version from a tag like "1.14.2" or
// "1.25-alpine"; other tags run the latest version.
func nginxVersion(tag string) string {
	v, _, _ := strings.Cut(tag, "-")
	if v == "" || strings.Trim(v, "0123456789.") != "" || strings.Count(v, ".") == 0 {
		return latestNginx
	}
	if strings.Count(v, ".") == 1 {
		v += ".0"
	}
	return v
}

// versionAtLeast compares the major and minor numbers of a dotted version.
func versionAtLeast(v string, major, minor int) bool {
	parts := strings.Split(v, ".")
	num := func(i int) int {
		n := 0
		if i < len(parts) {
			for _, c := range parts[i] {
				n = n*10 + int(c-'0')
				if n > 1<<20 {
					break
				}
			}
		}
		return n
	}
	return num(0) > major || num(0) == major && num(1) >= minor
}

func mysqlMajor(tag string) string {
	v := mysqlVersion(tag)
	parts := strings.SplitN(v, ".", 3)
	return parts[0] + "." + parts[1]
}

func mysqlVersion(tag string) string {
	switch {
	case strings.HasPrefix(tag, "5.6"):
		return "5.6.51"
	case strings.HasPrefix(tag, "5.7"):
		return "5.7.44"
	case strings.HasPrefix(tag, "8.0"):
		return "8.0.35"
	}
	return "8.2.0"
}

// ResolveArgv applies Kubernetes' rules for a container's command: command
// replaces the image's entrypoint and args replace its cmd; a command given
// without args drops the image's cmd.
func ResolveArgv(img Image, command, args []string) []string {
	switch {
	case len(command) > 0:
		return append(append([]string(nil), command...), args...)
	case len(args) > 0:
		return append(append([]string(nil), img.Entrypoint...), args...)
	}
	return append(append([]string(nil), img.Entrypoint...), img.Cmd...)
}

// RootFS builds the image's root filesystem: the usual directories of a
// Linux image (/tmp and /var/tmp sticky and world-writable) and the files
// the image ships, all stamped mtime. The tree is built when something
// first looks at it (vfs.NewDeferred): most containers never do.
func (img Image) RootFS(mtime time.Time) *vfs.FS {
	return vfs.NewDeferred(func(f *vfs.FS) { img.buildRoot(f, mtime) })
}

// buildRoot fills the fresh root f as RootFS describes.
func (img Image) buildRoot(f *vfs.FS, mtime time.Time) {
	_ = f.Touch("/", mtime)
	for _, d := range []string{"/bin", "/dev", "/etc", "/home", "/proc", "/root", "/run", "/sbin", "/sys",
		"/usr/bin", "/usr/local/bin", "/usr/sbin", "/var/log", "/var/run", "/var/lib"} {
		// The paths are constant and absolute under a fresh root: no error.
		_ = f.MkdirAll(d, 0o755, mtime)
	}
	for _, d := range []string{"/tmp", "/var/tmp"} {
		_ = f.MkdirAll(d, 0o777, mtime)
		_ = f.Chmod(d, 0o777|fs.ModeSticky)
	}
	_ = f.Chmod("/root", 0o700)
	_ = f.WriteFile("/etc/passwd", []byte("root:x:0:0:root:/root:/bin/sh\n"), 0o644, mtime)
	_ = f.WriteFile("/etc/group", []byte("root:x:0:\n"), 0o644, mtime)
	paths := make([]string, 0, len(img.Files))
	for p := range img.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := f.MkdirAll(path.Dir(p), 0o755, mtime); err == nil {
			_ = f.WriteFile(p, []byte(img.Files[p]), 0o644, mtime)
		}
	}
}

// Userland is the image's system as its shells see it: its /bin/sh, the
// standard programs it does not lack, and its servers and their clients.
func (img Image) Userland() sh.Userland {
	return sh.Userland{Shell: img.Shell, Lookup: img.program}
}

// program returns the program name runs in the image, if it has one.
func (img Image) program(name string) (sh.Program, bool) {
	for _, l := range img.Lacks {
		if l == name {
			return nil, false
		}
	}
	switch name {
	case "nginx":
		return progNginx, img.Server == Nginx
	case "mysqld":
		return img.progMysqld, img.Server == MySQL
	case "mysql":
		return img.progMysql, img.Server == MySQL
	case "docker-entrypoint.sh":
		return img.progEntrypoint, img.Server != NoServer
	}
	return sh.Standard(name)
}
