package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner/journal"
	"github.com/faultline-dev/faultline/runner/redact"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/hashicorp/hcl/v2"
)

// RecoverSpec names a run to recover and says how to reach its cloud
// again. Only RunID is required.
type RecoverSpec struct {
	// StateDir holds the run's journal (default DefaultStateDir).
	StateDir string
	RunID    string
	// Vars and Getenv give the variables their values as they are now
	// (default: no -var, os.Getenv): the journal keeps no secret, a
	// sealed undo names its variable (${var.NAME}) and is resolved from
	// these.
	Vars   []scenario.VarArg
	Getenv func(string) string
	// Load reopens the configuration from the scenario files as they are
	// now, for a run that journaled no copy of them (a file holds a
	// sensitive value literally, or is not faultline HCL: an os-faults
	// file). path is the file the run loaded, or the directory of its
	// files. Nil: faultline HCL, parsed and validated with Vars and
	// Getenv.
	Load func(path, cloud string) (*scenario.Config, error)
	// Configure, when set, adjusts the configuration before the session
	// opens (faultline's -known-hosts and -host-keys).
	Configure func(*scenario.Config) error
	// Session configures the session (Registry default drivers.Default);
	// its Seed is the run's.
	Session LiveOptions
	// TakeOverLease and LeaseTTL are RunSpec's: recover holds the node
	// lease in the name of the run it recovers.
	TakeOverLease bool
	LeaseTTL      time.Duration
	// Timeout bounds the whole recovery (default 10 minutes).
	Timeout time.Duration
	// Warn, when set, is told each warning (Recovery.Warnings) at once,
	// before the configuration is loaded.
	Warn func(string)
}

// Recovery is what Recover did. Every string in it is redacted.
type Recovery struct {
	RunID string
	// Warnings name the scenario files that changed or are gone since the
	// run, and how the cloud was reopened all the same.
	Warnings []string
	// Ended lists the crashed run's commands still running on the nodes,
	// ended before anything was reverted.
	Ended []NodeCleanup
	// Faults are the outstanding faults, newest first, each reverted or
	// not (Error).
	Faults   []journal.FaultOutcome
	Reverted int
	Failed   int
	// Swept is what the run left on the nodes and the sweep removed after
	// every fault was reverted.
	Swept []NodeCleanup
}

// ErrNotRecovered is matched (errors.Is) by Recover's error when faults
// remain: a revert failed, or its result could not be journaled. The run
// stays outstanding; recover it again, or abandon it (Abandon) once the
// nodes were checked by hand.
var ErrNotRecovered = errors.New("faults remain")

type notRecovered struct{ error }

func (notRecovered) Is(target error) bool { return target == ErrNotRecovered }

// ConfigError is a configuration that does not load or validate: its
// diagnostics (redacted) and the sources to render them with.
type ConfigError struct {
	Files map[string]*hcl.File
	Diags hcl.Diagnostics
}

func (e *ConfigError) Error() string { return e.Diags.Error() }

// Recover undoes what a crashed, interrupted or kept run left behind, the
// way `faultline recover` does: it reads the run's journal, reopens the
// cloud from the copies of the scenario files the run journaled (or, when
// it kept none, with spec.Load), takes the node lease in the run's name
// (refused while another run holds the nodes), ends the commands the
// crashed controller may still have running there, replays the
// outstanding inverses newest first (journal.Journal.Recover with
// Reverter) and, when all were reverted, sweeps what the run left on the
// nodes.
//
// Recover returns a Recovery once it replayed the outstanding faults,
// and nil with an error when it stopped before (no journal, no
// configuration, no session or no lease: nothing was reverted). A
// ConfigError means the configuration did not load; an error matching
// ErrNotRecovered comes with the Recovery and means faults remain.
func Recover(ctx context.Context, spec RecoverSpec) (*Recovery, error) {
	spec.defaults()
	if err := journal.CheckRunID(spec.RunID); err != nil {
		return nil, err
	}
	id, runsDir := spec.RunID, RunsDir(spec.StateDir)
	recs, err := journal.Read(journal.Path(runsDir, id))
	if err != nil {
		return nil, err
	}
	var start *journal.RunStart
	for _, r := range recs {
		if r.RunStart != nil {
			start = r.RunStart
		}
	}
	if start == nil || len(start.Files) == 0 {
		return nil, fmt.Errorf("run %s: journal has no run-start record naming its scenario files", id)
	}
	rec := &Recovery{RunID: id}
	cfg, path, err := spec.reopen(rec, start)
	if err != nil {
		return nil, err
	}
	red := redact.New(cfg.Sensitive...)
	cloud := cfg.Cloud(start.Cloud)
	if cloud == nil {
		return nil, fmt.Errorf("run %s: cloud %q is no longer declared in %s", id, start.Cloud, path)
	}
	j, err := journal.Open(runsDir, id, journal.WithRedactor(red))
	if err != nil {
		return nil, red.Error(err)
	}
	defer j.Close()
	live := spec.Session
	live.Seed = start.Seed
	sess, err := OpenSession(cfg, cloud, live)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	ctx, cancel := context.WithTimeout(drivers.WithRunID(ctx, id), spec.Timeout)
	defer cancel()
	// recover holds the lease in the name of the run it recovers: it
	// renews what that run held, and is refused where another run holds
	// the nodes now
	leases, err := takeLeases(ctx, sess, id, spec.TakeOverLease, spec.LeaseTTL)
	if err != nil {
		return nil, red.Error(fmt.Errorf("run %s: %w", id, err))
	}
	defer leases.Close()
	// commands the crashed controller sent may still run on the nodes (a
	// stop arriving after recover's start): end them first
	rec.Ended = redact.Copy(red, endRun(ctx, sess, id))
	if err := leases.Refusal(); err != nil {
		// the commands above carried the lease: another run holds a node
		return nil, red.Error(fmt.Errorf("run %s: %w", id, err))
	}
	host, _ := os.Hostname()
	res, err := j.Recover(os.Getpid(), host, Reverter(ctx, sess, id, SecretLookup(cfg)))
	rec.Faults, rec.Reverted, rec.Failed = redact.Copy(red, res.Faults), res.Reverted, res.Failed
	if err != nil {
		leases.Leave() // the faults left are still that run's
		return rec, notRecovered{red.Error(err)}
	}
	rec.Swept = redact.Copy(red, sweep(ctx, sess, id))
	return rec, nil
}

