package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/failpoint"
	"github.com/faultline-dev/faultline/drivers/lease"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/runner/journal"
	"github.com/faultline-dev/faultline/runner/redact"
	"github.com/faultline-dev/faultline/runner/report"
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
	// onReport, when set, is given the run's report (inject -json).
	onReport func(report.Run)
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
				if err := checkSavedPlan(rf.planFile, plans); err != nil {
					fmt.Fprintf(env.Stderr, "faultline run: %v\n", err)
					return exitInvalid
				}
			}
			ctx, hard, stop := interrupts(env)
			defer stop()
			code := exitOK
			for _, p := range plans {
				code = worse(code, runOne(ctx, hard, env, &rf, l, p, path))
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

// runOne runs one planned scenario under a cloud lease with a journal.
func runOne(ctx, hard context.Context, env *Env, rf *runFlags, l *loaded, p *runner.Plan, path string) int {
	host, _ := os.Hostname()
	runID, err := journal.NewRunID(env.Now(), nil)
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline run: %v\n", err)
		return exitFailed
	}
	runsDir := filepath.Join(rf.stateDir, "runs")
	lease, err := journal.AcquireLease(rf.stateDir, p.Cloud, journal.Holder{RunID: runID, PID: os.Getpid(), Host: host, Started: env.Now()})
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline run: %v\n", err)
		return exitFailed
	}
	defer lease.Close()
	red := l.redactor()
	j, err := journal.Open(runsDir, runID, journal.WithRedactor(red))
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline run: %v\n", err)
		return exitFailed
	}
	defer j.Close()
	if err := j.Append(journal.Record{Kind: journal.KindRunStart, RunStart: runStart(runID, p, path, host, env, red)}); err != nil {
		fmt.Fprintf(env.Stderr, "faultline run: %v (nothing injected)\n", err)
		return exitFailed
	}
	cloud := l.cfg.Cloud(p.Cloud)
	sess, err := openSession(l.cfg, cloud, rf.fanout.live(p.Seed))
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline run: %v\n", err)
		_ = j.Append(journal.Record{Kind: journal.KindRunEnd, RunEnd: &journal.RunEnd{Status: journal.StatusFailed, Message: err.Error()}})
		return exitFailed
	}
	defer sess.Close()
	leases, err := takeLeases(ctx, sess, runID, rf.takeLease)
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline run: %v\n", red.String(err.Error()))
		_ = j.Append(journal.Record{Kind: journal.KindRunEnd, RunEnd: &journal.RunEnd{Status: journal.StatusFailed, Message: err.Error()}})
		return exitFailed
	}
	defer leases.Close()
	for _, n := range leases.Notes() {
		fmt.Fprintf(env.Stderr, "faultline: %s\n", red.String(n))
	}
	progress := report.NewProgress(env.Stderr, env.StderrTTY)
	fmt.Fprintf(env.Stderr, "faultline: run %s: scenario %q on cloud %q (seed %d); journal %s\n", runID, p.Scenario, p.Cloud, p.Seed, j.Path())
	res := runner.Execute(ctx, p, sess, runner.ExecOptions{
		RunID: runID, Config: l.cfg, Parallelism: rf.parallelism, Journal: runner.NewJournalSink(j, runner.SecretsOf(l.cfg)...),
		Observer: runner.ReportObserver{O: progress, R: red}, Hard: hard, Now: env.Now, Keep: rf.keep, RollbackTimeout: rf.rollbackTO,
	})
	_ = progress.Close()
	if res.Status == runner.StatusInterrupted || res.Status == runner.StatusDirty {
		// killed scripts leave output files, and an interrupted command
		// what it started: sweep the run's leftovers (armed timers stay)
		sctx, cancel := context.WithTimeout(drivers.WithRunID(hard, runID), time.Minute)
		sweep(sctx, env.Stderr, sess, runID)
		cancel()
	}
	_ = j.Append(journal.Record{Kind: journal.KindRunEnd, RunEnd: &journal.RunEnd{
		Status: journalStatus(res.Status), Message: res.Message, Outstanding: len(res.Outstanding)}})
	run := redact.Copy(red, runner.ReportRun(res, path, host))
	if rf.onReport != nil {
		rf.onReport(run)
	}
	reportErrs := writeReports(rf, run)
	fmt.Fprintf(env.Stderr, "faultline: run %s %s%s\n", runID, res.Status, messageSuffix(red.String(res.Message)))
	for _, err := range reportErrs {
		fmt.Fprintf(env.Stderr, "faultline run: %s\n", red.String(err.Error()))
	}
	if len(reportErrs) > 0 {
		fmt.Fprintf(env.Stderr, "faultline run: exit code %d: the run finished, but %d report(s) could not be written\n",
			exitNoReport, len(reportErrs))
		return worse(exitFor(res.Status), exitNoReport)
	}
	return exitFor(res.Status)
}

