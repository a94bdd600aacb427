package images

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/internal/workload/sh"
)

// This file is the mysql command-line client of the mysql image, talking to
// the container's own server. The server's state is its data directory: the
// root password's hash (written when the entrypoint initialises the
// directory) and one directory per database, as MySQL keeps them, so a
// database created through the client shows on the volume behind
// /var/lib/mysql.
//
// Output follows the client's modes: with -e (kubesim assumes the terminal
// `kubectl exec -it` gives) results are boxed tables; statements read from
// standard input (batch mode) print tab-separated results. Batch and -e
// modes print no "rows in set" summaries and stop at the first error,
// reported with its line.

// Messages of the mysql client and server, as MySQL prints them.
const (
	mysqlPasswordWarning = "mysql: [Warning] Using a password on the command line interface can be insecure."
	mysqlAccessDenied    = "ERROR 1045 (28000): Access denied for user '%s'@'localhost' (using password: %s)"
	mysqlNoServer        = "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)"
	mysqlDBExists        = "ERROR 1007 (HY000) at line %d: Can't create database '%s'; database exists"
	mysqlDBMissing       = "ERROR 1008 (HY000) at line %d: Can't drop database '%s'; database doesn't exist"
	mysqlUnknownDB       = "ERROR 1049 (42000) at line %d: Unknown database '%s'"
	mysqlNoDBSelected    = "ERROR 1046 (3D000) at line %d: No database selected"
	mysqlSyntaxError     = "ERROR 1064 (42000) at line %d: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '%s' at line 1"
	// mysqlUserFile holds the accounts' password hashes in kubesim's data
	// directory (MySQL 5.7 keeps its user table in mysql/user.MYD).
	mysqlUserFile = mysqlDataDir + "/mysql/user.MYD"
)

// mysqlSystemDatabases are shown by SHOW DATABASES without being
// directories of the data directory.
var mysqlSystemDatabases = []string{"information_schema"}

// mysqlPasswordHash is MySQL's mysql_native_password hash:
// "*" and the upper-case hex of SHA1(SHA1(password)); empty for no password.
func mysqlPasswordHash(password string) string {
	if password == "" {
		return ""
	}
	first := sha1.Sum([]byte(password))
	second := sha1.Sum(first[:])
	return "*" + strings.ToUpper(hex.EncodeToString(second[:]))
}

// mysqlUserTable is the content of the user file: one "user\thost\thash" line per account.
func mysqlUserTable(password string) string {
	hash := mysqlPasswordHash(password)
	return "root\t%\t" + hash + "\nroot\tlocalhost\t" + hash + "\n"
}

// mysqlOptions are the client's command-line options kubesim reads.
type mysqlOptions struct {
	user        string
	password    string
	hasPassword bool
	execute     string
	hasExecute  bool
	database    string
	table       bool // -t: boxed tables even in batch mode
}

// parseMysqlArgs reads the client's options: -uUSER/-u USER/--user=,
// -pPASS/--password=, -e SQL/--execute=, -h/-P (ignored), -t and a
// database name.
func parseMysqlArgs(args []string) mysqlOptions {
	o := mysqlOptions{user: "root"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "-u" || a == "--user":
			o.user = next()
		case strings.HasPrefix(a, "--user="):
			o.user = strings.TrimPrefix(a, "--user=")
		case strings.HasPrefix(a, "-u"):
			o.user = a[2:]
		case strings.HasPrefix(a, "--password="):
			o.password, o.hasPassword = strings.TrimPrefix(a, "--password="), true
		case strings.HasPrefix(a, "-p") && len(a) > 2:
			o.password, o.hasPassword = a[2:], true
		case a == "-e" || a == "--execute":
			o.execute, o.hasExecute = next(), true
		case strings.HasPrefix(a, "--execute="):
			o.execute, o.hasExecute = strings.TrimPrefix(a, "--execute="), true
		case strings.HasPrefix(a, "-e"):
			o.execute, o.hasExecute = a[2:], true
		case a == "-h" || a == "-P" || a == "--host" || a == "--port":
			next()
		case a == "-t" || a == "--table":
			o.table = true
		case strings.HasPrefix(a, "-"):
			// other options (-h127.0.0.1, -P3306, --protocol=...) change nothing here
		default:
			o.database = a
		}
	}
	return o
}

