package propcheck_test

import (
	"testing"

	"github.com/kubesim/kubesim/propcheck"
)

// BenchmarkCheck runs the checker as `kubesim check --runs 50 --seed 7`
// does (every fault on) and reports its speed in steps per second and its
// allocations per step; the steps are the same on every run of one build:
//
//	go test -run '^$' -bench Check -benchtime 2x -benchmem ./propcheck/
func BenchmarkCheck(b *testing.B) {
	steps := 0
	b.ReportAllocs()
	for b.Loop() {
		rep, err := propcheck.Run(propcheck.Config{Runs: 50, Seed: 7})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Violations) > 0 {
			b.Fatalf("violations: %v", rep.Violations)
		}
		steps += rep.Steps
	}
	b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
	b.ReportMetric(float64(steps)/float64(b.N), "steps/op")
}
