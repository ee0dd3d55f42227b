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
	"github.com/faultline-dev/faultline/runner/report"
	"github.com/faultline-dev/faultline/scenario"
)

// DefaultStateDir is where runs keep their journals and cloud leases when
// RunSpec.StateDir or RecoverSpec.StateDir is empty.
const DefaultStateDir = ".faultline"

// RunSpec is one run of a planned scenario: what `faultline run` (and
// `faultline inject`) does for each plan. Only Config and Plan are
// required.
type RunSpec struct {
	// Config is the configuration Plan was made from: its cloud, drivers,
	// probes and sensitive values.
	Config *scenario.Config
	Plan   *Plan
	// Path is what Config was loaded from (a file or a directory). The
	// run-start record names Plan.Sources, or Path when the plan has
	// none; reports name Path as the run's file.
	Path string
	// StateDir keeps the journals (StateDir/runs) and the local cloud
	// leases (default DefaultStateDir).
	StateDir string
	// Session configures the session (Parallelism is the fan-out bound);
	// its Seed is set to the plan's.
	Session LiveOptions
	// Parallelism, RollbackTimeout and Keep are Execute's (ExecOptions).
	Parallelism     int
	RollbackTimeout time.Duration
	Keep            bool
	// Hard is the second interrupt: cancelling it abandons rollbacks
	// (ExecOptions.Hard). Cancelling Run's ctx is the first: the forward
	// phase stops and the rollbacks run.
	Hard context.Context
	// TakeOverLease takes over another run's EXPIRED lease on the nodes
	// (a valid lease is always refused).
	TakeOverLease bool
	// LeaseTTL is the node lease's validity without renewal (default
	// DefaultLeaseTTL).
	LeaseTTL time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Reports are the report files to write; empty paths are skipped.
	Reports ReportFiles
	// Observer, when set, is told of every step, wait, probe sample and
	// rollback as it happens (report.NewProgress renders them on a
	// console). Everything it is given is redacted.
	Observer report.Observer
	// Started, when set, is called once the run holds its journal and its
	// leases, before anything is sent that could fault a node.
	Started func(RunStarted)
}

// ReportFiles names the report files a run writes when it ends.
type ReportFiles struct {
	JUnit string // JUnit XML (report.WriteJUnit)
	HTML  string // the HTML timeline (report.WriteHTML)
	JSON  string // the JSON run report (report.WriteJSON)
}

// RunStarted is what Run tells RunSpec.Started. Strings are redacted.
type RunStarted struct {
	ID       string
	Scenario string
	Cloud    string
	Seed     int64
	// Journal is the journal file's path.
	Journal string
	// LeaseNotes are what taking the node lease noticed so far: with a
	// transport that carries the lease on each node's first command, it is
	// taken later, and RunOutcome.LeaseNotes says what it noticed.
	LeaseNotes []string
}

// RunOutcome is a finished run. Every string in it is redacted.
type RunOutcome struct {
	ID      string
	Journal string
	Status  Status
	Message string
	// Outstanding counts the faults the run leaves in place (Keep, or a
	// rollback that failed or was abandoned): `faultline recover` undoes
	// them.
	Outstanding int
	// Report is the run as the report files show it.
	Report report.Run
	// Swept is what was removed from the nodes after an interrupted or
	// dirty run (output files of killed scripts, commands still running).
	Swept []NodeCleanup
	// ReportErrors lists the report files that could not be written.
	ReportErrors []*ReportError
	// LeaseNotes are what the node lease noticed during the run, after
	// RunStarted's (each node's first command takes it): expired leases
	// taken over, nodes left out, renewals that failed.
	LeaseNotes []string
	// StillLeased lists the nodes the run leaves leased to itself: its
	// faults are in place (Outstanding), and `faultline recover` undoes
	// them and releases the lease.
	StillLeased []string
}

// ReportError is a report file Run could not write.
type ReportError struct {
	Format string // "junit", "html" or "json"
	Path   string
	Err    error // names Path
}

func (e *ReportError) Error() string {
	return fmt.Sprintf("%s report not written: %v", e.Format, e.Err)
}

func (e *ReportError) Unwrap() error { return e.Err }

// NodeCleanup is what was ended or removed on one node: processes of a
// run, its leftover files.
type NodeCleanup struct {
	Node string
	Gone []string
}

