package sim

// StoreSize returns the total size of the objects in the store, in bytes,
// as the quota (Config.StoreQuotaBytes) counts them.
func (c *Cluster) StoreSize() int64 { return c.store.Size() }

// SetStoreQuota changes the store's space quota to bytes (0 or less: none),
// as restarting etcd with another --quota-backend-bytes would. Objects
// already stored stay; writes that would pass the new quota fail.
func (c *Cluster) SetStoreQuota(bytes int64) {
	c.store.SetQuota(bytes)
	c.traceNote("etcd", "quota-backend-bytes set to %d (%d bytes stored)", max(bytes, 0), c.store.Size())
}
