package storage

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"go.etcd.io/bbolt"
)

func openTest(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "acremu.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestUpdateCommitsAndRollsBack(t *testing.T) {
	db, _ := openTest(t)
	reg := Registry{ID: RegistryID("s", "rg", "reg1"), Name: "reg1", LoginServer: "reg1.azurecr.io"}
	if err := db.Update(func(tx *Tx) error { return tx.PutRegistry(reg) }); err != nil {
		t.Fatal(err)
	}
	before := db.State()
	boom := errors.New("boom")
	err := db.Update(func(tx *Tx) error {
		if err := tx.PutRegistry(Registry{Name: "reg2", LoginServer: "reg2.azurecr.io"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if _, ok := db.State().Registry("reg2"); ok {
		t.Error("a failed write is visible")
	}
	if db.State() != before {
		t.Error("a failed write replaced the state")
	}
	if r, ok := db.State().RegistryByLoginServer("REG1.azurecr.io"); !ok || r.Name != "reg1" {
		t.Errorf("lookup by login server: %v %v", r, ok)
	}
	if err := db.Update(func(tx *Tx) error { return tx.DeleteRegistry("nope") }); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete of a missing registry: %v, want ErrNotFound", err)
	}
}

func TestReopenKeepsDataAndChecksSchema(t *testing.T) {
	db, path := openTest(t)
	p := Principal{ObjectID: "AAAA", Kind: KindUser, UPN: "a@b.c", SecretHash: HashSecret("pw")}
	if err := db.Update(func(tx *Tx) error { return tx.PutPrincipal(p) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := db2.State().UserByUPN("A@B.C")
	if !ok || got.ObjectID != "AAAA" || !got.CheckSecret("pw") || got.CheckSecret("nope") {
		t.Errorf("after reopen: %+v %v", got, ok)
	}
	_ = db2.bolt.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte("99")) })
	db2.Close()
	if _, err := Open(path); err == nil {
		t.Error("a store of another schema version opened")
	}
}

// TestReadersNeverSeeHalfWrites runs readers against a writer that always writes two registries in one
// transaction: every State a reader sees has both or neither.
func TestReadersNeverSeeHalfWrites(t *testing.T) {
	db, _ := openTest(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				st := db.State()
				if len(st.Registries())%2 != 0 {
					t.Error("a reader saw half a transaction")
					return
				}
			}
		}()
	}
	for i := 0; i < 50; i++ {
		err := db.Update(func(tx *Tx) error {
			if err := tx.PutRegistry(Registry{Name: "a" + string(rune('a'+i%26)) + string(rune('a'+i/26)), LoginServer: "x"}); err != nil {
				return err
			}
			return tx.PutRegistry(Registry{Name: "b" + string(rune('a'+i%26)) + string(rune('a'+i/26)), LoginServer: "y"})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if n := len(db.State().Registries()); n != 100 {
		t.Errorf("%d registries, want 100", n)
	}
}

func TestIDs(t *testing.T) {
	a, b := DeterministicGUID("x", "y"), DeterministicGUID("x", "y")
	if a != b || !IsGUID(a) || DeterministicGUID("x", "z") == a {
		t.Errorf("DeterministicGUID: %s %s", a, b)
	}
	for s, want := range map[string]bool{"ac7e0000-0000-4000-8000-000000000001": true, "not-a-guid": false,
		"ac7e0000x0000-4000-8000-000000000001": false, "ac7e0000-0000-4000-8000-00000000000g": false} {
		if IsGUID(s) != want {
			t.Errorf("IsGUID(%q) = %v", s, !want)
		}
	}
}