// Run runs a planned scenario the way `faultline run` does, so a Go
// program gets the same guarantees: it takes the local cloud lease
// (journal.AcquireLease) and opens the run's journal with a run-start
// record naming (and, when they hold no literal secret, keeping a copy
// of) the scenario files, so `faultline recover` and Recover can find and
// undo the run after a crash; it opens a LiveSession, takes the lease on
// every node (TakeNodeLeases), runs Execute with the journal, sweeps the
// nodes after an interrupted or dirty run, records the run's end and
// writes the report files.
//
// Cancelling ctx is the first interrupt (the rollbacks still run),
// cancelling spec.Hard the second. Run returns an error, and no outcome,
// when the run could not start (the state directory, the cloud lease,
// the session or the node lease); the journal then records the failure
// when it was already open. A run that started returns its outcome, whatever its
// status. Errors and the outcome are redacted.
func Run(ctx context.Context, spec RunSpec) (*RunOutcome, error) {
	if spec.Config == nil || spec.Plan == nil {
		return nil, errors.New("runner.Run: no configuration or no plan")
	}
	spec.defaults()
	red := redact.New(spec.Config.Sensitive...)
	p := spec.Plan
	runID, err := journal.NewRunID(spec.Now(), nil)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	cloudLease, err := journal.AcquireLease(spec.StateDir, p.Cloud, journal.Holder{RunID: runID, PID: os.Getpid(), Host: host, Started: spec.Now()})
	if err != nil {
		return nil, red.Error(err)
	}
	defer cloudLease.Close()
	j, err := journal.Open(filepath.Join(spec.StateDir, "runs"), runID, journal.WithRedactor(red))
	if err != nil {
		return nil, red.Error(err)
	}
	defer j.Close()
	if err := j.Append(journal.Record{Kind: journal.KindRunStart, RunStart: runStart(runID, p, spec.Path, host, spec.Now(), red)}); err != nil {
		return nil, red.Error(fmt.Errorf("%w (nothing injected)", err))
	}
	notStarted := func(err error) (*RunOutcome, error) {
		_ = j.Append(journal.Record{Kind: journal.KindRunEnd, RunEnd: &journal.RunEnd{Status: journal.StatusFailed, Message: err.Error()}})
		return nil, red.Error(err)
	}
	cloud := spec.Config.Cloud(p.Cloud)
	if cloud == nil {
		return notStarted(fmt.Errorf("cloud %q is not declared", p.Cloud))
	}
	live := spec.Session
	live.Seed = p.Seed
	sess, err := OpenSession(spec.Config, cloud, live)
	if err != nil {
		return notStarted(err)
	}
	defer sess.Close()
	leases, err := takeLeases(ctx, sess, runID, spec.TakeOverLease, spec.LeaseTTL)
	if err != nil {
		return notStarted(err)
	}
	defer leases.Close()
	early := leases.Notes()
	if spec.Started != nil {
		spec.Started(redact.Copy(red, RunStarted{ID: runID, Scenario: p.Scenario, Cloud: p.Cloud, Seed: p.Seed,
			Journal: j.Path(), LeaseNotes: early}))
	}
	var obs Observer
	if spec.Observer != nil {
		obs = ReportObserver{O: spec.Observer, R: red}
	}
	res := Execute(ctx, p, sess, ExecOptions{
		RunID: runID, Config: spec.Config, Parallelism: spec.Parallelism, Journal: NewJournalSink(j, SecretsOf(spec.Config)...),
		Observer: obs, Hard: spec.Hard, Now: spec.Now, Keep: spec.Keep, RollbackTimeout: spec.RollbackTimeout,
		Leases: leases,
	})
	out := &RunOutcome{ID: runID, Journal: j.Path(), Status: res.Status, Message: red.String(res.Message), Outstanding: len(res.Outstanding)}
	if res.Status == StatusInterrupted || res.Status == StatusDirty {
		// killed scripts leave output files, and an interrupted command
		// what it started: sweep the run's leftovers (armed timers stay)
		sctx, cancel := context.WithTimeout(drivers.WithRunID(spec.Hard, runID), time.Minute)
		out.Swept = redact.Copy(red, sweep(sctx, sess, runID))
		cancel()
	}
	if len(res.Outstanding) > 0 {
		// faults in place are still this run's: so are their nodes
		out.StillLeased = leases.Leave()
	}
	out.LeaseNotes = redact.Copy(red, leases.Notes()[len(early):])
	_ = j.Append(journal.Record{Kind: journal.KindRunEnd, RunEnd: &journal.RunEnd{
		Status: journalStatus(res.Status), Message: res.Message, Outstanding: len(res.Outstanding)}})
	out.Report = redact.Copy(red, ReportRun(res, spec.Path, host))
	for _, e := range writeReports(spec.Reports, out.Report) {
		e.Err = red.Error(e.Err)
		out.ReportErrors = append(out.ReportErrors, e)
	}
	return out, nil
}

func (spec *RunSpec) defaults() {
	if spec.StateDir == "" {
		spec.StateDir = DefaultStateDir
	}
	if spec.Now == nil {
		spec.Now = time.Now
	}
	if spec.Hard == nil {
		spec.Hard = context.Background()
	}
}

func journalStatus(s Status) journal.RunStatus {
	switch s {
	case StatusPassed:
		return journal.StatusCompleted
	case StatusInterrupted:
		return journal.StatusInterrupted
	}
	return journal.StatusFailed
}
