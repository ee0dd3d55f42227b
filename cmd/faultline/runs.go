package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/onnode"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/runner/journal"
	"github.com/faultline-dev/faultline/scenario"
)

func cmdRuns() *command {
	const usage = "[-json] [-state-dir DIR]"
	return &command{
		name: "runs", short: "list runs, their state and faults still outstanding", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "runs", usage)
			asJSON := fs.Bool("json", false, "print JSON")
			stateDir := fs.String("state-dir", ".faultline", "read run journals from `DIR`")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			infos, err := journal.List(filepath.Join(*stateDir, "runs"))
			if err != nil {
				newDiagView(env, "runs", *asJSON).Error(err)
				return exitFailed
			}
			if *asJSON {
				if infos == nil {
					infos = []journal.RunInfo{}
				}
				writeJSON(env.Stdout, map[string]any{"format_version": "1.0", "runs": infos})
				return exitOK
			}
			tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "RUN\tSCENARIO\tCLOUD\tSTATE\tOUTSTANDING\tRECOVERED\tABANDONED\tSTARTED\t")
			for _, in := range infos {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t\n", in.ID, in.Scenario, in.Cloud, in.State, in.Outstanding,
					in.Recovered, in.Abandoned, in.Started.Format(time.RFC3339))
			}
			tw.Flush()
			return exitOK
		},
	}
}

func cmdRecover() *command {
	const usage = "[-state-dir DIR] [-fanout N] [-var NAME=VALUE] [-var-file FILE] [-take-lease] [-abandon -reason TEXT] [RUN ...]"
	return &command{
		name: "recover", short: "undo the faults a crashed or interrupted run left behind, from its journal", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "recover", usage)
			var lf loadFlags
			lf.registerVars(fs)
			stateDir := fs.String("state-dir", ".faultline", "read run journals from `DIR`")
			var fan fanoutFlag
			fan.register(fs)
			abandon := fs.Bool("abandon", false, "close the named runs WITHOUT reverting what is left: you checked the nodes (needs -reason; journaled with who and when)")
			takeLease := fs.Bool("take-lease", false, "take over another run's EXPIRED lease on the nodes")
			reason := fs.String("reason", "", "with -abandon: `TEXT` saying what you checked, recorded in the journal")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			runsDir := filepath.Join(*stateDir, "runs")
			ids := fs.Args()
			if *abandon {
				return abandonRuns(env, runsDir, ids, *reason)
			}
			if len(ids) == 0 {
				infos, err := journal.List(runsDir)
				if err != nil {
					fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
					return exitFailed
				}
				for _, in := range infos {
					// Crashed runs are closed too, even with nothing left to undo.
					if in.State != journal.StateRunning && (in.Outstanding > 0 || in.State == journal.StateCrashed) {
						ids = append(ids, in.ID)
					}
				}
				if len(ids) == 0 {
					fmt.Fprintln(env.Stdout, "nothing to recover: no run has outstanding faults")
					return exitOK
				}
			}
			code := exitOK
			for _, id := range ids {
				code = worse(code, recoverRun(env, &lf, fan, runsDir, id, *takeLease))
			}
			return code
		},
	}
}

// recoverRun reopens the run's cloud from the scenario files its journal
// names and replays the outstanding inverses, newest first.
func recoverRun(env *Env, lf *loadFlags, fan fanoutFlag, runsDir, id string, takeOver bool) int {
	if err := journal.CheckRunID(id); err != nil {
		fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
		return exitUsage
	}
	recs, err := journal.Read(journal.Path(runsDir, id))
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
		return exitFailed
	}
	var start *journal.RunStart
	for _, r := range recs {
		if r.RunStart != nil {
			start = r.RunStart
		}
	}
	if start == nil || len(start.Files) == 0 {
		fmt.Fprintf(env.Stderr, "faultline recover: run %s: journal has no run-start record naming its scenario files\n", id)
		return exitFailed
	}
	path := scenarioPathOf(start.Files)
	journaled := true
	for _, f := range start.Files {
		journaled = journaled && f.Content != ""
	}
	for _, f := range start.Files {
		if now := fileDigest(f.Path); now != f.SHA256 {
			what := "changed"
			if now == "" {
				what = "is gone"
			}
			how := "recovering with the copy the run journaled"
			if !journaled {
				how = "the undo is replayed from the journal, but nodes, drivers and credentials are read from the file as it is now (the run journaled no copy: a file holds a sensitive value literally)"
			}
			fmt.Fprintf(env.Stderr, "faultline recover: warning: run %s: %s %s since the run; %s\n", id, f.Path, what, how)
		}
	}
	var in *discoverInput
	var code int
	if journaled {
		in, code = loadJournaled(env, lf, start.Files)
	} else {
		in, code = loadForDiscover(env, lf, path, start.Cloud)
	}
	if in == nil {
		return code
	}
	l := &loaded{cfg: in.cfg, files: in.files}
	cloud := l.cfg.Cloud(start.Cloud)
	if cloud == nil {
		fmt.Fprintf(env.Stderr, "faultline recover: run %s: cloud %q is no longer declared in %s\n", id, start.Cloud, path)
		return exitFailed
	}
	j, err := journal.Open(runsDir, id)
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
		return exitFailed
	}
	defer j.Close()
	sess, err := openSession(l.cfg, cloud, fan.live(start.Seed))
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
		return exitFailed
	}
	defer sess.Close()
	ctx, cancel := context.WithTimeout(drivers.WithRunID(context.Background(), id), 10*time.Minute)
	defer cancel()
	// recover holds the lease in the name of the run it recovers: it
	// renews what that run held, and is refused where another run holds
	// the nodes now
	leases, err := takeLeases(ctx, sess, id, takeOver)
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline recover: run %s: %v\n", id, err)
		return exitFailed
	}
	defer leases.Close()
	// commands the crashed controller sent may still run on the nodes (a
	// stop arriving after recover's start): end them first
	for _, r := range onnode.EndRun(ctx, sess.Executor(), sess.Inventory(), id, drivers.ControllerID()) {
		if ended := onnode.Ended(r); len(ended) > 0 {
			fmt.Fprintf(env.Stdout, "  %s: ended the crashed run's in-flight commands: %s\n", r.Node, strings.Join(ended, " "))
		}
	}
	if err := leases.Refusal(); err != nil {
		// the commands above carried the lease: another run holds a node
		fmt.Fprintf(env.Stderr, "faultline recover: run %s: %v\n", id, err)
		return exitFailed
	}
	host, _ := os.Hostname()
	res, err := j.Recover(os.Getpid(), host, runner.Reverter(ctx, sess, id, runner.SecretLookup(l.cfg)))
	for _, f := range res.Faults {
		verdict := "reverted"
		if f.Error != "" {
			verdict = "NOT reverted: " + f.Error
		}
		fmt.Fprintf(env.Stdout, "  %s: %s on %s: %s\n", f.Step, f.Action, strings.Join(f.Nodes, ", "), verdict)
	}
	fmt.Fprintf(env.Stdout, "run %s: %d fault(s) reverted, %d failed\n", id, res.Reverted, res.Failed)
	if err == nil {
		sweep(ctx, env.Stdout, sess, id)
	}
	if err != nil {
		leases.Leave() // the faults left are still that run's
		fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
		fmt.Fprintf(env.Stderr, "faultline recover: check those nodes; run recover again, or close the run by hand with `faultline recover -abandon -reason \"...\" %s`\n", id)
		return exitDirty
	}
	return exitOK
}