// takeLeases takes the run's lease on every node of the session's cloud,
// before anything is sent that could fault a node.
func takeLeases(ctx context.Context, sess *runner.LiveSession, runID string, takeOver bool) (*runner.NodeLeases, error) {
	host, _ := os.Hostname()
	mode := lease.Normal
	if takeOver {
		mode = lease.TakeOverExpired
	}
	ttl := runner.DefaultLeaseTTL
	if v, err := time.ParseDuration(os.Getenv("FAULTLINE_LEASE_TTL")); err == nil && v >= time.Second {
		ttl = v // shorter leases for tests; see README
	}
	return runner.TakeNodeLeases(ctx, sess, lease.Holder{RunID: runID, Host: host, PID: os.Getpid()}, ttl, mode)
}

func messageSuffix(m string) string {
	if m == "" {
		return ""
	}
	return ": " + m
}

func runStart(runID string, p *runner.Plan, path, host string, env *Env, red *redact.Redactor) *journal.RunStart {
	rs := &journal.RunStart{RunID: runID, Scenario: p.Scenario, Cloud: p.Cloud, Fingerprint: p.Fingerprint,
		Seed: p.Seed, Started: env.Now(), PID: os.Getpid(), Host: host}
	sources := p.Sources
	if len(sources) == 0 {
		sources = []string{path}
	}
	for _, s := range sources {
		abs, err := filepath.Abs(s)
		if err != nil {
			abs = s
		}
		rs.Files = append(rs.Files, journaledFile(abs, red))
	}
	return rs
}

// journaledFile is a scenario file's digest and, for faultline HCL files
// that hold no sensitive value literally, its text: recover reopens the
// cloud from it exactly as the run saw it.
func journaledFile(path string, red *redact.Redactor) journal.File {
	b, err := os.ReadFile(path)
	if err != nil {
		return journal.File{Path: path}
	}
	sum := sha256.Sum256(b)
	f := journal.File{Path: path, SHA256: hex.EncodeToString(sum[:])}
	if strings.HasSuffix(path, ".hcl") && !red.Mentions(string(b)) {
		f.Content = string(b)
	}
	return f
}

func journalStatus(s runner.Status) journal.RunStatus {
	switch s {
	case runner.StatusPassed:
		return journal.StatusCompleted
	case runner.StatusInterrupted:
		return journal.StatusInterrupted
	}
	return journal.StatusFailed
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

// writeReports writes every requested report it can and returns an error
// for each one it could not write.
func writeReports(rf *runFlags, run report.Run) []error {
	var failed []error
	for _, out := range []struct {
		flag, path string
		write      func(*os.File) error
	}{
		{"-junit", rf.junit, func(f *os.File) error { return report.WriteJUnit(f, run) }},
		{"-html", rf.html, func(f *os.File) error { return report.WriteHTML(f, run) }},
		{"-report", rf.report, func(f *os.File) error { return report.WriteJSON(f, run) }},
	} {
		if out.path == "" {
			continue
		}
		if err := writeReport(out.path, out.write); err != nil {
			failed = append(failed, fmt.Errorf("%s report not written: %w", out.flag, err))
		}
	}
	return failed
}

func writeReport(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	werr := write(f)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("%s: %w", path, werr)
	}
	return nil
}
