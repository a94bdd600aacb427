package sim

import (
	"fmt"

	"github.com/kubesim/kubesim/internal/workload/images"
)

// ImageConfig is an image the simulated registries serve in addition to
// the built-in ones (the tutorial's images and the usual official images:
// busybox, nginx, mysql, ubuntu, debian, alpine, perl...). Pods that name
// any other image fail to pull it, as on a real cluster.
type ImageConfig struct {
	// Ref is the reference pods name, e.g. "myrepo/app:1.0". A reference
	// without a tag adds its "latest" tag.
	Ref string
	// SizeBytes is the image's size in bytes, which sets its first pull
	// time on each node (30 MB a second, plus a second for the registry).
	// 0 means the size of the image it is like.
	SizeBytes int64
	// Like names an existing image whose entrypoint, userland and server
	// the image has ("nginx:1.25" serves HTTP). Empty means busybox.
	Like string
}

// AddImage makes the registries serve img from now on. It is an error to
// add an image that exists, one like an image that does not, or one whose
// reference does not parse.
func (c *Cluster) AddImage(img ImageConfig) error {
	return c.images.Add(img.Ref, img.SizeBytes, img.Like)
}

// newCatalog returns the built-in images plus extra, in order.
func newCatalog(extra []ImageConfig) (*images.Catalog, error) {
	cat := images.NewCatalog()
	for i, img := range extra {
		if err := cat.Add(img.Ref, img.SizeBytes, img.Like); err != nil {
			return nil, fmt.Errorf("sim: images[%d]: %v", i, err)
		}
	}
	return cat, nil
}
