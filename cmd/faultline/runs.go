package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

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
			stateDir := fs.String("state-dir", runner.DefaultStateDir, "read run journals from `DIR`")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			infos, err := runner.Runs(*stateDir)
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

// recoverFlags are `faultline recover`'s flags.
type recoverFlags struct {
	loadFlags
	stateDir  string
	fanout    fanoutFlag
	abandon   bool
	takeLease bool
	reason    string
}

func cmdRecover() *command {
	const usage = "[-state-dir DIR] [-fanout N] [-var NAME=VALUE] [-var-file FILE] [-take-lease] [-abandon -reason TEXT] [RUN ...]"
	return &command{
		name: "recover", short: "undo the faults a crashed or interrupted run left behind, from its journal", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "recover", usage)
			var rf recoverFlags
			rf.registerVars(fs)
			fs.StringVar(&rf.stateDir, "state-dir", runner.DefaultStateDir, "read run journals from `DIR`")
			rf.fanout.register(fs)
			fs.BoolVar(&rf.abandon, "abandon", false, "close the named runs WITHOUT reverting what is left: you checked the nodes (needs -reason; journaled with who and when)")
			fs.BoolVar(&rf.takeLease, "take-lease", false, "take over another run's EXPIRED lease on the nodes")
			fs.StringVar(&rf.reason, "reason", "", "with -abandon: `TEXT` saying what you checked, recorded in the journal")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			ids := fs.Args()
			if rf.abandon {
				return abandonRuns(env, rf.stateDir, ids, rf.reason)
			}
			if len(ids) == 0 {
				var err error
				if ids, err = runner.RunsToRecover(rf.stateDir); err != nil {
					fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
					return exitFailed
				}
				if len(ids) == 0 {
					fmt.Fprintln(env.Stdout, "nothing to recover: no run has outstanding faults")
					return exitOK
				}
			}
			code := exitOK
			for _, id := range ids {
				code = worse(code, recoverRun(env, &rf, id))
			}
			return code
		},
	}
}

// exitCode is an error already reported: the command exits with it.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit code %d", int(c)) }

// usageError is an error of the command line (exit 2).
type usageError struct{ error }

// recoverRun recovers one run through runner.Recover and prints what it
// did: warnings on stderr, the commands it ended, each fault reverted or
// not and what the sweep removed on stdout.
func recoverRun(env *Env, rf *recoverFlags, id string) int {
	if err := journal.CheckRunID(id); err != nil {
		fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
		return exitUsage
	}
	rec, err := runner.Recover(context.Background(), runner.RecoverSpec{
		StateDir: rf.stateDir, RunID: id, Vars: rf.vars, Getenv: env.Getenv,
		Load: func(path, cloud string) (*scenario.Config, error) {
			in, code := loadForDiscover(env, &rf.loadFlags, path, cloud)
			if in == nil {
				return nil, exitCode(code)
			}
			return in.cfg, nil
		},
		Configure: func(cfg *scenario.Config) error {
			if err := rf.hostKeys.apply(env.Getenv, cfg); err != nil {
				return usageError{err}
			}
			return nil
		},
		Session: rf.fanout.live(), TakeOverLease: rf.takeLease, LeaseTTL: leaseTTL(env),
		Warn: func(w string) { fmt.Fprintf(env.Stderr, "faultline recover: warning: %s\n", w) },
	})
	if rec == nil {
		return recoverFailed(env, err)
	}
	writeCleanup(env.Stdout, "ended the crashed run's in-flight commands:", rec.Ended)
	for _, f := range rec.Faults {
		verdict := "reverted"
		if f.Error != "" {
			verdict = "NOT reverted: " + f.Error
		}
		fmt.Fprintf(env.Stdout, "  %s: %s on %s: %s\n", f.Step, f.Action, strings.Join(f.Nodes, ", "), verdict)
	}
	fmt.Fprintf(env.Stdout, "run %s: %d fault(s) reverted, %d failed\n", id, rec.Reverted, rec.Failed)
	writeCleanup(env.Stdout, "swept", rec.Swept)
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
		fmt.Fprintf(env.Stderr, "faultline recover: check those nodes; run recover again, or close the run by hand with `faultline recover -abandon -reason \"...\" %s`\n", id)
		return exitDirty
	}
	return exitOK
}

// recoverFailed reports why a recovery stopped before it reverted
// anything.
func recoverFailed(env *Env, err error) int {
	var code exitCode
	var cfgErr *runner.ConfigError
	var usage usageError
	switch {
	case errors.As(err, &code):
		return int(code)
	case errors.As(err, &cfgErr):
		writeDiagsText(env, cfgErr.Files, cfgErr.Diags)
		return exitInvalid
	case errors.As(err, &usage):
		fmt.Fprintf(env.Stderr, "faultline recover: %v\n", usage.error)
		return exitUsage
	}
	fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
	return exitFailed
}

// abandonRuns closes runs without reverting what is left, recording who
// did it and why. Each run must be named: there is no "abandon all".
func abandonRuns(env *Env, stateDir string, ids []string, reason string) int {
	if len(ids) == 0 {
		fmt.Fprintln(env.Stderr, "faultline recover -abandon: name the run(s) to close (see `faultline runs`)")
		return exitUsage
	}
	if strings.TrimSpace(reason) == "" {
		fmt.Fprintln(env.Stderr, "faultline recover -abandon: -reason is required: say what you checked on the nodes")
		return exitUsage
	}
	code := exitOK
	for _, id := range ids {
		if err := journal.CheckRunID(id); err != nil {
			fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
			code = worse(code, exitUsage)
			continue
		}
		ab, err := runner.Abandon(stateDir, id, reason)
		if err != nil {
			fmt.Fprintf(env.Stderr, "faultline recover: %v\n", err)
			code = worse(code, exitFailed)
			continue
		}
		for _, in := range ab.Left {
			fmt.Fprintf(env.Stdout, "  %s: %s left as it is (abandoned)\n", in.Step, in.Action)
		}
		fmt.Fprintf(env.Stdout, "run %s: %d fault(s) abandoned by %s@%s\n", id, len(ab.Left), ab.User, ab.Host)
	}
	return code
}
