package sh

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

// Network is the cluster network as a process sees it: the cluster DNS and
// HTTP servers behind pod, Service and node addresses. The workload model
// implements the clients (nslookup, curl, wget) on top of it; the
// simulation implements it (see internal/network), so that this package
// needs to know nothing of Services or pods.
type Network interface {
	// Nameserver returns the address of the cluster DNS server, the
	// nameserver a pod's resolv.conf names ("10.96.0.10").
	Nameserver() string
	// LookupA answers an A query for a fully qualified name (no trailing
	// dot): its addresses, or found false for NXDOMAIN.
	LookupA(fqdn string) (addrs []string, found bool)
	// Get sends GET path to host:port, host being an IP address. It
	// returns ErrConnectionRefused when nothing accepts the connection.
	Get(host string, port int, path string) (HTTPResponse, error)
}

// HTTPResponse is what an HTTP server answered.
type HTTPResponse struct {
	// Status is the status code, Reason its phrase ("Forbidden").
	Status int
	Reason string
	// Server is the Server header ("nginx/1.25.3").
	Server string
	// ContentType is the Content-Type header.
	ContentType string
	// Location is the Location header of a redirect.
	Location string
	// Body is the response body.
	Body string
}

// ErrConnectionRefused is Network.Get's error when no server listens.
var ErrConnectionRefused = errors.New("connection refused")

// errNoSuchHost is resolveHost's error for a name the DNS does not know.
var errNoSuchHost = errors.New("no such host")

// ndots is the ndots option of a pod's resolv.conf: a name with fewer dots
// tries the search domains first.
const ndots = 5

// resolveHost resolves a host name as a libc resolver does with the
// process's search path: an IP stands for itself; a name with fewer than
// ndots dots tries each search domain, then itself.
func (sh *Shell) resolveHost(name string) (string, error) {
	if ip, err := netip.ParseAddr(name); err == nil {
		return ip.String(), nil
	}
	net := sh.run.net
	if net == nil {
		return "", errNoSuchHost
	}
	for _, fqdn := range queryNames(name, sh.run.search) {
		if addrs, ok := net.LookupA(fqdn); ok && len(addrs) > 0 {
			return addrs[0], nil
		}
	}
	return "", errNoSuchHost
}

// queryNames lists the names a libc resolver tries for name, in order.
func queryNames(name string, search []string) []string {
	if strings.HasSuffix(name, ".") {
		return []string{strings.TrimSuffix(name, ".")}
	}
	var out []string
	if strings.Count(name, ".") >= ndots {
		out = append(out, name)
	}
	for _, d := range search {
		out = append(out, name+"."+d)
	}
	if strings.Count(name, ".") < ndots {
		out = append(out, name)
	}
	return out
}

// nslookupNames lists the names busybox nslookup queries for name: the
// search domains only for a name without a dot (add_query_with_search).
func nslookupNames(name string, search []string) []string {
	name = strings.TrimSuffix(name, ".")
	if strings.Contains(name, ".") || len(search) == 0 {
		return []string{name}
	}
	out := make([]string, len(search))
	for i, d := range search {
		out[i] = name + "." + d
	}
	return out
}

// parsedURL is the part of a URL curl and wget use.
type parsedURL struct {
	host string
	port int
	path string
}

// parseURL reads http://host[:port][/path]; a missing scheme means http.
func parseURL(raw string) (parsedURL, bool) {
	rest := raw
	if i := strings.Index(rest, "://"); i >= 0 {
		if strings.ToLower(rest[:i]) != "http" {
			return parsedURL{}, false
		}
		rest = rest[i+3:]
	}
	u := parsedURL{port: 80, path: "/"}
	hostport := rest
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		hostport, u.path = rest[:i], rest[i:]
		if !strings.HasPrefix(u.path, "/") {
			u.path = "/" + u.path
		}
	}
	u.host = hostport
	if h, p, ok := strings.Cut(hostport, ":"); ok {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return parsedURL{}, false
		}
		u.host, u.port = h, n
	}
	return u, u.host != ""
}
