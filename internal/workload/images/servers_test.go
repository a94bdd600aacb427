package images_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/vfs"
	"github.com/kubesim/kubesim/internal/workload"
	"github.com/kubesim/kubesim/internal/workload/images"
)

// The tutorial's password and its mysql_native_password hash
// (SELECT PASSWORD('QianFeng@123!') on MySQL 5.7 computes the same SHA1(SHA1())).
const tutorialPassword = "QianFeng@123!"

// initMysql runs the mysql image's entrypoint until its data directory is
// written and returns the container's files.
func initMysql(t *testing.T) *vfs.FS {
	t.Helper()
	img := images.Lookup("mysql:5.7")
	fsys := img.RootFS(testStart)
	proc := workload.Process{Argv: images.ResolveArgv(img, nil, nil), Env: []workload.EnvVar{{Name: "MYSQL_ROOT_PASSWORD", Value: tutorialPassword}},
		Hostname: "mysql-0", FS: fsys, Start: testStart, Image: img}
	res := workload.Run(proc, time.Minute)
	for _, w := range res.Writes {
		require.NoError(t, w.Apply(fsys, testStart))
	}
	return fsys
}

// mysqlRun runs the client in the container and returns stdout, stderr and the exit code.
func mysqlRun(t *testing.T, fsys *vfs.FS, stdin string, args ...string) (string, string, int) {
	t.Helper()
	proc := workload.Process{Argv: append([]string{"mysql"}, args...), Hostname: "mysql-0", FS: fsys, Start: testStart,
		Stdin: stdin, Image: images.Lookup("mysql:5.7")}
	res := workload.Run(proc, time.Minute)
	for _, w := range res.Writes {
		require.NoError(t, w.Apply(fsys, testStart))
	}
	var out, errs strings.Builder
	for _, l := range res.Output {
		if l.Stream == workload.Stderr {
			errs.WriteString(l.Text + "\n")
		} else {
			out.WriteString(l.Text + "\n")
		}
	}
	return out.String(), errs.String(), res.ExitCode
}

func TestMysqlDataDirectory(t *testing.T) {
	fsys := initMysql(t)
	infos, err := fsys.ReadDir("/var/lib/mysql")
	require.NoError(t, err)
	var names []string
	for _, i := range infos {
		names = append(names, i.Name)
	}
	// The tutorial's `ll /mnt/data`.
	assert.Equal(t, []string{"auto.cnf", "ca-key.pem", "ca.pem", "client-cert.pem", "client-key.pem",
		"ib_buffer_pool", "ib_logfile0", "ib_logfile1", "ibdata1", "ibtmp1", "mysql", "performance_schema",
		"private_key.pem", "public_key.pem", "server-cert.pem", "server-key.pem", "sys"}, names)
}

func TestMysqlClientDatabases(t *testing.T) {
	fsys := initMysql(t)
	out, errs, code := mysqlRun(t, fsys, "", "-uroot", "-p"+tutorialPassword, "-e", "create database test1")
	assert.Equal(t, 0, code)
	assert.Equal(t, "", out)
	assert.Equal(t, passwordWarning+"\n", errs)
	_, err := fsys.Stat("/var/lib/mysql/test1")
	assert.NoError(t, err, "a database is a directory of the data directory")

	out, _, code = mysqlRun(t, fsys, "", "-uroot", "-p"+tutorialPassword, "-e", "show databases;")
	assert.Equal(t, 0, code)
	assert.Equal(t, `+--------------------+
| Database           |
+--------------------+
| information_schema |
| mysql              |
| performance_schema |
| sys                |
| test1              |
+--------------------+
`, out)

	out, _, code = mysqlRun(t, fsys, "show databases;\n", "-uroot", "-p"+tutorialPassword)
	assert.Equal(t, 0, code)
	assert.Equal(t, "Database\ninformation_schema\nmysql\nperformance_schema\nsys\ntest1\n", out, "batch mode is tab-separated")

	_, errs, code = mysqlRun(t, fsys, "", "-uroot", "-p"+tutorialPassword, "-e", "create database test1; drop database test1")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "ERROR 1007 (HY000) at line 1: Can't create database 'test1'; database exists\n")
	_, err = fsys.Stat("/var/lib/mysql/test1")
	assert.NoError(t, err, "the client stops at the first error")

	_, _, code = mysqlRun(t, fsys, "", "-uroot", "-p"+tutorialPassword, "-e", "drop database test1")
	assert.Equal(t, 0, code)
	_, err = fsys.Stat("/var/lib/mysql/test1")
	assert.Error(t, err)
}

