package record

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/scenario"
	"github.com/kubesim/kubesim/sim"
	"github.com/kubesim/kubesim/storage"
)

// Config is what a recorded run was started with, besides the scenario.
type Config struct {
	Seed   uint64
	Start  time.Time
	Mutant string
}

// Recorder writes down a scenario runner's run: the clusters it builds,
// each command, every store change at its virtual time and what each
// command printed. It reads the run through the runner's OnCluster hook
// and sim.Cluster.Observe, so the simulation runs exactly as it would
// unrecorded.
type Recorder struct {
	trace   *Trace
	cluster *sim.Cluster
	start   time.Time
	state   map[objects.Key][]Field // each live object's leaves
	err     error                   // the first object that could not be flattened
}

// NewRecorder starts recording r's run of s. dir is the directory the
// scenario's relative paths are read from; the manifests its kubectl
// commands name there are kept in the trace.
func NewRecorder(r *scenario.Runner, s *scenario.Script, dir string, cfg Config) *Recorder {
	rec := &Recorder{trace: &Trace{
		Seed: cfg.Seed, Start: cfg.Start.UTC(), Mutant: cfg.Mutant,
		Scenario: s.Name, Source: strings.Join(s.Lines, "\n"),
		Files: manifestFiles(s, dir),
	}}
	r.OnCluster(rec.attach)
	return rec
}

// attach starts recording a cluster the runner built: its objects as they
// stand, then every change.
func (rec *Recorder) attach(c *sim.Cluster) {
	rec.cluster, rec.start = c, c.Start()
	rec.state = map[objects.Key][]Field{}
	rec.add(Entry{Kind: KindCluster, At: rec.at(), Start: c.Start().UTC()})
	for _, info := range objects.Kinds() {
		c.Store().Scan(info.Kind, "", func(obj objects.Object) bool {
			rec.change(c.Now(), "cluster-bootstrap", "create", obj, obj.GetObjectMeta().ResourceVersion)
			return true
		})
	}
	c.Observe(func(ch sim.Change) {
		if c != rec.cluster {
			return // a cluster a later `cluster` line replaced
		}
		rec.change(ch.At, ch.Actor, verb(ch), ch.Event.Object, ch.Event.ResourceVersion)
	})
}

// verb names a change as the trace does.
func verb(ch sim.Change) string {
	switch ch.Event.Type {
	case storage.Added:
		return "create"
	case storage.Deleted:
		return "delete"
	}
	return "update"
}

// change records one store change as the fields it changed.
func (rec *Recorder) change(at time.Time, actor, verb string, obj objects.Object, rv any) {
	key := objects.KeyOf(obj)
	fields, err := flatten(obj)
	if err != nil {
		if rec.err == nil {
			rec.err = err
		}
		return
	}
	e := Entry{Kind: KindChange, At: at.Sub(rec.start), Actor: actor, Verb: verb, Key: key,
		RV: revision(rv), Fields: delta(rec.state[key], fields)}
	if verb == "delete" {
		delete(rec.state, key)
	} else {
		rec.state[key] = fields
	}
	rec.add(e)
}

// revision reads a resourceVersion given as a number or as the string
// objects keep it in.
func revision(rv any) int64 {
	switch v := rv.(type) {
	case int64:
		return v
	case string:
		var n int64
		for _, c := range v {
			if c < '0' || c > '9' {
				return 0
			}
			n = n*10 + int64(c-'0')
		}
		return n
	}
	return 0
}

func (rec *Recorder) add(e Entry) { rec.trace.Entries = append(rec.trace.Entries, e) }

// at is the virtual time since the current cluster's start.
func (rec *Recorder) at() time.Duration { return rec.cluster.Now().Sub(rec.start) }

// Exec runs one command of the scenario through r, recording it.
func (rec *Recorder) Exec(r *scenario.Runner, file string, index int, cmd scenario.Command) (string, error) {
	rec.add(Entry{Kind: KindCommand, At: rec.at(), Index: index, Line: cmd.Line, Text: cmd.Text})
	out, err := r.Exec(file, cmd)
	if out != "" {
		rec.add(Entry{Kind: KindOutput, Text: out})
	}
	if err != nil {
		rec.add(Entry{Kind: KindError, Text: err.Error()})
	}
	return out, err
}

// Finish ends the record and returns it.
func (rec *Recorder) Finish() (*Trace, error) {
	rec.add(Entry{Kind: KindEnd, At: rec.at()})
	return rec.trace, rec.err
}

// Run replays every command of s through r as scenario.Replay does,
// writing the transcript to out (nil for none), and returns the run's
// record. A command the runner cannot carry out stops the run: the record
// ends with it, and the error is returned beside the record.
func Run(r *scenario.Runner, s *scenario.Script, dir string, cfg Config, out func(string)) (*Trace, error) {
	rec := NewRecorder(r, s, dir, cfg)
	var runErr error
	for i, cmd := range s.Commands {
		if out != nil {
			out(scenario.Echo(cmd))
		}
		text, err := rec.Exec(r, s.Name, i+1, cmd)
		if out != nil {
			out(text)
		}
		if err != nil {
			runErr = err
			break
		}
	}
	t, err := rec.Finish()
	return t, errors.Join(runErr, err)
}

// manifestFiles reads the files the scenario's kubectl commands name with
// -f (a directory's manifests for a directory), relative to dir, in name
// order. Files that do not exist, absolute paths and stdin are left out:
// a replay then fails or reads as the recorded run did.
func manifestFiles(s *scenario.Script, dir string) []File {
	seen := map[string]bool{}
	var out []File
	addFile := func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			out = append(out, File{Name: filepath.ToSlash(name), Data: string(data)})
		}
	}
	for _, cmd := range s.Commands {
		for _, name := range filenameArgs(cmd.Text) {
			if name == "-" || filepath.IsAbs(name) || strings.Contains(name, "://") {
				continue
			}
			info, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				continue
			}
			if !info.IsDir() {
				addFile(name)
				continue
			}
			entries, _ := os.ReadDir(filepath.Join(dir, name))
			for _, e := range entries {
				if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".yml" || ext == ".json") {
					addFile(filepath.Join(name, e.Name()))
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// filenameArgs lists the -f/--filename arguments of the kubectl commands
// of a line: the line may carry a tutorial's prompt ("[root@k8s-master
// nginx]# kubectl apply -f nginx-web.yaml") and run kubectl after another
// command (";", "&&", "||", the left side of a pipe).
func filenameArgs(line string) []string {
	words, err := scenario.Split(line)
	if err != nil {
		return nil
	}
	var out []string
	inKubectl := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "kubectl":
			inKubectl = true
		case w == "|" || w == ";" || w == "&&" || w == "||":
			inKubectl = false
		case !inKubectl:
		case w == "-f" || w == "--filename":
			if i+1 < len(words) {
				out = append(out, words[i+1])
				i++
			}
		case strings.HasPrefix(w, "--filename="):
			out = append(out, strings.TrimPrefix(w, "--filename="))
		case strings.HasPrefix(w, "-f="):
			out = append(out, strings.TrimPrefix(w, "-f="))
		case strings.HasPrefix(w, "-f") && len(w) > 2 && !strings.HasPrefix(w, "--"):
			out = append(out, w[2:])
		}
	}
	return out
}