// progMysql is the mysql client.
func (img Image) progMysql(s *sh.Shell, argv []string, io *sh.IO) error {
	o := parseMysqlArgs(argv[1:])
	if o.hasPassword {
		io.Err(s, mysqlPasswordWarning+"\n")
	}
	fsys := s.Files()
	users, err := fsys.ReadFile(mysqlUserFile)
	if err != nil || img.Server != MySQL {
		return mysqlFail(s, io, mysqlNoServer)
	}
	if !mysqlAuthenticates(string(users), o.user, o.password) {
		using := "NO"
		if o.password != "" {
			using = "YES"
		}
		return mysqlFail(s, io, fmt.Sprintf(mysqlAccessDenied, o.user, using))
	}
	m := &mysqlSession{sh: s, io: io, db: o.database, table: o.table || o.hasExecute, version: img.runningMysqlVersion(s)}
	if m.db != "" && !m.exists(m.db) {
		return mysqlFail(s, io, strings.Replace(fmt.Sprintf(mysqlUnknownDB, 0, m.db), " at line 0", "", 1))
	}
	if !o.hasExecute && io.FromTerminal(s) {
		return m.monitor()
	}
	sql := o.execute
	if !o.hasExecute {
		if sql, err = io.ReadAll(s); err != nil {
			return err
		}
	}
	s.SetStatus(0)
	for i, stmt := range splitStatements(sql) {
		if stop := m.exec(stmt, i+1); stop {
			break
		}
	}
	return nil
}

// mysqlFail prints an error on stderr and exits 1.
func mysqlFail(s *sh.Shell, io *sh.IO, msg string) error {
	io.Err(s, msg+"\n")
	s.SetStatus(1)
	return nil
}

// mysqlAuthenticates checks user and password against the user table.
func mysqlAuthenticates(table, user, password string) bool {
	want := mysqlPasswordHash(password)
	for _, line := range strings.Split(table, "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 3 && f[0] == user && f[1] == "localhost" {
			return f[2] == want
		}
	}
	return false
}

// splitStatements splits SQL text at semicolons outside quotes, dropping
// empty statements.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	for _, r := range sql {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"' || r == '`':
			quote = r
		case r == ';':
			if s := strings.TrimSpace(cur.String()); s != "" {
				out = append(out, s)
			}
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// mysqlSession is one client connection.
type mysqlSession struct {
	sh      *sh.Shell
	io      *sh.IO
	db      string
	table   bool
	version string
	// interactive is the monitor's session with a user at a terminal:
	// errors do not end it, results say how many rows, statements say
	// "Query OK".
	interactive bool
	// affected is the rows the last statement changed, for "Query OK".
	affected int
	// counted is one more than the rows of the result set the last
	// statement printed (0: none); failedNow is set when it failed.
	counted   int
	failedNow bool
}

// exec runs one statement; stop is set after an error or an exit.
func (s *mysqlSession) exec(stmt string, line int) (stop bool) {
	words := strings.Fields(stmt)
	upper := make([]string, len(words))
	for i, w := range words {
		upper[i] = strings.ToUpper(w)
	}
	kw := strings.Join(upper, " ")
	switch {
	case kw == "EXIT" || kw == "QUIT" || kw == `\Q`:
		return true
	case kw == "SHOW DATABASES" || kw == "SHOW SCHEMAS":
		s.result("Database", s.databases())
	case len(words) == 2 && upper[0] == "USE":
		return s.use(unquoteName(words[1]), line)
	case kw == "SHOW TABLES":
		if s.db == "" {
			return s.fail(fmt.Sprintf(mysqlNoDBSelected, line))
		}
	case kw == "SELECT VERSION()":
		s.result("version()", []string{s.version})
	case kw == "SELECT DATABASE()":
		s.result("database()", []string{orNull(s.db)})
	case len(words) >= 3 && (upper[0] == "CREATE" || upper[0] == "DROP") && (upper[1] == "DATABASE" || upper[1] == "SCHEMA"):
		return s.createOrDrop(upper[0] == "CREATE", words[2:], upper[2:], line)
	default:
		near := stmt
		if len(words) > 0 {
			near = strings.TrimSpace(strings.TrimPrefix(stmt, words[0]))
		}
		return s.fail(fmt.Sprintf(mysqlSyntaxError, line, near))
	}
	return false
}

