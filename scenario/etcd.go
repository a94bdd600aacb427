package scenario

import (
	"strings"
)

// etcd runs `etcd quota SIZE`: the store's space quota becomes SIZE (bytes
// or a size with a unit, "2GiB"), as etcd's --quota-backend-bytes sets it;
// "+SIZE" means SIZE more than the store holds now, so a scene can leave
// room for a few objects whatever it stored before.
func (r *Runner) etcd(words []string, fail failFunc) (string, error) {
	const usage = "usage: etcd quota SIZE|+SIZE"
	if len(words) != 3 || words[1] != "quota" {
		return fail(usage)
	}
	value, relative := strings.CutPrefix(words[2], "+")
	n, err := parseSize(value)
	if err != nil {
		return fail("etcd quota: %v", err)
	}
	if relative {
		n += r.c.StoreSize()
	}
	r.c.SetStoreQuota(n)
	return "", nil
}
