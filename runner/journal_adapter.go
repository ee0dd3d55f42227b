package runner

import (
	"context"
	"errors"
	"sync"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/failpoint"
	"github.com/faultline-dev/faultline/runner/journal"
)

// JournalSink adapts a *journal.Journal to the executor's Journal.
type JournalSink struct {
	J *journal.Journal
	// Secrets are sealed out of every inverse before it is written: the
	// journal keeps a reference (var.NAME), never the value (SecretsOf).
	Secrets []journal.Secret
	mu      sync.Mutex
	drivers map[string]string // intent id -> driver name
}

// NewJournalSink wraps j; secrets are sealed out of every inverse.
func NewJournalSink(j *journal.Journal, secrets ...journal.Secret) *JournalSink {
	return &JournalSink{J: j, Secrets: secrets, drivers: map[string]string{}}
}

// Intent writes an inject-intent record (fsync'd) before the fault.
func (s *JournalSink) Intent(f FaultRecord) (string, error) {
	inv := journal.InverseOf(f.Undo, f.Driver)
	journal.Seal(inv, s.Secrets)
	in, err := s.J.Intend(journal.Intent{
		Step: f.Step, Action: f.Verb, Nodes: f.Undo.Nodes,
		Inverse: inv, Duration: f.Duration,
	})
	if err == nil {
		s.mu.Lock()
		s.drivers[in.ID] = f.Driver
		s.mu.Unlock()
	}
	return in.ID, err
}

// Injected writes inject-done or inject-failed.
func (s *JournalSink) Injected(id string, out drivers.Outcome, err error) error {
	if id == "" {
		return nil
	}
	res := &journal.Result{Intent: id, Nodes: journal.NodeResults(out)}
	kind := journal.KindInjectDone
	if out.Undo != nil {
		s.mu.Lock()
		res.Inverse = journal.InverseOf(*out.Undo, s.drivers[id])
		s.mu.Unlock()
		journal.Seal(res.Inverse, s.Secrets)
	}
	if err != nil {
		kind = journal.KindInjectFailed
		res.Error = err.Error()
		res.Clean = out.Undo == nil && !mayHaveApplied(out) // nothing was applied: no revert owed
	}
	return s.J.Append(journal.Record{Kind: kind, Result: res})
}

// Reverted writes revert-done or revert-failed.
func (s *JournalSink) Reverted(id, by string, out drivers.Outcome, err error) error {
	if id == "" {
		return nil
	}
	res := &journal.Result{Intent: id, Nodes: journal.NodeResults(out), By: by}
	kind := journal.KindRevertDone
	if err != nil {
		kind = journal.KindRevertFailed
		res.Error = err.Error()
	}
	return s.J.Append(journal.Record{Kind: kind, Result: res})
}

// Reverter returns a journal.RevertFunc that reopens each outstanding
// fault's driver in sess and reverts it: what `faultline recover` replays.
// Drivers disarm their on-target timers as part of Revert.
// Sealed values are resolved with lookup (SecretLookup of the
// configuration as it is now); a reference it cannot resolve fails that
// fault with the variable's name, and nothing is sent.
func Reverter(ctx context.Context, sess Session, runID string, lookup func(ref string) (string, bool)) journal.RevertFunc {
	ctx = failpoint.WithScope(ctx, "revert")
	return func(in journal.Intent) ([]journal.NodeResult, error) {
		defer failpoint.Hit(failpoint.RevertBetween)
		if in.Inverse == nil {
			return nil, errors.New("no inverse recorded")
		}
		unsealed, err := in.Inverse.Unseal(lookup)
		if err != nil {
			return nil, err
		}
		inv := &unsealed
		drv, err := sess.Driver(ctx, inv.Family, inv.Driver, inv.Object)
		if err != nil {
			return nil, err
		}
		out, err := drv.Revert(ctx, inv.Undo())
		if err == nil {
			err = revertError(out)
		}
		return journal.NodeResults(out), err
	}
}
