package network

import (
	"path"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/internal/workload/sh"
)

// The nginx image's default server (/etc/nginx/conf.d/default.conf):
// root /usr/share/nginx/html, index index.html index.htm, server_tokens on.

// NginxRoot is the document root of the nginx image's default server.
const NginxRoot = "/usr/share/nginx/html"

// nginxIndexes are the index files tried for a directory, in order.
var nginxIndexes = []string{"index.html", "index.htm"}

// Status reasons nginx sends.
var nginxReasons = map[int]string{200: "OK", 301: "Moved Permanently", 403: "Forbidden", 404: "Not Found"}

// ServeNginx answers GET p as nginx's static and index modules do: a file
// under the root (403 when the worker, running as "nginx", may not read
// it; 404 when missing), a directory's index file (403 when there is none
// or it is unreadable, autoindex being off), and a 301 to the path with a
// slash for a directory named without one.
func ServeNginx(srv Server, p string) sh.HTTPResponse {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	clean := path.Clean("/" + p)
	full := path.Join(NginxRoot, clean)
	if strings.HasSuffix(p, "/") {
		return serveIndex(srv, full)
	}
	info, err := srv.FS.Stat(full)
	switch {
	case err != nil:
		return nginxError(srv, 404)
	case info.IsDir():
		r := nginxError(srv, 301)
		r.Location = "http://localhost" + clean + "/"
		return r
	case !srv.FS.Readable(full):
		return nginxError(srv, 403)
	}
	return nginxFile(srv, full)
}

// serveIndex serves a directory through its index file.
func serveIndex(srv Server, dir string) sh.HTTPResponse {
	if _, err := srv.FS.Stat(dir); err != nil {
		return nginxError(srv, 404)
	}
	for _, name := range nginxIndexes {
		f := path.Join(dir, name)
		if _, err := srv.FS.Stat(f); err != nil {
			continue
		}
		if !srv.FS.Readable(f) {
			return nginxError(srv, 403)
		}
		return nginxFile(srv, f)
	}
	return nginxError(srv, 403)
}

// nginxFile is a 200 response with the file's content.
func nginxFile(srv Server, name string) sh.HTTPResponse {
	data, err := srv.FS.ReadFile(name)
	if err != nil {
		return nginxError(srv, 403)
	}
	return sh.HTTPResponse{Status: 200, Reason: nginxReasons[200], Server: "nginx/" + srv.Version,
		ContentType: contentType(name), Body: string(data)}
}

// nginxError is nginx's built-in error page for status.
func nginxError(srv Server, status int) sh.HTTPResponse {
	title := strconv.Itoa(status) + " " + nginxReasons[status]
	body := "<html>\n<head><title>" + title + "</title></head>\n<body>\n<center><h1>" + title +
		"</h1></center>\n<hr><center>nginx/" + srv.Version + "</center>\n</body>\n</html>\n"
	return sh.HTTPResponse{Status: status, Reason: nginxReasons[status], Server: "nginx/" + srv.Version,
		ContentType: "text/html", Body: body}
}

// contentType is the mime.types entry for a file name, text/plain default.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".html", ".htm":
		return "text/html"
	case ".css":
		return "text/css"
	case ".js":
		return "application/javascript"
	case ".json":
		return "application/json"
	case ".txt":
		return "text/plain"
	}
	return "application/octet-stream"
}
