package authz

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/acremu/acremu/authz/condition"
)

// benchSnapshot builds n assignments spread over n/10 principals (ten each) and 100 registries; when
// conditioned is set, the first tenth of them (so one assignment in ten of every principal) carry the
// two-prefix condition. Principal "p0" is the one decided for.
func benchSnapshot(b *testing.B, n int, conditioned bool) *Snapshot {
	b.Helper()
	cond, err := condition.Parse(condTwoPrefix)
	if err != nil {
		b.Fatal(err)
	}
	roles := []string{RoleRepositoryReader, RoleRepositoryWriter, RoleAcrPull, RoleAcrPush, RoleCatalogLister}
	as := make([]Assignment, 0, n)
	for i := 0; i < n; i++ {
		a := Assignment{
			ID:               fmt.Sprintf("a%d", i),
			Scope:            fmt.Sprintf("%s/providers/Microsoft.ContainerRegistry/registries/r%d", rg, i%100),
			RoleDefinitionID: roles[i%len(roles)],
			PrincipalID:      fmt.Sprintf("p%d", i%(n/10)),
		}
		if conditioned && i < n/10 {
			a.RoleDefinitionID = RoleRepositoryReader
			a.Condition = cond
		}
		as = append(as, a)
	}
	return NewSnapshot(BuiltInRoles(), as, nil)
}

// benchDecide measures Decide for a docker-push-like request and reports p50/p99 latencies.
func benchDecide(b *testing.B, s *Snapshot, mode Mode) {
	req := Request{Principal: Principal{ObjectID: "p0"}, Registry: Registry{ID: rg + "/providers/Microsoft.ContainerRegistry/registries/r0", Mode: mode},
		Scopes: []Access{{Type: TypeRepository, Name: "backend/api", Actions: []string{ActPull, ActPush}}}}
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		_ = Decide(s, req)
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds())/1e3, "p99-µs")
}

func BenchmarkDecide10kAssignmentsRBAC(b *testing.B) {
	benchDecide(b, benchSnapshot(b, 10000, false), ModeRBAC)
}

func BenchmarkDecide10kAssignments1kConditionsABAC(b *testing.B) {
	benchDecide(b, benchSnapshot(b, 10000, true), ModeABAC)
}

func BenchmarkConditionEvalTwoPrefix(b *testing.B) {
	c, err := condition.Parse(condTwoPrefix)
	if err != nil {
		b.Fatal(err)
	}
	env := condition.Env{Action: DataContentRead, Attributes: []condition.Attribute{{Source: condition.SourceRequest,
		ID: condition.RepositoryNameAttribute, Value: condition.StringValue("frontend/js/app")}}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !c.Eval(env).Value {
			b.Fatal("condition false")
		}
	}
}
