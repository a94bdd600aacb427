package sh

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// The network clients of the modelled images: busybox nslookup (1.36,
// which queries A and AAAA and, for a name without a dot, every search
// domain), curl (8.x) and busybox wget. Replies arrive in query order.

// progNslookup is busybox nslookup NAME [SERVER]: a header naming the
// server, then one block per reply: the A records, an empty block for an
// AAAA reply without records (the cluster has no IPv6), or NXDOMAIN.
// Busybox exits 0 whatever the replies said.
func progNslookup(sh *Shell, argv []string, io *IO) error {
	_, args := splitFlags(argv[1:])
	if len(args) == 0 {
		sh.progErr(io, 1, "nslookup", "missing operand") // busybox prints its usage
		return nil
	}
	net := sh.run.net
	if net == nil {
		io.stdout.write(sh, ";; connection timed out; no servers could be reached\n\n")
		sh.status = 1
		return nil
	}
	server := net.Nameserver()
	if len(args) > 1 {
		server = args[1]
	}
	var b strings.Builder
	b.WriteString("Server:\t\t" + server + "\nAddress:\t" + server + ":53\n\n")
	names := nslookupNames(args[0], sh.run.search)
	for _, aaaa := range []bool{false, true} {
		for _, name := range names {
			b.WriteString(nslookupReply(net, name, aaaa))
		}
	}
	io.stdout.write(sh, b.String())
	sh.status = 0
	return nil
}

// nslookupReply prints one reply block as busybox does.
func nslookupReply(net Network, name string, aaaa bool) string {
	addrs, found := net.LookupA(name)
	if !found {
		return "** server can't find " + name + ": NXDOMAIN\n\n"
	}
	if aaaa {
		return "\n"
	}
	var b strings.Builder
	for _, a := range addrs {
		b.WriteString("Name:\t" + name + "\nAddress: " + a + "\n")
	}
	return b.String() + "\n"
}

// curlOptions are the curl options modelled.
type curlOptions struct {
	silent, showError, fail, head, include bool
	output, writeOut                       string
	url                                    string
}

// parseCurlArgs reads curl's command line; an unknown option is an error.
func parseCurlArgs(args []string) (curlOptions, string) {
	var o curlOptions
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch a {
		case "-o", "--output":
			o.output = next()
		case "-w", "--write-out":
			o.writeOut = next()
		case "-m", "--max-time", "--connect-timeout":
			next()
		case "--silent":
			o.silent = true
		case "--show-error":
			o.showError = true
		case "--fail":
			o.fail = true
		case "--head":
			o.head = true
		case "--include":
			o.include = true
		default:
			if !strings.HasPrefix(a, "-") || a == "-" {
				o.url = a
				continue
			}
			if strings.HasPrefix(a, "--") {
				return o, "option " + a + ": is unknown"
			}
			for _, f := range a[1:] {
				switch f {
				case 's':
					o.silent = true
				case 'S':
					o.showError = true
				case 'f':
					o.fail = true
				case 'I':
					o.head = true
				case 'i':
					o.include = true
				case 'L', 'k', 'v':
				default:
					return o, "option " + a + ": is unknown"
				}
			}
		}
	}
	return o, ""
}

// curlError prints "curl: (code) message" unless silenced and sets the status.
func (sh *Shell) curlError(io *IO, o curlOptions, code int, msg string) {
	if !o.silent || o.showError {
		io.stderr.write(sh, "curl: ("+strconv.Itoa(code)+") "+msg+"\n")
	}
	sh.status = code
}

// progCurl is curl URL with -s, -S, -f, -I, -i, -o FILE, -w '%{http_code}'.
// The progress meter curl prints to a non-terminal is not modelled.
func progCurl(sh *Shell, argv []string, io *IO) error {
	o, bad := parseCurlArgs(argv[1:])
	if bad != "" {
		io.stderr.write(sh, "curl: "+bad+"\ncurl: try 'curl --help' or 'curl --manual' for more information\n")
		sh.status = 2
		return nil
	}
	if o.url == "" {
		io.stderr.write(sh, "curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n")
		sh.status = 2
		return nil
	}
	u, ok := parseURL(o.url)
	if !ok {
		sh.curlError(io, o, 3, "URL rejected: Malformed input to a URL function")
		return nil
	}
	ip, err := sh.resolveHost(u.host)
	if err != nil {
		sh.curlError(io, o, 6, "Could not resolve host: "+u.host)
		return nil
	}
	resp, err := sh.httpGet(ip, u)
	if err != nil {
		sh.curlError(io, o, 7, "Failed to connect to "+u.host+" port "+strconv.Itoa(u.port)+" after 0 ms: Couldn't connect to server")
		return nil
	}
	sh.status = 0
	if o.fail && resp.Status >= 400 {
		sh.curlError(io, o, 22, "The requested URL returned error: "+strconv.Itoa(resp.Status))
		return nil
	}
	out := ""
	if o.head || o.include {
		out = sh.httpHeaders(resp)
	}
	if !o.head {
		out += resp.Body
	}
	sh.curlOutput(io, o, out)
	if o.writeOut != "" {
		io.stdout.write(sh, strings.ReplaceAll(strings.ReplaceAll(o.writeOut, "%{http_code}", strconv.Itoa(resp.Status)), `\n`, "\n"))
	}
	return nil
}

