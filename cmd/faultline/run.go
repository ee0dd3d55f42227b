package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/faultline-dev/faultline/drivers/failpoint"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/runner/report"
	"github.com/faultline-dev/faultline/scenario"
)

// runFlags are `faultline run`'s own flags.
type runFlags struct {
	loadFlags
	fanout      fanoutFlag
	parallelism int
	junit       string
	html        string
	report      string
	stateDir    string
	planFile    string
	keep        bool
	rollbackTO  time.Duration
	takeLease   bool
}

// registerLease adds -take-lease.
func (rf *runFlags) registerLease(fs *flag.FlagSet) {
	fs.BoolVar(&rf.takeLease, "take-lease", false, "take over another run's EXPIRED lease on the nodes (check first that it left no fault: faultline runs, faultline recover)")
}

func cmdRun() *command {
	const usage = "[-junit FILE] [-html FILE] [-report FILE] [-parallelism N] [-fanout N] [-state-dir DIR] [-rollback-timeout DURATION] [-plan FILE] [-keep] [-take-lease] [-scenario NAME] [-var NAME=VALUE] [-var-file FILE] [-known-hosts FILE] [-host-keys POLICY] [PATH]"
	return &command{
		name: "run", short: "execute a scenario: inject faults, probe, roll back, report", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "run", usage)
			var rf runFlags
			rf.register(fs)
			rf.registerHostKeys(fs)
			fs.IntVar(&rf.parallelism, "parallelism", 4, "run at most `N` plan vertices at once")
			rf.fanout.register(fs)
			fs.StringVar(&rf.junit, "junit", "", "write a JUnit XML report to `FILE`")
			fs.StringVar(&rf.html, "html", "", "write an HTML timeline to `FILE`")
			fs.StringVar(&rf.report, "report", "", "write the JSON run report to `FILE`")
			fs.StringVar(&rf.stateDir, "state-dir", ".faultline", "keep run journals and cloud leases in `DIR`")
			fs.DurationVar(&rf.rollbackTO, "rollback-timeout", 2*time.Minute, "bound each rollback to `DURATION` (plus 1s per node beyond 16)")
			fs.StringVar(&rf.planFile, "plan", "", "run the plan saved in `FILE` by 'faultline plan -out'; refused if the scenario or inventory changed")
			rf.registerLease(fs)
			fs.BoolVar(&rf.keep, "keep", false, "leave the faults in place: skip rollbacks (undo later with 'faultline recover RUN')")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			path, ok := pathArg(env, fs)
			if !ok {
				return exitUsage
			}
			plans, l, diags := buildPlans(env, &rf.loadFlags, path)
			writeDiagsText(env, l.diagFiles(), diags)
			if diags.HasErrors() {
				return exitInvalid
			}
			if rf.planFile != "" {
				if err := runner.CheckSavedPlan(rf.planFile, plans); err != nil {
					fmt.Fprintf(env.Stderr, "faultline run: %v\n", err)
					return exitInvalid
				}
			}
			ctx, hard, stop := interrupts(env)
			defer stop()
			code := exitOK
			for _, p := range plans {
				code = worse(code, runPlan(ctx, hard, env, &rf, l.cfg, p, path, nil))
				if ctx.Err() != nil {
					break
				}
			}
			return code
		},
	}
}

// interrupts turns the first SIGINT/SIGTERM into cancelling ctx (rollbacks
// still run) and the second into cancelling hard (rollbacks abandoned).
func interrupts(env *Env) (ctx, hard context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	hard, cancelHard := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		n := 0
		for {
			select {
			case sig := <-ch:
				n++
				if n == 1 {
					fmt.Fprintf(env.Stderr, "\nfaultline: %s: stopping; rolling back injected faults (send it again to abandon rollbacks)\n", sig)
					cancel()
					failpoint.SignalHandled()
				} else {
					fmt.Fprintf(env.Stderr, "\nfaultline: %s again: abandoning rollbacks; faults may remain (see `faultline recover`)\n", sig)
					cancelHard()
					return
				}
			case <-done:
				return
			}
		}
	}()
	return ctx, hard, func() {
		signal.Stop(ch)
		close(done)
		cancel()
		cancelHard()
	}
}

