package kubectl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/objects"
)

// maxManifestBytes is the most kubesim reads from one -f source (a file,
// or stdin): a few objects of the apiserver's largest size. kubectl reads
// without limit (`kubectl create -f /dev/zero` eats memory until it dies);
// kubesim stops, and says so.
const maxManifestBytes = 16 << 20

// manifest is one -f source: its name as kubectl shows it (the path given,
// or STDIN) and the complete documents read from it.
type manifest struct {
	name string
	data []byte
	// stop says why reading stopped before the end of the source, or is nil.
	stop *readStop
}

// readStop is why a source was not read to its end.
type readStop struct {
	// tooLarge is set when a document outgrew objects.MaxObjectBytes: the
	// apiserver would refuse it ("Request entity too large"), and there is
	// no telling where the next document starts without reading it all.
	tooLarge bool
	// limit is set when the source outgrew maxManifestBytes.
	limit bool
}

// err is the stop as the error that ends the source's stream, for verbs
// that only read (delete -f, get -f).
func (s *readStop) err(source string) error {
	if s.tooLarge {
		return &statusError{reason: reasonTooLarge, message: fmt.Sprintf("error when reading %q: %s", source, tooLargeMessage)}
	}
	return fmt.Errorf("error parsing %s: %s", source, manifestLimitMessage)
}

// reasonTooLarge is the apiserver's reason for a body over its limit.
const reasonTooLarge = "RequestEntityTooLarge"

// tooLargeMessage is the apiserver's message for a body over its limit
// (apierrors.NewRequestEntityTooLargeError, from limitedReadBody).
var tooLargeMessage = fmt.Sprintf("Request entity too large: limit is %d", objects.MaxObjectBytes)

// manifestLimitMessage says a source outgrew maxManifestBytes.
var manifestLimitMessage = fmt.Sprintf("the manifest is larger than %d bytes, the most kubesim reads from one file", maxManifestBytes)

// readManifests reads every -f source: a file, a directory's .yaml/.yml/.json
// files in name order, or "-" for stdin. A path that does not exist fails
// the command before anything is read, as kubectl's builder does.
func (k *Kubectl) readManifests(inv *invocation) ([]manifest, error) {
	files := inv.p.all("filename")
	if len(files) == 0 {
		return nil, &usageError{msg: "must specify one of -f and -k", verb: inv.verb}
	}
	var out []manifest
	for _, f := range files {
		if f == "-" {
			out = append(out, readSource("STDIN", strings.NewReader(inv.stdin)))
			continue
		}
		ms, err := k.readPath(f)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	return out, nil
}

// readPath reads a file, or a directory's manifests in name order: from
// the machine kubectl runs on when it has the path, otherwise from the
// directory kubectl was given (a scenario's).
func (k *Kubectl) readPath(f string) ([]manifest, error) {
	if k.files != nil {
		if exists, dir := k.files.Stat(f); exists {
			return k.readMachinePath(f, dir)
		}
	}
	full := f
	if !filepath.IsAbs(full) {
		full = filepath.Join(k.dir, f)
	}
	info, err := os.Stat(full)
	if err != nil {
		return nil, plainError("the path %q does not exist", f)
	}
	if !info.IsDir() {
		file, err := os.Open(full)
		if err != nil {
			return nil, plainError("%v", err)
		}
		defer file.Close()
		return []manifest{readSource(f, file)}, nil
	}
	entries, err := os.ReadDir(full)
	if err != nil {
		return nil, plainError("%v", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".yml" || ext == ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []manifest
	for _, n := range names {
		ms, err := k.readPath(filepath.Join(f, n))
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	return out, nil
}

// readMachinePath reads a file, or a directory's manifests in name order,
// from the machine kubectl runs on.
func (k *Kubectl) readMachinePath(f string, dir bool) ([]manifest, error) {
	if !dir {
		data, err := k.files.ReadFile(f)
		if err != nil {
			return nil, plainError("%v", err)
		}
		return []manifest{readSource(f, bytes.NewReader(data))}, nil
	}
	names, err := k.files.ReadDir(f)
	if err != nil {
		return nil, plainError("%v", err)
	}
	var out []manifest
	for _, n := range names {
		if ext := filepath.Ext(n); ext != ".yaml" && ext != ".yml" && ext != ".json" {
			continue
		}
		p := strings.TrimSuffix(f, "/") + "/" + n
		if _, isDir := k.files.Stat(p); isDir {
			continue
		}
		ms, err := k.readMachinePath(p, false)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	return out, nil
}

// readSource reads r document by document ("---" lines part documents),
// holding at most one document over objects.MaxObjectBytes, or
// maxManifestBytes in all, in memory: reading stops as soon as either is
// passed, and data keeps the complete documents before that point. A read
// error ends the source like its end would.
func readSource(name string, r io.Reader) manifest {
	br := bufio.NewReaderSize(r, readBufferSize(r))
	var data []byte
	docStart := 0
	for {
		line, err := readLineCapped(br, len(data)-docStart, &data)
		switch {
		case len(data)-docStart > objects.MaxObjectBytes:
			return manifest{name: name, data: data[:docStart], stop: &readStop{tooLarge: true}}
		case len(data) > maxManifestBytes:
			return manifest{name: name, data: data[:docStart], stop: &readStop{limit: true}}
		}
		if bytes.HasPrefix(line, []byte("---")) {
			docStart = len(data)
		}
		if err != nil {
			return manifest{name: name, data: data}
		}
	}
}

// readBufferSize is the buffer readSource reads r through: 64 KiB, or
// for an input in memory that says its length (a file, stdin) no more than
// that length: a property-checker run applies thousands of short
// manifests, and their 64 KiB buffers were 6% of the bytes it allocated.
// The lines are the same whatever the size: readLineCapped reads a long
// line in pieces.
func readBufferSize(r io.Reader) int {
	const most = 64 << 10
	if l, ok := r.(interface{ Len() int }); ok {
		return min(l.Len()+1, most) // bufio makes it at least 16
	}
	return most
}

// readLineCapped appends one line of br (with its newline) to data and
// returns it, reading a long line in pieces so that it stops once the
// document, which held docLen bytes before the line, passes
// objects.MaxObjectBytes: a line without end (/dev/zero) is never read
// whole. The error is io.EOF at the end of the input.
func readLineCapped(br *bufio.Reader, docLen int, data *[]byte) ([]byte, error) {
	start := len(*data)
	for {
		piece, err := br.ReadSlice('\n')
		*data = append(*data, piece...)
		if errors.Is(err, bufio.ErrBufferFull) {
			if docLen+len(*data)-start > objects.MaxObjectBytes {
				return (*data)[start:], nil
			}
			continue
		}
		return (*data)[start:], err
	}
}
