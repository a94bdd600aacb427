package images

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload/sh"
)

// progNginx is nginx: with -g 'daemon off;' it logs its startup notices to
// stderr and serves until stopped; without it nginx daemonizes, so the
// container's main process exits at once with status 0. -v and -t print
// what nginx prints.
func progNginx(s *sh.Shell, argv []string, io *sh.IO) error {
	version := runningNginxVersion(s)
	args := strings.Join(argv[1:], " ")
	switch {
	case strings.Contains(args, "-v") || strings.Contains(args, "-V"):
		io.Err(s, "nginx version: nginx/"+version+"\n")
		s.SetStatus(0)
		return nil
	case strings.Contains(args, "-t"):
		io.Err(s, "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"+
			"nginx: configuration file /etc/nginx/nginx.conf test is successful\n")
		s.SetStatus(0)
		return nil
	case !strings.Contains(strings.ReplaceAll(args, " ", ""), "daemonoff"):
		s.SetStatus(0)
		return nil
	}
	if versionAtLeast(version, 1, 19) {
		stamp := s.Now().Format("2006/01/02 15:04:05")
		var b strings.Builder
		for _, n := range []string{
			`using the "epoll" event method`, "nginx/" + version, "built by gcc 12.2.0 (Debian 12.2.0-14) ",
			"OS: Linux 5.15.0", "getrlimit(RLIMIT_NOFILE): 1048576:1048576", "start worker processes",
			"start worker process 29", "start worker process 30",
		} {
			b.WriteString(stamp + " [notice] 1#1: " + n + "\n")
		}
		io.Err(s, b.String())
	}
	return s.Serve()
}

// runningNginxVersion is the version the image's environment names.
func runningNginxVersion(s *sh.Shell) string {
	if v, ok := s.Getenv("NGINX_VERSION"); ok && v != "" {
		return v
	}
	return latestNginx
}

// progEntrypoint is the docker-entrypoint.sh of the nginx and mysql images:
// it prepares the server and then runs its arguments.
func (img Image) progEntrypoint(s *sh.Shell, argv []string, io *sh.IO) error {
	args := argv[1:]
	switch img.Server {
	case Nginx:
		if len(args) > 0 && (args[0] == "nginx" || args[0] == "nginx-debug") {
			nginxEntrypointLog(s, io)
		}
	case MySQL:
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			args = append([]string{"mysqld"}, args...)
		}
		if args[0] == "mysqld" {
			return img.mysqlEntrypoint(s, args, io)
		}
	}
	if len(args) == 0 {
		s.SetStatus(0)
		return nil
	}
	return s.Exec(args, io)
}

func nginxEntrypointLog(s *sh.Shell, io *sh.IO) {
	lines := []string{
		"/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
		"/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
		"/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
		"10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
		"10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
	}
	if versionAtLeast(runningNginxVersion(s), 1, 25) {
		lines = append(lines, "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh")
	}
	lines = append(lines,
		"/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
		"/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
		"/docker-entrypoint.sh: Configuration complete; ready for start up")
	io.Out(s, strings.Join(lines, "\n")+"\n")
}

// mysqlDataDir is where the mysql image keeps its databases (usually a
// persistent volume in the tutorials).
const mysqlDataDir = "/var/lib/mysql"

// mysqlEntrypoint models the mysql image's entrypoint: it refuses to
// initialise without a root password setting, initialises an empty data
// directory (writing files there, so a volume remembers it), and then
// starts mysqld.
func (img Image) mysqlEntrypoint(s *sh.Shell, args []string, io *sh.IO) error {
	version := img.runningMysqlVersion(s)
	note := func(level, msg string) {
		line := s.Now().Format("2006-01-02 15:04:05+00:00") + " [" + level + "] [Entrypoint]: " + msg + "\n"
		if level == "ERROR" {
			io.Err(s, line)
		} else {
			io.Out(s, line)
		}
	}
	note("Note", "Entrypoint script for MySQL Server "+version+"-1.el8 started.")
	note("Note", "Switching to dedicated user 'mysql'")
	note("Note", "Entrypoint script for MySQL Server "+version+"-1.el8 started.")
	if _, err := s.Files().Stat(mysqlDataDir + "/mysql"); err == nil {
		return img.progMysqld(s, args, io)
	}
	if !hasAnyVar(s, "MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD") {
		note("ERROR", "Database is uninitialized and password option is not specified\n"+
			"    You need to specify one of the following as an environment variable:\n"+
			"    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD")
		s.SetStatus(1)
		return nil
	}
	if err := mysqlInitialize(s, version, note, io); err != nil {
		return err
	}
	return img.progMysqld(s, args, io)
}