func (spec *RecoverSpec) defaults() {
	if spec.StateDir == "" {
		spec.StateDir = DefaultStateDir
	}
	if spec.Getenv == nil {
		spec.Getenv = os.Getenv
	}
	if spec.Session.Registry == nil {
		spec.Session.Registry = drivers.Default
	}
	if spec.Timeout <= 0 {
		spec.Timeout = 10 * time.Minute
	}
}

// reopen loads the run's configuration: from the copies the run
// journaled when it kept one of every file, else from the files as they
// are now. It warns (rec.Warnings) about every file changed since.
func (spec *RecoverSpec) reopen(rec *Recovery, start *journal.RunStart) (*scenario.Config, string, error) {
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
			w := fmt.Sprintf("run %s: %s %s since the run; %s", rec.RunID, f.Path, what, how)
			rec.Warnings = append(rec.Warnings, w)
			if spec.Warn != nil {
				spec.Warn(w)
			}
		}
	}
	var cfg *scenario.Config
	var err error
	switch {
	case journaled:
		cfg, err = spec.loadJournaled(start.Files)
	case spec.Load != nil:
		cfg, err = spec.Load(path, start.Cloud)
	default:
		cfg, err = spec.loadFiles(path)
	}
	if err == nil && spec.Configure != nil {
		err = spec.Configure(cfg)
	}
	return cfg, path, err
}

// loadJournaled reopens a run's configuration from the file copies its
// journal holds, under their original names (relative key and
// known_hosts paths resolve as they did), with today's variables.
func (spec *RecoverSpec) loadJournaled(files []journal.File) (*scenario.Config, error) {
	srcs := make([]scenario.Source, len(files))
	for i, f := range files {
		srcs[i] = scenario.Source{Filename: f.Path, Bytes: []byte(f.Content)}
	}
	p := scenario.NewParser()
	cfg, diags := p.LoadSources(srcs, spec.loadOptions())
	return spec.validated(p, cfg, diags)
}

// loadFiles is the default Load: faultline HCL at path as it is now.
func (spec *RecoverSpec) loadFiles(path string) (*scenario.Config, error) {
	p := scenario.NewParser()
	cfg, diags := p.Load(path, spec.loadOptions())
	return spec.validated(p, cfg, diags)
}

func (spec *RecoverSpec) loadOptions() scenario.Options {
	return scenario.Options{Verbs: spec.Session.Registry.Verbs(), Vars: spec.Vars, Getenv: spec.Getenv}
}

func (spec *RecoverSpec) validated(p *scenario.Parser, cfg *scenario.Config, diags hcl.Diagnostics) (*scenario.Config, error) {
	if cfg != nil && !diags.HasErrors() {
		diags = append(diags, Validate(cfg, spec.Session.Registry)...)
	}
	if cfg == nil || diags.HasErrors() {
		var red *redact.Redactor
		if cfg != nil {
			red = redact.New(cfg.Sensitive...)
		}
		return nil, &ConfigError{Files: red.Files(p.Files()), Diags: red.Diagnostics(diags)}
	}
	return cfg, nil
}

// scenarioPathOf is the file a run loaded, or the directory of its files.
func scenarioPathOf(files []journal.File) string {
	if len(files) == 1 {
		return files[0].Path
	}
	return filepath.Dir(files[0].Path)
}

// RunsDir is where the journals of a state directory are.
func RunsDir(stateDir string) string {
	if stateDir == "" {
		stateDir = DefaultStateDir
	}
	return filepath.Join(stateDir, "runs")
}

// Runs lists the runs of a state directory, oldest first, with their
// state and the faults still outstanding.
func Runs(stateDir string) ([]journal.RunInfo, error) { return journal.List(RunsDir(stateDir)) }

// RunsToRecover lists the runs Recover has work for: every run that is
// not running and still has outstanding faults, and every crashed run
// (closed by recover even with nothing left to undo).
func RunsToRecover(stateDir string) ([]string, error) {
	infos, err := Runs(stateDir)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, in := range infos {
		if in.State != journal.StateRunning && (in.Outstanding > 0 || in.State == journal.StateCrashed) {
			ids = append(ids, in.ID)
		}
	}
	return ids, nil
}

// Abandoned is a run Abandon closed.
type Abandoned struct {
	// Left are the faults left as they are.
	Left []journal.Intent
	// User and Host are who closed the run, as the journal records it.
	User string
	Host string
}

// Abandon closes a run WITHOUT reverting what it left: a person checked
// the nodes and says so in reason, which the journal records with who
// did it, where and when. It refuses an empty reason.
func Abandon(stateDir, runID, reason string) (*Abandoned, error) {
	if err := journal.CheckRunID(runID); err != nil {
		return nil, err
	}
	user := os.Getenv("USER")
	if user == "" {
		user = fmt.Sprint(os.Getuid())
	}
	host, _ := os.Hostname()
	j, err := journal.Open(RunsDir(stateDir), runID)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	left, err := j.Abandon(user, host, os.Getpid(), reason)
	if err != nil {
		return nil, err
	}
	return &Abandoned{Left: left, User: user, Host: host}, nil
}
