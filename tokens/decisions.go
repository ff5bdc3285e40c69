package tokens

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/acremu/acremu/authz"
)

// DecisionRecord is one logged authorization decision.
type DecisionRecord struct {
	ID        string         `json:"id"`
	Time      time.Time      `json:"time"`
	Requested []authz.Access `json:"requested"`
	Granted   []authz.Access `json:"granted"`
	Trace     authz.Trace    `json:"trace"`
}

// DecisionLog keeps the most recent decisions in a ring, for the explanation API.
type DecisionLog struct {
	mu   sync.Mutex
	ring []DecisionRecord
	next int
	full bool
}

// NewDecisionLog returns a log keeping the last size decisions.
func NewDecisionLog(size int) *DecisionLog { return &DecisionLog{ring: make([]DecisionRecord, size)} }

// Add records a decision and returns its id.
func (l *DecisionLog) Add(now time.Time, req authz.Request, d authz.Decision) string {
	rec := DecisionRecord{ID: newID(), Time: now, Requested: req.Scopes, Granted: d.Granted, Trace: d.Trace}
	l.mu.Lock()
	l.ring[l.next] = rec
	l.next = (l.next + 1) % len(l.ring)
	if l.next == 0 {
		l.full = true
	}
	l.mu.Unlock()
	return rec.ID
}

// Get returns a decision by id, if it is still in the ring.
func (l *DecisionLog) Get(id string) (DecisionRecord, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.ring {
		if r.ID == id && id != "" {
			return r, true
		}
	}
	return DecisionRecord{}, false
}

// Recent returns up to n decisions, newest first.
func (l *DecisionLog) Recent(n int) []DecisionRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	size := l.next
	if l.full {
		size = len(l.ring)
	}
	if n > size {
		n = size
	}
	out := make([]DecisionRecord, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, l.ring[(l.next-i+len(l.ring))%len(l.ring)])
	}
	return out
}

// newID returns a random 128-bit id in hex, shaped as a GUID.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
