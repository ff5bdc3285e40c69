package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
)

// SchemaVersion is the layout of the buckets this code reads and writes.
const SchemaVersion = 1

// Bucket names.
var (
	bucketMeta          = []byte("meta")
	bucketPrincipals    = []byte("principals")
	bucketGroups        = []byte("resourceGroups")
	bucketRegistries    = []byte("registries")
	bucketAssignments   = []byte("roleAssignments")
	bucketKeys          = []byte("keys")
	keySchemaVersion    = []byte("schemaVersion")
	keyDirectory        = []byte("directory")
	allBuckets          = [][]byte{bucketMeta, bucketPrincipals, bucketGroups, bucketRegistries, bucketAssignments, bucketKeys}
	errSchemaMismatched = errors.New("storage: schema version mismatch")
)

// Errors returned by writes.
var (
	// ErrNotFound: the record to change or delete does not exist.
	ErrNotFound = errors.New("storage: not found")
)

// DB is the emulator's metadata store: bbolt on disk, and an immutable in-memory State rebuilt after every
// committed write.
type DB struct {
	bolt  *bbolt.DB
	state atomic.Pointer[State]
	// mu serialises writers, so that each State is built from exactly one committed transaction.
	mu  sync.Mutex
	now func() time.Time
	// onCommit is called with each new State, after it is swapped in, under the writer lock.
	onCommit []func(*State)
}

// Option configures Open.
type Option func(*DB)

// WithClock sets the clock used for record timestamps.
func WithClock(now func() time.Time) Option { return func(db *DB) { db.now = now } }

// Open opens (creating if needed) the bbolt file at path, checks or writes the schema version and loads the
// first State.
func Open(path string, opts ...Option) (*DB, error) {
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open metadata store %s: %w", path, err)
	}
	db := &DB{bolt: b, now: time.Now}
	for _, o := range opts {
		o(db)
	}
	err = b.Update(func(tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySchemaVersion); v != nil {
			if string(v) != fmt.Sprint(SchemaVersion) {
				return fmt.Errorf("%w: file has %s, this build reads %d", errSchemaMismatched, v, SchemaVersion)
			}
			return nil
		}
		return meta.Put(keySchemaVersion, []byte(fmt.Sprint(SchemaVersion)))
	})
	if err == nil {
		err = b.View(func(tx *bbolt.Tx) error {
			st, err := load(tx, nil)
			if err == nil {
				db.state.Store(st)
			}
			return err
		})
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("open metadata store %s: %w", path, err)
	}
	return db, nil
}

// Close closes the bbolt file.
func (db *DB) Close() error { return db.bolt.Close() }

// State returns the current immutable snapshot. Read it without locks for as long as you hold it.
func (db *DB) State() *State { return db.state.Load() }

// Now returns the store's clock reading.
func (db *DB) Now() time.Time { return db.now() }

// Update runs fn in one bbolt read-write transaction. If fn returns nil the transaction commits and the State
// is rebuilt from it before Update returns; otherwise nothing is written.
func (db *DB) Update(fn func(tx *Tx) error) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	prev := db.state.Load()
	var next *State
	err := db.bolt.Update(func(btx *bbolt.Tx) error {
		if err := fn(&Tx{tx: btx, now: db.now()}); err != nil {
			return err
		}
		st, err := load(btx, prev)
		if err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
		next = st
		return nil
	})
	if err != nil {
		return err
	}
	db.state.Store(next)
	for _, fn := range db.onCommit {
		fn(next)
	}
	return nil
}

// OnCommit registers fn to run after every committed write, with the new State. fn runs while writers are
// held off, so it must be quick and must not write to the store.
func (db *DB) OnCommit(fn func(*State)) {
	db.mu.Lock()
	db.onCommit = append(db.onCommit, fn)
	db.mu.Unlock()
}

// Tx is a read-write transaction. Values read from it are copies.
type Tx struct {
	tx  *bbolt.Tx
	now time.Time
}

// Now is the transaction's timestamp.
func (t *Tx) Now() time.Time { return t.now }

func putJSON(b *bbolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put([]byte(key), data)
}

func getJSON(b *bbolt.Bucket, key string, v any) (bool, error) {
	data := b.Get([]byte(key))
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

func del(b *bbolt.Bucket, key string) error {
	if b.Get([]byte(key)) == nil {
		return ErrNotFound
	}
	return b.Delete([]byte(key))
}

// PutDirectory writes the tenant and subscription.
func (t *Tx) PutDirectory(d Directory) error {
	return putJSON(t.tx.Bucket(bucketMeta), string(keyDirectory), d)
}

// PutPrincipal writes a principal, keyed by lower-cased object id.
func (t *Tx) PutPrincipal(p Principal) error {
	if p.Created.IsZero() {
		p.Created = t.now
	}
	return putJSON(t.tx.Bucket(bucketPrincipals), strings.ToLower(p.ObjectID), p)
}

// DeletePrincipal removes a principal.
func (t *Tx) DeletePrincipal(objectID string) error {
	return del(t.tx.Bucket(bucketPrincipals), strings.ToLower(objectID))
}

// PutResourceGroup writes a resource group, keyed by lower-cased name.
func (t *Tx) PutResourceGroup(g ResourceGroup) error {
	if g.Created.IsZero() {
		g.Created = t.now
	}
	return putJSON(t.tx.Bucket(bucketGroups), strings.ToLower(g.Name), g)
}

// DeleteResourceGroup removes a resource group.
func (t *Tx) DeleteResourceGroup(name string) error {
	return del(t.tx.Bucket(bucketGroups), strings.ToLower(name))
}

// Registry reads a registry by name.
func (t *Tx) Registry(name string) (Registry, bool, error) {
	var r Registry
	ok, err := getJSON(t.tx.Bucket(bucketRegistries), strings.ToLower(name), &r)
	return r, ok, err
}

// PutRegistry writes a registry, keyed by lower-cased name.
func (t *Tx) PutRegistry(r Registry) error {
	if r.Created.IsZero() {
		r.Created = t.now
	}
	return putJSON(t.tx.Bucket(bucketRegistries), strings.ToLower(r.Name), r)
}

// DeleteRegistry removes a registry.
func (t *Tx) DeleteRegistry(name string) error {
	return del(t.tx.Bucket(bucketRegistries), strings.ToLower(name))
}

// PutRoleAssignment writes a role assignment, keyed by lower-cased name (its GUID).
func (t *Tx) PutRoleAssignment(a RoleAssignment) error {
	if a.CreatedOn.IsZero() {
		a.CreatedOn = t.now
	}
	a.UpdatedOn = t.now
	return putJSON(t.tx.Bucket(bucketAssignments), strings.ToLower(a.Name), a)
}

// DeleteRoleAssignment removes a role assignment.
func (t *Tx) DeleteRoleAssignment(name string) error {
	return del(t.tx.Bucket(bucketAssignments), strings.ToLower(name))
}

// Key reads a stored signing key by name.
func (t *Tx) Key(name string) []byte {
	v := t.tx.Bucket(bucketKeys).Get([]byte(name))
	return append([]byte(nil), v...)
}

// PutKey stores a signing key.
func (t *Tx) PutKey(name string, pem []byte) error {
	return t.tx.Bucket(bucketKeys).Put([]byte(name), pem)
}