// runPlan runs one plan through runner.Run (lease, journal, session,
// Execute, sweep, reports) and renders it on env.Stderr: the lease notes
// and the run's start, its progress, what a sweep removed and its end.
// onReport, when set, is given the run's report (inject's view).
func runPlan(ctx, hard context.Context, env *Env, rf *runFlags, cfg *scenario.Config, p *runner.Plan, path string, onReport func(report.Run)) int {
	progress := report.NewProgress(env.Stderr, env.StderrTTY)
	out, err := runner.Run(ctx, runner.RunSpec{
		Config: cfg, Plan: p, Path: path, StateDir: rf.stateDir, Session: rf.fanout.live(),
		Parallelism: rf.parallelism, RollbackTimeout: rf.rollbackTO, Keep: rf.keep, Hard: hard,
		TakeOverLease: rf.takeLease, LeaseTTL: leaseTTL(env), Now: env.Now,
		Reports:  runner.ReportFiles{JUnit: rf.junit, HTML: rf.html, JSON: rf.report},
		Observer: progress,
		Started: func(s runner.RunStarted) {
			for _, n := range s.LeaseNotes {
				fmt.Fprintf(env.Stderr, "faultline: %s\n", n)
			}
			fmt.Fprintf(env.Stderr, "faultline: run %s: scenario %q on cloud %q (seed %d); journal %s\n", s.ID, s.Scenario, s.Cloud, s.Seed, s.Journal)
		},
	})
	_ = progress.Close()
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline run: %v\n", err)
		return exitFailed
	}
	writeCleanup(env.Stderr, "swept", out.Swept)
	for _, n := range out.LeaseNotes {
		fmt.Fprintf(env.Stderr, "faultline: %s\n", n)
	}
	if len(out.StillLeased) > 0 {
		fmt.Fprintf(env.Stderr, "faultline: %s stay leased to run %s while its faults are in place; `faultline recover %s` undoes them and releases the lease\n",
			strings.Join(out.StillLeased, ", "), out.ID, out.ID)
	}
	if onReport != nil {
		onReport(out.Report)
	}
	fmt.Fprintf(env.Stderr, "faultline: run %s %s%s\n", out.ID, out.Status, messageSuffix(out.Message))
	for _, e := range out.ReportErrors {
		fmt.Fprintf(env.Stderr, "faultline run: %s report not written: %v\n", reportFlags[e.Format], e.Err)
	}
	if len(out.ReportErrors) > 0 {
		fmt.Fprintf(env.Stderr, "faultline run: exit code %d: the run finished, but %d report(s) could not be written\n",
			exitNoReport, len(out.ReportErrors))
		return worse(exitFor(out.Status), exitNoReport)
	}
	return exitFor(out.Status)
}

// reportFlags names the flag of each report format.
var reportFlags = map[string]string{"junit": "-junit", "html": "-html", "json": "-report"}

// leaseTTL is $FAULTLINE_LEASE_TTL when it is a duration of a second or
// more (shorter leases for tests; see README), else 0: the default.
func leaseTTL(env *Env) time.Duration {
	if v, err := time.ParseDuration(env.Getenv("FAULTLINE_LEASE_TTL")); err == nil && v >= time.Second {
		return v
	}
	return 0
}

// writeCleanup prints what was ended or removed on each node.
func writeCleanup(w io.Writer, what string, nodes []runner.NodeCleanup) {
	for _, n := range nodes {
		fmt.Fprintf(w, "  %s: %s %s\n", n.Node, what, strings.Join(n.Gone, " "))
	}
}

func messageSuffix(m string) string {
	if m == "" {
		return ""
	}
	return ": " + m
}

// exitFor maps a run's status to the documented exit codes.
func exitFor(s runner.Status) int {
	switch s {
	case runner.StatusPassed:
		return exitOK
	case runner.StatusInterrupted:
		return exitInterrupted
	case runner.StatusDirty:
		return exitDirty
	}
	return exitFailed
}
