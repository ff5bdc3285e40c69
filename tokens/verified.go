package tokens

import (
	"sync"
	"time"
)

// verifiedCache remembers access tokens whose signature and claims were already checked, so that the
// requests of one push or pull verify their bearer token once. Expiry is checked again on every hit; the
// mode epoch is checked by the caller. When full it starts over, which bounds memory.
type verifiedCache struct {
	mu    sync.RWMutex
	max   int
	items map[string]*Claims
}

func newVerifiedCache(max int) *verifiedCache {
	return &verifiedCache{max: max, items: make(map[string]*Claims, max)}
}

func (v *verifiedCache) get(raw string, now time.Time) (*Claims, bool) {
	v.mu.RLock()
	c, ok := v.items[raw]
	v.mu.RUnlock()
	if !ok || now.Unix() > c.ExpiresAt+int64(leeway.Seconds()) || now.Unix() < c.NotBefore-int64(leeway.Seconds()) {
		return nil, false
	}
	return c, true
}

func (v *verifiedCache) put(raw string, c *Claims) {
	v.mu.Lock()
	if len(v.items) >= v.max {
		v.items = make(map[string]*Claims, v.max)
	}
	v.items[raw] = c
	v.mu.Unlock()
}
