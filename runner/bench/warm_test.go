package bench

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	_ "github.com/faultline-dev/faultline/drivers/all" // the driver families the lab cloud uses
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/scenario"
)

// DirEnv names the directory .ci/bench prepares: the lab's cloud.fl.hcl
// plus a scenario named by ScenarioEnv (default "bench-kill").
const (
	DirEnv      = "FAULTLINE_BENCH_DIR"
	ScenarioEnv = "FAULTLINE_BENCH_SCENARIO"
)

// Same commands as runner/bench/minimal's default rounds, so the
// "transport" sub-benchmark compares the pool with the bare program.
const (
	killRound = `p=$(pgrep -x memcached) || exit 10; kill -s KILL $p; ` +
		`for q in $p; do while kill -0 $q 2>/dev/null; do sleep 0.02; done; done`
	startRound = `service memcached start >/dev/null 2>&1 </dev/null; ` +
		`for i in $(seq 100); do pgrep -x memcached >/dev/null && exit 0; sleep 0.05; done; exit 1`
)

// BenchmarkWarmStep times one scenario run (the kill step and its derived
// rollback, through runner.Execute) on a session whose SSH connections are
// already open ("step"), and the minimal program's two rounds through the
// same session's pool ("transport").
func BenchmarkWarmStep(b *testing.B) {
	cfg, plan, sess := openLab(b)
	ctx := context.Background()
	b.Run("step", func(b *testing.B) {
		mustPass(b, runner.Execute(ctx, plan, sess, runner.ExecOptions{Config: cfg})) // dials
		byKind := map[runner.VertexKind]time.Duration{}
		for b.Loop() {
			res := runner.Execute(ctx, plan, sess, runner.ExecOptions{Config: cfg})
			mustPass(b, res)
			for _, v := range res.Vertices {
				byKind[v.Kind] += v.Duration
			}
		}
		// Where the time goes: the kill step and the rollback (start).
		for _, k := range []runner.VertexKind{runner.KindStep, runner.KindRollback} {
			b.ReportMetric(byKind[k].Seconds()/float64(b.N), string(k)+"-s/op")
		}
	})
	b.Run("transport", func(b *testing.B) {
		ex, nodes := sess.Executor(), sess.Inventory()
		rounds := []drivers.Command{{Script: killRound}, {Script: startRound}}
		for b.Loop() {
			for _, cmd := range rounds {
				for _, r := range ex.RunAll(ctx, nodes, cmd) {
					if !r.OK() {
						b.Fatalf("%s: exit %d, %v: %s", r.Node, r.ExitCode, r.Err, r.Stderr)
					}
				}
			}
		}
	})
}

// openLab loads DirEnv's cloud and scenario, plans it and opens a session.
func openLab(b *testing.B) (*scenario.Config, *runner.Plan, *runner.LiveSession) {
	b.Helper()
	dir := os.Getenv(DirEnv)
	if dir == "" {
		b.Skipf("%s is not set: run .ci/bench, which brings up a lab", DirEnv)
	}
	name := os.Getenv(ScenarioEnv)
	if name == "" {
		name = "bench-kill"
	}
	p := scenario.NewParser()
	cfg, diags := p.Load(dir, scenario.Options{Verbs: drivers.Default.Verbs()})
	if diags.HasErrors() {
		b.Fatalf("loading %s: %v", dir, diags)
	}
	plan, diags := runner.NewPlan(cfg, name, drivers.Default, runner.PlanOptions{Files: p.Files()})
	if diags.HasErrors() {
		b.Fatalf("planning %s: %v", name, diags)
	}
	sess, err := runner.OpenSession(cfg, cfg.Cloud(plan.Cloud), runner.LiveOptions{Seed: plan.Seed})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sess.Close() })
	return cfg, plan, sess
}

func mustPass(b *testing.B, res *runner.Result) {
	b.Helper()
	if res.Status != runner.StatusPassed {
		for _, v := range res.Vertices {
			b.Logf("%+v", v)
		}
		b.Fatalf("run %s: %s", res.Status, res.Message)
	}
}