func TestMysqlClientAccessDenied(t *testing.T) {
	fsys := initMysql(t)
	_, errs, code := mysqlRun(t, fsys, "", "-uroot", "-pwrong", "-e", "show databases")
	assert.Equal(t, 1, code)
	assert.Equal(t, passwordWarning+"\nERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\n", errs)
	_, errs, code = mysqlRun(t, fsys, "", "-uroot", "-e", "show databases")
	assert.Equal(t, 1, code)
	assert.Equal(t, "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: NO)\n", errs)
}

func TestMysqlClientNoServer(t *testing.T) {
	img := images.Lookup("mysql:5.7")
	_, errs, code := mysqlRun(t, img.RootFS(testStart), "", "-uroot", "-px", "-e", "show databases")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)")
}

func TestServersRunUntilHorizon(t *testing.T) {
	img := images.Lookup("nginx")
	p := workload.Process{Argv: images.ResolveArgv(img, nil, nil), Image: img, Start: testStart}
	for _, h := range []time.Duration{0, time.Minute, 24 * time.Hour} {
		res := workload.Run(p, h)
		assert.False(t, res.Exited)
		assert.Equal(t, workload.StopHorizon, res.Stop)
		assert.Len(t, res.Output, 17)
	}
	// The mysql data directory survives in a volume: a second start skips
	// initialisation.
	my := images.Lookup("mysql")
	p = workload.Process{Argv: images.ResolveArgv(my, nil, nil), Image: my, Start: testStart, Env: []workload.EnvVar{{Name: "MYSQL_ROOT_PASSWORD", Value: "x"}}}
	first := workload.Run(p, time.Minute)
	root := my.RootFS(testStart)
	for _, w := range first.Writes {
		require.NoError(t, w.Apply(root, testStart))
	}
	p.FS = root
	second := workload.Run(p, time.Minute)
	assert.NotContains(t, streamText(second.Output, workload.Stdout), "Initializing database files")
	assert.Contains(t, streamText(second.Output, workload.Stderr), "ready for connections")
	assert.Equal(t, time.Second, second.Output[len(second.Output)-1].Offset)
}

var testStart = time.Date(2023, 12, 22, 0, 1, 0, 0, time.UTC)

// streamText joins a stream's lines back into the text the process wrote.
func streamText(out []workload.Line, s workload.Stream) string {
	var b strings.Builder
	for _, l := range out {
		if l.Stream == s {
			b.WriteString(l.Text)
			if !l.Partial {
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

// passwordWarning is what the mysql client prints for a password on its
// command line.
const passwordWarning = "mysql: [Warning] Using a password on the command line interface can be insecure."

// A clean shutdown (SIGTERM) leaves mysqld's data directory as the
// tutorial's `ll /mnt/data-3` after `kubectl delete` shows it: no ibtmp1,
// ib_buffer_pool, ibdata1 and ib_logfile0 written at the stop; the next
// start makes ibtmp1 again. nginx leaves nothing.
func TestMysqlCleanShutdownAndRestart(t *testing.T) {
	fsys := initMysql(t)
	img := images.Lookup("mysql:5.7")
	stop := testStart.Add(10 * time.Minute)
	images.Lookup("nginx").Stopped(fsys, stop)
	_, err := fsys.Stat("/var/lib/mysql/ibtmp1")
	require.NoError(t, err, "nginx's stop touches nothing of mysql's")

	img.Stopped(fsys, stop)
	_, err = fsys.Stat("/var/lib/mysql/ibtmp1")
	assert.Error(t, err, "the temporary tablespace is removed")
	for _, f := range []string{"ib_buffer_pool", "ibdata1", "ib_logfile0"} {
		info, err := fsys.Stat("/var/lib/mysql/" + f)
		require.NoError(t, err)
		assert.Equal(t, stop, info.ModTime, f)
	}
	info, err := fsys.Stat("/var/lib/mysql/ib_logfile1")
	require.NoError(t, err)
	assert.NotEqual(t, stop, info.ModTime, "the second redo log is not written")

	proc := workload.Process{Argv: images.ResolveArgv(img, nil, nil), Env: []workload.EnvVar{{Name: "MYSQL_ROOT_PASSWORD", Value: tutorialPassword}},
		Hostname: "mysql-0", FS: fsys, Start: stop, Image: img}
	res := workload.Run(proc, time.Minute)
	for _, w := range res.Writes {
		require.NoError(t, w.Apply(fsys, stop))
	}
	_, err = fsys.Stat("/var/lib/mysql/ibtmp1")
	assert.NoError(t, err, "a start makes it again")
}
