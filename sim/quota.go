package sim

// StoreSize returns the total size of the objects in the store, in bytes,
// as the quota (Config.StoreQuotaBytes) counts them.
func (c *Cluster) StoreSize() int64 { return c.store.Size() }
