// Package storage keeps the emulator's metadata: the directory (tenant, principals, groups), resource groups,
// registries and role assignments, in one bbolt file.
//
// # Snapshots
//
// A State is immutable; read it without locks for as long as you hold it. DB.State returns the newest one.
//
// # Writes
//
// Every write is one bbolt Update. The State is rebuilt inside that transaction and swapped in only after
// the commit succeeds, so a reader never sees a half-applied write and a failed write changes nothing.
// Conditions are compiled when their assignment is written; later rebuilds reuse the compiled form.
package storage
