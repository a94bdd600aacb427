package images

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Catalog is what the simulated registries serve: the built-in images (see
// builtinRepositories) and any a user added with [Catalog.Add]. The zero
// value and a nil *Catalog serve the built-in images only. Not safe for
// concurrent use.
type Catalog struct {
	added map[string]Image // by fully qualified reference
	repos map[string]bool  // repositories of added images
	// gen counts the images added, so that a caller keeping lookups
	// knows when they may have changed (Generation).
	gen uint64
}

// Generation changes whenever an image is added: what Lookup and Resolve
// answered before may have changed. A nil *Catalog's is 0.
func (c *Catalog) Generation() uint64 {
	if c == nil {
		return 0
	}
	return c.gen
}

// NewCatalog returns a catalogue of the built-in images.
func NewCatalog() *Catalog { return &Catalog{} }

// DefaultLike is the image an added image runs like unless told otherwise.
const DefaultLike = "busybox"

// PullErrorKind says why a registry refused a reference.
type PullErrorKind int

const (
	// TagNotFound is a registry's answer for a tag (or a repository on a
	// registry other than Docker Hub) it does not have: HTTP 404, which
	// containerd reports as "<ref>: not found".
	TagNotFound PullErrorKind = iota + 1
	// AccessDenied is Docker Hub's answer for a repository that does not
	// exist or is private: its token service refuses the pull scope (401
	// insufficient_scope), so the two cases cannot be told apart.
	AccessDenied
)

// PullError is a registry's refusal of a reference. Error() is the
// resolver's text, as containerd wraps it after "failed to resolve
// reference".
type PullError struct {
	Kind PullErrorKind
	// Ref is the reference fully qualified, as containerd names it:
	// "docker.io/library/nginx:99.99".
	Ref string
}

func (e *PullError) Error() string {
	if e.Kind == AccessDenied {
		return "pull access denied, repository does not exist or may require authorization: " +
			"server message: insufficient_scope: authorization failed"
	}
	return e.Ref + ": not found"
}

// Resolve reports whether a registry serves ref: nil, a *PullError, or
// the parse error of a reference that does not parse. The rules are in the
// package doc ("Which images exist").
func (c *Catalog) Resolve(ref string) error {
	r, err := ParseReference(ref)
	if err != nil {
		return err
	}
	if c != nil {
		if _, ok := c.added[r.String()]; ok {
			return nil
		}
	}
	repo, known := builtinRepositories[r.canonicalRepo()]
	switch {
	case known && (r.Digest != "" || repo.hasTag(r.tagOrLatest())):
		// A digest is not checked: any digest of a known repository pulls.
		return nil
	case known || c != nil && c.repos[r.Domain+"/"+r.Path]:
		return &PullError{Kind: TagNotFound, Ref: r.String()}
	case r.Domain == dockerHub:
		return &PullError{Kind: AccessDenied, Ref: r.String()}
	}
	return &PullError{Kind: TagNotFound, Ref: r.String()}
}

// Lookup returns what the simulator knows about ref: an added image runs
// like the image it was added like, with its own name and size; any other
// reference is [LookupImage]'s. Lookup does not say whether ref exists
// ([Catalog.Resolve] does).
func (c *Catalog) Lookup(ref string) Image {
	if c != nil {
		if r, err := ParseReference(ref); err == nil {
			if img, ok := c.added[r.String()]; ok {
				name, tag := splitImageRef(ref)
				img.Ref, img.Name, img.Tag = ref, name, tag
				return img
			}
		}
	}
	return Lookup(ref)
}

// Add makes ref an image the registries serve. It runs like the image like
// names (DefaultLike when empty), which must exist: the same entrypoint,
// userland and server. sizeBytes is its size, which sets its pull time; 0
// keeps the size of the image it is like. Adding an image that already
// exists is an error.
func (c *Catalog) Add(ref string, sizeBytes int64, like string) error {
	if c == nil {
		return fmt.Errorf("image %s: no catalogue to add it to", ref)
	}
	r, err := ParseReference(ref)
	if err != nil {
		return err
	}
	if like == "" {
		like = DefaultLike
	}
	switch {
	case sizeBytes < 0:
		return fmt.Errorf("image %s: size %d is negative", ref, sizeBytes)
	case c.Resolve(ref) == nil:
		return fmt.Errorf("image %s already exists", ref)
	case c.Resolve(like) != nil:
		return fmt.Errorf("image %s: cannot be like %s: no such image", ref, like)
	}
	img := c.Lookup(like)
	if sizeBytes > 0 {
		img.SizeBytes = sizeBytes
	}
	if c.added == nil {
		c.added, c.repos = map[string]Image{}, map[string]bool{}
	}
	c.added[r.String()] = img
	c.repos[r.Domain+"/"+r.Path] = true
	c.gen++
	return nil
}

// Reference is an image reference split as containerd reads it.
type Reference struct {
	// Domain is the registry: "docker.io" when the reference names none.
	Domain string
	// Path is the repository within it: "library/nginx" for "nginx".
	Path string
	// Tag and Digest are as written; both may be empty.
	Tag, Digest string
}

// dockerHub is the registry of references that name none.
const dockerHub = "docker.io"

// The grammar of github.com/distribution/reference.
var (
	pathComponent = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)
	domainPattern = regexp.MustCompile(`^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$`)
	tagPattern    = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)
	digestPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$`)
)

// ParseReference reads ref as containerd normalises it (the reference
// library's ParseNormalizedNamed): a name without a registry is on Docker
// Hub, a Docker Hub name without a namespace is in "library". A reference
// that does not parse is an error worded as the kubelet's image parser
// words it.
func ParseReference(ref string) (Reference, error) {
	fail := func(detail string) (Reference, error) {
		return Reference{}, fmt.Errorf("couldn't parse image name %q: invalid reference format%s", ref, detail)
	}
	r := Reference{Domain: dockerHub}
	remainder := ref
	if i := strings.IndexByte(ref, '/'); i >= 0 && isDomain(ref[:i]) {
		r.Domain, remainder = ref[:i], ref[i+1:]
	}
	if r.Domain == "index.docker.io" {
		r.Domain = dockerHub
	}
	if r.Domain == dockerHub && !strings.Contains(remainder, "/") {
		remainder = "library/" + remainder
	}
	remote, _, _ := strings.Cut(remainder, ":")
	if strings.ToLower(remote) != remote {
		return fail(fmt.Sprintf(": repository name (%s) must be lowercase", remote))
	}
	name, digest, hasDigest := strings.Cut(remainder, "@")
	if hasDigest {
		if !digestPattern.MatchString(digest) {
			return fail("")
		}
		r.Digest = digest
	}
	if colon := strings.LastIndexByte(name, ':'); colon > strings.LastIndexByte(name, '/') {
		name, r.Tag = name[:colon], name[colon+1:]
		if !tagPattern.MatchString(r.Tag) {
			return fail("")
		}
	}
	if !domainPattern.MatchString(r.Domain) {
		return fail("")
	}
	for _, p := range strings.Split(name, "/") {
		if !pathComponent.MatchString(p) {
			return fail("")
		}
	}
	r.Path = name
	return r, nil
}

// isDomain reports whether the first component of a name is a registry, as
// the reference library decides: it has a dot or a port, is "localhost",
// or has capitals (which no repository name may have).
func isDomain(first string) bool {
	return strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first
}

// String is the reference fully qualified, "latest" filled in when it has
// neither tag nor digest: "docker.io/library/nginx:latest".
func (r Reference) String() string {
	s := r.Domain + "/" + r.Path
	if r.Tag != "" || r.Digest == "" {
		s += ":" + r.tagOrLatest()
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

func (r Reference) tagOrLatest() string {
	if r.Tag == "" {
		return "latest"
	}
	return r.Tag
}

// mirrors are registries that serve another's repositories under the same
// path: DaoCloud's mirror of Docker Hub (the tutorial pulls from it), and
// the frozen k8s.gcr.io, which redirects to registry.k8s.io.
var mirrors = map[string]string{"daocloud.io": dockerHub, "k8s.gcr.io": "registry.k8s.io"}

// canonicalRepo names r's repository on the registry it mirrors, if any.
func (r Reference) canonicalRepo() string {
	if to, ok := mirrors[r.Domain]; ok {
		return to + "/" + r.Path
	}
	return r.Domain + "/" + r.Path
}

// repository is a built-in repository and the tags it has.
type repository struct {
	// lines are its release lines, each with its newest version: "1.25.5"
	// means tags 1.25 and 1.25.0 to 1.25.5 exist (and 1, when majors).
	lines []string
	// majors says a bare major version ("nginx:1") is a tag too.
	majors bool
	// named are tags that are not versions ("latest", "stable", "jammy").
	named []string
	// variants are the suffixes a version or named tag may carry after a
	// dash ("1.25-alpine", "stable-perl"): a suffix is valid when it starts
	// with one of them ("alpine3.18", "alpine-slim").
	variants []string
}

// builtinRepositories are the repositories kubesim's registries serve, by
// registry and path: the tutorial's images and the usual official images,
// with the release lines Docker Hub and registry.k8s.io list.
var builtinRepositories = map[string]repository{
	"docker.io/library/nginx": {majors: true,
		lines: []string{"1.10.3", "1.11.13", "1.12.2", "1.13.12", "1.14.2", "1.15.12", "1.16.1", "1.17.10",
			"1.18.0", "1.19.10", "1.20.2", "1.21.6", "1.22.1", "1.23.4", "1.24.0", "1.25.5", "1.26.3",
			"1.27.5", "1.28.0", "1.29.1"},
		named:    []string{"latest", "stable", "mainline", "alpine", "perl", "bookworm", "otel", "alpine-slim", "alpine-perl"},
		variants: []string{"alpine", "perl", "bookworm", "bullseye", "otel"}},
	"docker.io/library/busybox": {majors: true,
		lines: []string{"1.24.2", "1.25.1", "1.26.2", "1.27.2", "1.28.4", "1.29.3", "1.30.1", "1.31.1",
			"1.32.1", "1.33.1", "1.34.1", "1.35.0", "1.36.1", "1.37.0"},
		named:    []string{"latest", "stable", "unstable", "musl", "glibc", "uclibc"},
		variants: []string{"musl", "glibc", "uclibc"}},
	"docker.io/library/mysql": {majors: true,
		lines: []string{"5.5.62", "5.6.51", "5.7.44", "8.0.43", "8.1.0", "8.2.0", "8.3.0", "8.4.6",
			"9.0.1", "9.1.0", "9.2.0", "9.3.0", "9.4.0"},
		named:    []string{"latest", "lts", "innovation", "oracle", "debian"},
		variants: []string{"oracle", "debian", "bookworm"}},
	"docker.io/library/ubuntu": {
		named: []string{"latest", "rolling", "devel", "12.04", "14.04", "16.04", "18.04", "20.04", "22.04",
			"24.04", "24.10", "25.04", "precise", "trusty", "xenial", "bionic", "focal", "jammy", "noble",
			"oracular", "plucky"}},
	"docker.io/library/debian": {
		lines: []string{"8.11", "9.13", "10.13", "11.11", "12.11", "13.0"},
		named: []string{"latest", "stable", "oldstable", "testing", "unstable", "sid", "jessie", "stretch",
			"buster", "bullseye", "bookworm", "trixie"},
		variants: []string{"slim", "backports"}},
	"docker.io/library/alpine": {majors: true,
		lines: []string{"3.12.12", "3.13.12", "3.14.10", "3.15.11", "3.16.9", "3.17.10", "3.18.12",
			"3.19.8", "3.20.7", "3.21.4", "3.22.1"},
		named: []string{"latest", "edge"}},
	"docker.io/library/perl": {majors: true,
		lines:    []string{"5.30.3", "5.32.1", "5.34.3", "5.36.3", "5.38.4", "5.40.2"},
		named:    []string{"latest", "stable", "slim", "threaded"},
		variants: []string{"slim", "threaded", "bookworm", "bullseye"}},
	"docker.io/library/centos": {
		named: []string{"latest", "7", "8", "centos7", "centos8", "7.9.2009", "8.4.2105"}},
	// The tutorial's bc image.
	"docker.io/resouer/ubuntu-bc": {named: []string{"latest"}},
	// The NFS provisioners the tutorial and the storage examples run.
	"quay.io/external_storage/nfs-client-provisioner": {named: []string{"latest", "v3.1.0-k8s1.11"}},
	"registry.k8s.io/sig-storage/nfs-subdir-external-provisioner": {
		named: []string{"v4.0.0", "v4.0.1", "v4.0.2"}},
	"registry.k8s.io/pause": {
		named: []string{"3.1", "3.2", "3.3", "3.4.1", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10"}},
	// The PV recycler's image (controllers/volume RecyclerImage).
	"registry.k8s.io/build-image/debian-base": {
		named: []string{"bookworm-v1.0.0", "bookworm-v1.0.1", "bookworm-v1.0.2", "bookworm-v1.0.3", "bookworm-v1.0.4",
			"bookworm-v1.0.5", "bookworm-v1.0.6", "bookworm-v1.0.7", "bookworm-v1.0.8"}},
}

// hasTag reports whether the repository has tag: a named tag, a version of
// one of its lines, or either followed by a dash and one of its variants.
func (repo repository) hasTag(tag string) bool {
	if contains(repo.named, tag) || repo.hasVersion(tag) {
		return true
	}
	base, suffix, ok := strings.Cut(tag, "-")
	if !ok || !repo.hasVariant(suffix) {
		return false
	}
	return contains(repo.named, base) || repo.hasVersion(base)
}

func (repo repository) hasVariant(suffix string) bool {
	for _, v := range repo.variants {
		if strings.HasPrefix(suffix, v) {
			return true
		}
	}
	return false
}

// hasVersion reports whether v is a version on one of the lines.
func (repo repository) hasVersion(v string) bool {
	got, ok := parseVersion(v)
	if !ok {
		return false
	}
	for _, line := range repo.lines {
		newest, _ := parseVersion(line)
		fixed, last := newest[:len(newest)-1], newest[len(newest)-1]
		switch {
		case len(got) < len(fixed):
			if repo.majors && equalInts(got, fixed[:len(got)]) {
				return true
			}
		case len(got) == len(fixed):
			if equalInts(got, fixed) {
				return true
			}
		case len(got) == len(fixed)+1:
			if equalInts(got[:len(fixed)], fixed) && got[len(fixed)] <= last {
				return true
			}
		}
	}
	return false
}

// parseVersion reads a dotted version of plain decimal numbers ("1.25.3");
// leading zeros ("1.025") are not versions.
func parseVersion(v string) ([]int, bool) {
	parts := strings.Split(v, ".")
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || strconv.Itoa(n) != p {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