func hasAnyVar(s *sh.Shell, names ...string) bool {
	for _, n := range names {
		if v, ok := s.Getenv(n); ok && v != "" {
			return true
		}
	}
	return false
}

// runningMysqlVersion is the version the image's environment names, or
// its tag's.
func (img Image) runningMysqlVersion(s *sh.Shell) string {
	if v, ok := s.Getenv("MYSQL_VERSION"); ok && v != "" {
		return v
	}
	return mysqlVersion(img.Tag)
}

// mysqlInitialize writes the data directory and logs the initialisation,
// which takes 15 virtual seconds.
func mysqlInitialize(s *sh.Shell, version string, note func(level, msg string), io *sh.IO) error {
	note("Note", "Initializing database files")
	io.Err(s, mysqldStamp(s)+" 0 [System] [MY-013169] [Server] /usr/sbin/mysqld (mysqld "+version+") initializing of server in progress as process 80\n")
	if err := s.Sleep(5 * time.Second); err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(s.Hostname()))
	uuid := fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	password, _ := s.Getenv("MYSQL_ROOT_PASSWORD")
	if err := writeMysqlDataDir(s, uuid, password); err != nil {
		io.Err(s, mysqldStamp(s)+" 0 [ERROR] [MY-010187] [Server] Could not open file '"+mysqlDataDir+"': "+sh.ErrnoText(err)+"\n")
		s.SetStatus(1)
		return sh.Exit(1)
	}
	note("Note", "Database files initialized")
	note("Note", "Starting temporary server")
	if err := s.Sleep(5 * time.Second); err != nil {
		return err
	}
	note("Note", "Temporary server started.")
	note("Note", "Stopping temporary server")
	if err := s.Sleep(5 * time.Second); err != nil {
		return err
	}
	note("Note", "Temporary server stopped")
	note("Note", "MySQL init process done. Ready for start up.")
	return nil
}

func mysqldStamp(s *sh.Shell) string {
	return s.Now().Format("2006-01-02T15:04:05.000000Z")
}

// mysqlDataFile is one file the server's initialisation writes.
type mysqlDataFile struct {
	name string
	mode fs.FileMode // fs.ModeDir marks a directory
	data string
}

// mysqlDataFiles lists what MySQL 5.7's --initialize leaves in the data
// directory (the tutorial's `ll /mnt/data`), with stand-in contents: the
// real files are megabytes of InnoDB pages and generated keys.
func mysqlDataFiles(uuid, password string) []mysqlDataFile {
	const key, cert = "-----BEGIN RSA PRIVATE KEY-----\n(simulated)\n-----END RSA PRIVATE KEY-----\n",
		"-----BEGIN CERTIFICATE-----\n(simulated)\n-----END CERTIFICATE-----\n"
	return []mysqlDataFile{
		{"mysql", fs.ModeDir | 0o750, ""},
		{"performance_schema", fs.ModeDir | 0o750, ""},
		{"sys", fs.ModeDir | 0o750, ""},
		{"auto.cnf", 0o640, "[auto]\nserver-uuid=" + uuid + "\n"},
		{"ca-key.pem", 0o600, key},
		{"ca.pem", 0o644, cert},
		{"client-cert.pem", 0o644, cert},
		{"client-key.pem", 0o600, key},
		{"ib_buffer_pool", 0o640, "0,1\n"},
		{"ibdata1", 0o640, "simulated InnoDB system tablespace\n"},
		{"ib_logfile0", 0o640, "simulated InnoDB redo log\n"},
		{"ib_logfile1", 0o640, "simulated InnoDB redo log\n"},
		{mysqlTempTablespace, 0o640, "simulated InnoDB temporary tablespace\n"},
		{"private_key.pem", 0o600, key},
		{"public_key.pem", 0o644, "-----BEGIN PUBLIC KEY-----\n(simulated)\n-----END PUBLIC KEY-----\n"},
		{"server-cert.pem", 0o644, cert},
		{"server-key.pem", 0o600, key},
		{"mysql/user.MYD", 0o640, mysqlUserTable(password)},
	}
}