// curlOutput writes what curl received to stdout or to the -o file.
func (sh *Shell) curlOutput(io *IO, o curlOptions, out string) {
	switch o.output {
	case "":
		io.stdout.write(sh, out)
	case "/dev/null":
	default:
		if err := sh.files().WriteFile(sh.abs(o.output), []byte(out), 0o644, time.Time{}); err != nil {
			sh.curlError(io, o, 23, "Failure writing output to destination")
		}
	}
}

// httpGet sends the request through the process's network.
func (sh *Shell) httpGet(ip string, u parsedURL) (HTTPResponse, error) {
	if sh.run.net == nil {
		return HTTPResponse{}, ErrConnectionRefused
	}
	return sh.run.net.Get(ip, u.port, u.path)
}

// httpHeaders prints the status line and the headers nginx sends, as
// curl -i shows them (without the carriage returns).
func (sh *Shell) httpHeaders(r HTTPResponse) string {
	var b strings.Builder
	b.WriteString("HTTP/1.1 " + strconv.Itoa(r.Status) + " " + r.Reason + "\n")
	if r.Server != "" {
		b.WriteString("Server: " + r.Server + "\n")
	}
	b.WriteString("Date: " + sh.wallClock().Format("Mon, 02 Jan 2006 15:04:05 GMT") + "\n")
	b.WriteString("Content-Type: " + r.ContentType + "\n")
	b.WriteString("Content-Length: " + strconv.Itoa(len(r.Body)) + "\n")
	if r.Location != "" {
		b.WriteString("Location: " + r.Location + "\n")
	}
	b.WriteString("Connection: keep-alive\n\n")
	return b.String()
}

// progWget is busybox wget [-q] [-O FILE] URL: the body goes to FILE ("-"
// for stdout; index.html or the URL's last path element by default).
func progWget(sh *Shell, argv []string, io *IO) error {
	quiet, output, url := false, "", ""
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-O" && i+1 < len(args):
			i++
			output = args[i]
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for j, f := range a[1:] {
				if f == 'q' {
					quiet = true
				}
				if f == 'O' {
					output = a[j+2:]
					if output == "" && i+1 < len(args) {
						i++
						output = args[i]
					}
					break
				}
			}
		default:
			url = a
		}
	}
	return sh.wget(io, quiet, output, url)
}

// wget fetches url and writes the body where output says.
func (sh *Shell) wget(io *IO, quiet bool, output, url string) error {
	fail := func(msg string) error {
		io.stderr.write(sh, "wget: "+msg+"\n")
		sh.status = 1
		return nil
	}
	u, ok := parseURL(url)
	if !ok {
		return fail("not an http or ftp url: " + url)
	}
	ip, err := sh.resolveHost(u.host)
	if err != nil {
		return fail("bad address '" + u.host + "'")
	}
	if !quiet {
		io.stderr.write(sh, "Connecting to "+u.host+" ("+ip+":"+strconv.Itoa(u.port)+")\n")
	}
	resp, err := sh.httpGet(ip, u)
	if errors.Is(err, ErrConnectionRefused) || err != nil {
		return fail("can't connect to remote host (" + ip + "): Connection refused")
	}
	if resp.Status >= 400 {
		return fail("server returned error: HTTP/1.1 " + strconv.Itoa(resp.Status) + " " + resp.Reason)
	}
	if output == "" {
		output = wgetFileName(u.path)
	}
	sh.status = 0
	if output == "-" {
		if !quiet {
			io.stderr.write(sh, "writing to stdout\n")
		}
		io.stdout.write(sh, resp.Body)
		if !quiet {
			io.stderr.write(sh, "written to stdout\n")
		}
		return nil
	}
	if !quiet {
		io.stderr.write(sh, "saving to '"+output+"'\n")
	}
	if err := sh.files().WriteFile(sh.abs(output), []byte(resp.Body), 0o644, time.Time{}); err != nil {
		return fail("can't open '" + output + "': " + errnoText(err))
	}
	if !quiet {
		io.stderr.write(sh, "'"+output+"' saved\n")
	}
	return nil
}

// wgetFileName is the file busybox wget saves a path to.
func wgetFileName(path string) string {
	base := path[strings.LastIndexByte(path, '/')+1:]
	if i := strings.IndexByte(base, '?'); i >= 0 {
		base = base[:i]
	}
	if base == "" {
		return "index.html"
	}
	return base
}