// use selects a database.
func (s *mysqlSession) use(name string, line int) bool {
	if !s.exists(name) {
		return s.fail(fmt.Sprintf(mysqlUnknownDB, line, name))
	}
	s.db = name
	return false
}

// createOrDrop runs CREATE DATABASE [IF NOT EXISTS] or DROP DATABASE [IF EXISTS].
func (s *mysqlSession) createOrDrop(create bool, words, upper []string, line int) bool {
	guard := "IF EXISTS"
	if create {
		guard = "IF NOT EXISTS"
	}
	n := len(strings.Fields(guard))
	ifClause := len(upper) > n && strings.Join(upper[:n], " ") == guard
	if ifClause {
		words = words[n:]
	}
	if len(words) != 1 {
		return s.fail(fmt.Sprintf(mysqlSyntaxError, line, strings.Join(words, " ")))
	}
	name := unquoteName(words[0])
	dir := path.Join(mysqlDataDir, name)
	fsys := s.sh.Files()
	switch exists := s.exists(name); {
	case create && exists && !ifClause:
		return s.fail(fmt.Sprintf(mysqlDBExists, line, name))
	case create && !exists:
		s.affected = 1
		_ = fsys.MkdirAll(dir, 0o750, time.Time{})
		_ = fsys.Chown(dir, mysqlUID, mysqlUID)
		if strings.HasPrefix(s.version, "5.") {
			_ = fsys.WriteFile(dir+"/db.opt", []byte("default-character-set=latin1\ndefault-collation=latin1_swedish_ci\n"), 0o640, time.Time{})
			_ = fsys.Chown(dir+"/db.opt", mysqlUID, mysqlUID)
		}
	case !create && !exists && !ifClause:
		return s.fail(fmt.Sprintf(mysqlDBMissing, line, name))
	case !create && exists:
		_ = fsys.RemoveAll(dir)
		if s.db == name {
			s.db = ""
		}
	}
	return false
}

// exists reports whether a database exists: a system one or a directory.
func (s *mysqlSession) exists(name string) bool {
	for _, d := range s.databases() {
		if d == name {
			return true
		}
	}
	return false
}

// databases lists the databases in SHOW DATABASES order.
func (s *mysqlSession) databases() []string {
	names := append([]string(nil), mysqlSystemDatabases...)
	infos, _ := s.sh.Files().ReadDir(mysqlDataDir)
	for _, info := range infos {
		if info.IsDir() && !strings.HasPrefix(info.Name, "#") {
			names = append(names, info.Name)
		}
	}
	sort.Strings(names)
	return names
}

// fail prints a statement's error; the client stops there with status 1
// (the monitor goes on, and names no line).
func (s *mysqlSession) fail(msg string) bool {
	if s.interactive {
		s.io.Err(s.sh, msgNoLine(msg)+"\n")
		s.failedNow = true
		return false
	}
	mysqlFail(s.sh, s.io, msg)
	return true
}

// msgNoLine drops " at line N" from an error, as the monitor prints it.
func msgNoLine(msg string) string {
	if i := strings.Index(msg, " at line "); i >= 0 {
		j := strings.Index(msg[i:], ":")
		if j >= 0 {
			return msg[:i] + msg[i+j:]
		}
	}
	return msg
}

// result prints a one-column result set as a boxed table or tab-separated.
func (s *mysqlSession) result(header string, rows []string) {
	s.counted = len(rows) + 1
	if !s.table {
		s.io.Out(s.sh, header+"\n"+strings.Join(rows, "\n")+"\n")
		return
	}
	s.io.Out(s.sh, mysqlTable(header, rows))
}

// mysqlTable draws a one-column result as the client's boxed table.
func mysqlTable(header string, rows []string) string {
	width := len(header)
	for _, r := range rows {
		width = max(width, len(r))
	}
	rule := "+" + strings.Repeat("-", width+2) + "+\n"
	var b strings.Builder
	b.WriteString(rule)
	fmt.Fprintf(&b, "| %-*s |\n", width, header)
	b.WriteString(rule)
	for _, r := range rows {
		fmt.Fprintf(&b, "| %-*s |\n", width, r)
	}
	b.WriteString(rule)
	return b.String()
}