// writeMysqlDataDir writes the initialised data directory.
func writeMysqlDataDir(s *sh.Shell, uuid, password string) error {
	fsys := s.Files()
	if err := fsys.MkdirAll(mysqlDataDir, 0o755, time.Time{}); err != nil {
		return err
	}
	for _, f := range mysqlDataFiles(uuid, password) {
		name := mysqlDataDir + "/" + f.name
		var err error
		if f.mode.IsDir() {
			err = fsys.MkdirAll(name, f.mode.Perm(), time.Time{})
		} else {
			err = fsys.WriteFile(name, []byte(f.data), f.mode.Perm(), time.Time{})
		}
		if err != nil {
			return err
		}
		_ = fsys.Chown(name, mysqlUID, mysqlUID)
	}
	return nil
}

// mysqlUID is the mysql user's (and group's) id in the image: the server
// writes its files as it, which a host mounting the volume shows as its
// own user 999 (CentOS 7's polkitd and ssh_keys, in the tutorial's ll).
const mysqlUID = 999

// Stopped is what an image's server leaves in its files when SIGTERM
// stops it cleanly, at at. mysqld (InnoDB's slow shutdown) dumps the
// buffer pool's page list to ib_buffer_pool, checkpoints into ibdata1 and
// ib_logfile0, and removes its temporary tablespace ibtmp1: the
// tutorial's `ll /mnt/data-3` after `kubectl delete` lists no ibtmp1.
// Other servers leave nothing; a missing data directory is no error.
func (img Image) Stopped(fsys vfs.Filesystem, at time.Time) {
	if img.Server != MySQL {
		return
	}
	if _, err := fsys.Stat(mysqlDataDir + "/ibdata1"); err != nil {
		return
	}
	_ = fsys.RemoveAll(mysqlDataDir + "/" + mysqlTempTablespace)
	pool := mysqlDataDir + "/ib_buffer_pool"
	if err := fsys.WriteFile(pool, []byte(mysqlBufferPoolDump), 0o640, at); err == nil {
		_ = fsys.Chown(pool, mysqlUID, mysqlUID)
	}
	for _, f := range []string{"ibdata1", "ib_logfile0"} {
		_ = fsys.Touch(mysqlDataDir+"/"+f, at)
	}
}

// mysqlTempTablespace is InnoDB's temporary tablespace file, made at
// every start and removed at a clean shutdown.
const mysqlTempTablespace = "ibtmp1"

// mysqlBufferPoolDump stands in for the (space, page) list a shutdown
// dumps.
const mysqlBufferPoolDump = "0,7\n0,1\n0,3\n0,2\n0,4\n0,11\n0,12\n0,5\n"

// createTempTablespace makes ibtmp1 as mysqld does at start, when an
// earlier clean shutdown removed it.
func createTempTablespace(s *sh.Shell) {
	name := mysqlDataDir + "/" + mysqlTempTablespace
	if _, err := s.Files().Stat(mysqlDataDir + "/ibdata1"); err != nil {
		return
	}
	if _, err := s.Files().Stat(name); err == nil {
		return
	}
	if err := s.Files().WriteFile(name, []byte("simulated InnoDB temporary tablespace\n"), 0o640, time.Time{}); err == nil {
		_ = s.Files().Chown(name, mysqlUID, mysqlUID)
	}
}

// progMysqld is the server: it starts in a second and runs until stopped.
func (img Image) progMysqld(s *sh.Shell, argv []string, io *sh.IO) error {
	version := img.runningMysqlVersion(s)
	for _, a := range argv[1:] {
		if a == "--version" || a == "-V" {
			io.Out(s, "/usr/sbin/mysqld  Ver "+version+" for Linux on x86_64 (MySQL Community Server - GPL)\n")
			s.SetStatus(0)
			return nil
		}
	}
	io.Err(s, mysqldStamp(s)+" 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld "+version+") starting as process 1\n")
	createTempTablespace(s)
	if err := s.Sleep(time.Second); err != nil {
		return err
	}
	io.Err(s, mysqldStamp(s)+" 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '"+
		version+"'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n")
	return s.Serve()
}
