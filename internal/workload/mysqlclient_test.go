package workload

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/internal/vfs"
)

// The tutorial's password and its mysql_native_password hash
// (SELECT PASSWORD('QianFeng@123!') on MySQL 5.7 computes the same SHA1(SHA1())).
const tutorialPassword = "QianFeng@123!"

// initMysql runs the mysql image's entrypoint until its data directory is
// written and returns the container's files.
func initMysql(t *testing.T) *vfs.FS {
	t.Helper()
	img := LookupImage("mysql:5.7")
	fsys := img.RootFS(testStart)
	proc := Process{Argv: ResolveArgv(img, nil, nil), Env: []EnvVar{{"MYSQL_ROOT_PASSWORD", tutorialPassword}},
		Hostname: "mysql-0", FS: fsys, Start: testStart, Image: img}
	res := Run(proc, time.Minute)
	for _, w := range res.Writes {
		require.NoError(t, w.Apply(fsys, testStart))
	}
	return fsys
}

// mysqlRun runs the client in the container and returns stdout, stderr and the exit code.
func mysqlRun(t *testing.T, fsys *vfs.FS, stdin string, args ...string) (string, string, int) {
	t.Helper()
	proc := Process{Argv: append([]string{"mysql"}, args...), Hostname: "mysql-0", FS: fsys, Start: testStart,
		Stdin: stdin, Image: LookupImage("mysql:5.7")}
	res := Run(proc, time.Minute)
	for _, w := range res.Writes {
		require.NoError(t, w.Apply(fsys, testStart))
	}
	var out, errs strings.Builder
	for _, l := range res.Output {
		if l.Stream == Stderr {
			errs.WriteString(l.Text + "\n")
		} else {
			out.WriteString(l.Text + "\n")
		}
	}
	return out.String(), errs.String(), res.ExitCode
}

func TestMysqlPasswordHash(t *testing.T) {
	// MySQL's documented example: PASSWORD('mypass').
	assert.Equal(t, "*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4", mysqlPasswordHash("mypass"))
	assert.Equal(t, "", mysqlPasswordHash(""))
}

func TestMysqlDataDirectory(t *testing.T) {
	fsys := initMysql(t)
	infos, err := fsys.ReadDir(mysqlDataDir)
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
	assert.Equal(t, mysqlPasswordWarning+"\n", errs)
	_, err := fsys.Stat(mysqlDataDir + "/test1")
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
	_, err = fsys.Stat(mysqlDataDir + "/test1")
	assert.NoError(t, err, "the client stops at the first error")

	_, _, code = mysqlRun(t, fsys, "", "-uroot", "-p"+tutorialPassword, "-e", "drop database test1")
	assert.Equal(t, 0, code)
	_, err = fsys.Stat(mysqlDataDir + "/test1")
	assert.Error(t, err)
}

func TestMysqlClientAccessDenied(t *testing.T) {
	fsys := initMysql(t)
	_, errs, code := mysqlRun(t, fsys, "", "-uroot", "-pwrong", "-e", "show databases")
	assert.Equal(t, 1, code)
	assert.Equal(t, mysqlPasswordWarning+"\nERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\n", errs)
	_, errs, code = mysqlRun(t, fsys, "", "-uroot", "-e", "show databases")
	assert.Equal(t, 1, code)
	assert.Equal(t, "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: NO)\n", errs)
}

func TestMysqlClientNoServer(t *testing.T) {
	img := LookupImage("mysql:5.7")
	_, errs, code := mysqlRun(t, img.RootFS(testStart), "", "-uroot", "-px", "-e", "show databases")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)")
}