// unquoteName strips backquotes from an identifier.
func unquoteName(s string) string {
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		return s[1 : len(s)-1]
	}
	return s
}

// orNull prints an empty value as NULL.
func orNull(s string) string {
	if s == "" {
		return "NULL"
	}
	return s
}

// monitorBanner is what the monitor says when it connects.
const monitorBanner = `Welcome to the MySQL monitor.  Commands end with ; or \g.
Your MySQL connection id is %d
Server version: %s MySQL Community Server (GPL)

Copyright (c) 2000, 2023, Oracle and/or its affiliates.

Oracle is a registered trademark of Oracle Corporation and/or its
affiliates. Other names may be trademarks of their respective
owners.

Type 'help;' or '\h' for help. Type '\c' to clear the current input statement.

`

// Monitor prompts: a statement's first line, its next ones.
const (
	monitorPrompt     = "mysql> "
	monitorContinuing = "    -> "
)

// connectionFile counts the server's connections, which the monitor's
// banner numbers (the first client's is 2).
const connectionFile = "/var/run/mysqld/connections"

// monitor is the mysql client at a terminal: its banner, its prompt, each
// statement run once its ; comes, result sets with how many rows and how
// long, "Query OK" for the others, until exit or quit ("Bye").
func (s *mysqlSession) monitor() error {
	s.interactive, s.table = true, true
	io, sh := s.io, s.sh
	io.Out(sh, fmt.Sprintf(monitorBanner, s.connectionID(), s.version))
	pending := ""
	for {
		if strings.TrimSpace(pending) == "" {
			sh.SetPrompt(monitorPrompt)
		} else {
			sh.SetPrompt(monitorContinuing)
		}
		line, ok, err := io.ReadLine(sh)
		if err != nil {
			return err
		}
		if !ok {
			io.Out(sh, "Bye\n")
			sh.SetStatus(0)
			return nil
		}
		word := strings.ToLower(strings.TrimRight(strings.TrimSpace(line), ";"))
		if strings.TrimSpace(pending) == "" && (word == "exit" || word == "quit" || word == `\q`) {
			io.Out(sh, "Bye\n")
			sh.SetStatus(0)
			return nil
		}
		pending += line + "\n"
		for {
			i := strings.IndexByte(pending, ';')
			if i < 0 {
				break
			}
			stmt := strings.TrimSpace(pending[:i])
			pending = pending[i+1:]
			if strings.TrimSpace(pending) == "" {
				pending = ""
			}
			s.monitorStatement(stmt)
		}
	}
}

// monitorStatement runs one statement and prints what the monitor says
// after it.
func (s *mysqlSession) monitorStatement(stmt string) {
	io, sh := s.io, s.sh
	if stmt == "" {
		io.Err(sh, "ERROR: \nNo query specified\n\n")
		return
	}
	s.affected, s.counted, s.failedNow = 0, 0, false
	before := strings.ToUpper(strings.Fields(stmt)[0])
	if s.exec(stmt, 1); s.failedNow {
		return // its error is printed: nothing more
	}
	switch {
	case s.counted > 0:
		rows := s.counted - 1
		word := "rows"
		if rows == 1 {
			word = "row"
		}
		if rows == 0 {
			io.Out(sh, "Empty set (0.00 sec)\n\n")
		} else {
			io.Out(sh, fmt.Sprintf("%d %s in set (0.01 sec)\n\n", rows, word))
		}
	case before == "USE":
		io.Out(sh, "Database changed\n")
	default:
		word := "rows"
		if s.affected == 1 {
			word = "row"
		}
		io.Out(sh, fmt.Sprintf("Query OK, %d %s affected (0.00 sec)\n\n", s.affected, word))
	}
}

// connectionID numbers this connection: the server's count so far, from 2.
func (s *mysqlSession) connectionID() int {
	fsys := s.sh.Files()
	n := 1
	if data, err := fsys.ReadFile(connectionFile); err == nil {
		fmt.Sscanf(string(data), "%d", &n)
	}
	n++
	_ = fsys.MkdirAll("/var/run/mysqld", 0o755, time.Time{})
	_ = fsys.WriteFile(connectionFile, []byte(fmt.Sprintf("%d\n", n)), 0o644, time.Time{})
	return n
}