// loadJournaled reopens a run's configuration from the file copies its
// journal holds, under their original names (relative key and
// known_hosts paths resolve as they did), with today's variables.
func loadJournaled(env *Env, lf *loadFlags, files []journal.File) (*discoverInput, int) {
	srcs := make([]scenario.Source, len(files))
	for i, f := range files {
		srcs[i] = scenario.Source{Filename: f.Path, Bytes: []byte(f.Content)}
	}
	p := scenario.NewParser()
	cfg, diags := p.LoadSources(srcs, scenario.Options{Verbs: drivers.Default.Verbs(), Vars: lf.vars, Getenv: env.Getenv})
	if cfg != nil && !diags.HasErrors() {
		diags = append(diags, runner.Validate(cfg, drivers.Default)...)
	}
	l := &loaded{parser: p, cfg: cfg, diags: diags}
	if cfg == nil || diags.HasErrors() {
		writeDiagsText(env, p.Files(), l.redact(diags))
		return nil, exitInvalid
	}
	if err := lf.hostKeys.apply(env.Getenv, cfg); err != nil {
		fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
		return nil, exitUsage
	}
	return &discoverInput{path: files[0].Path, cfg: cfg, files: p.Files()}, exitOK
}

// sweep removes what a run left on its nodes (processes of the run but
// armed timers, stress pid files, marks, output files of killed scripts)
// and says what it removed.
func sweep(ctx context.Context, w io.Writer, sess *runner.LiveSession, id string) {
	for _, r := range onnode.Sweep(ctx, sess.Executor(), sess.Inventory(), id) {
		gone := append(onnode.Ended(r), onnode.Removed(r)...)
		if len(gone) > 0 {
			fmt.Fprintf(w, "  %s: swept %s\n", r.Node, strings.Join(gone, " "))
		}
	}
}

// abandonRuns closes runs without reverting what is left, recording who
// did it and why. Each run must be named: there is no "abandon all".
func abandonRuns(env *Env, runsDir string, ids []string, reason string) int {
	if len(ids) == 0 {
		fmt.Fprintln(env.Stderr, "faultline recover -abandon: name the run(s) to close (see `faultline runs`)")
		return exitUsage
	}
	if strings.TrimSpace(reason) == "" {
		fmt.Fprintln(env.Stderr, "faultline recover -abandon: -reason is required: say what you checked on the nodes")
		return exitUsage
	}
	user := os.Getenv("USER")
	if user == "" {
		user = fmt.Sprint(os.Getuid())
	}
	host, _ := os.Hostname()
	code := exitOK
	for _, id := range ids {
		if err := journal.CheckRunID(id); err != nil {
			fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
			code = worse(code, exitUsage)
			continue
		}
		j, err := journal.Open(runsDir, id)
		if err != nil {
			fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
			code = worse(code, exitFailed)
			continue
		}
		left, err := j.Abandon(user, host, os.Getpid(), reason)
		j.Close()
		if err != nil {
			fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
			code = worse(code, exitFailed)
			continue
		}
		for _, in := range left {
			fmt.Fprintf(env.Stdout, "  %s: %s left as it is (abandoned)\n", in.Step, in.Action)
		}
		fmt.Fprintf(env.Stdout, "run %s: %d fault(s) abandoned by %s@%s\n", id, len(left), user, host)
	}
	return code
}

// scenarioPathOf is the file a run loaded, or the directory of its files.
func scenarioPathOf(files []journal.File) string {
	if len(files) == 1 {
		return files[0].Path
	}
	return filepath.Dir(files[0].Path)
}
