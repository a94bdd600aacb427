package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/sim"
)

// image runs `image add REF [--size SIZE] [--like IMAGE]`: the registries
// serve REF from now on, with that size (which sets its pull time) and
// behaving like IMAGE (busybox unless told).
func (r *Runner) image(words []string, fail failFunc) (string, error) {
	const usage = "usage: image add REF [--size SIZE] [--like IMAGE]"
	if len(words) < 3 || words[1] != "add" {
		return fail(usage)
	}
	img := sim.ImageConfig{Ref: words[2]}
	for i := 3; i < len(words); i++ {
		flag, value, inline := strings.Cut(words[i], "=")
		if !inline {
			if i+1 >= len(words) {
				return fail("image: %s needs a value", flag)
			}
			i++
			value = words[i]
		}
		switch flag {
		case "--size":
			n, err := parseSize(value)
			if err != nil {
				return fail("image: --size: %v", err)
			}
			img.SizeBytes = n
		case "--like":
			img.Like = value
		default:
			return fail("image: unknown flag %q (%s)", flag, usage)
		}
	}
	if err := r.c.AddImage(img); err != nil {
		return fail("image add: %v", err)
	}
	return "", nil
}

// sizeUnits are the units docker prints image sizes in (decimal) and their
// binary counterparts.
var sizeUnits = []struct {
	suffix string
	bytes  float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1},
}

// parseSize reads an image size: bytes ("4300000") or a number with a unit
// ("50MB", "1.5GiB").
func parseSize(s string) (int64, error) {
	number, scale := s, 1.0
	for _, u := range sizeUnits {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			number, scale = n, u.bytes
			break
		}
	}
	f, err := strconv.ParseFloat(number, 64)
	if err != nil || f <= 0 || f*scale > 1<<50 {
		return 0, fmt.Errorf("invalid size %q (want bytes, or a number with kB, MB, GB, KiB, MiB or GiB)", s)
	}
	return int64(f * scale), nil
}
