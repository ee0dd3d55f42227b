package power

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

// Power states a Controller reports (the drivers package's constants).
const (
	On      = drivers.StateOn
	Off     = drivers.StateOff
	Unknown = drivers.StateUnknown
)

// Controller drives the power of units (libvirt domains, BMCs, Redfish
// systems). A unit is a controller-specific name the adapter resolved for a
// node. Every method acts on one unit and is safe for concurrent use on
// different units.
type Controller interface {
	// PowerOff cuts power at once (hard off).
	PowerOff(ctx context.Context, unit string) error
	// PowerOn powers the unit on.
	PowerOn(ctx context.Context, unit string) error
	// Reset is a cold reset: the unit restarts without an orderly shutdown.
	Reset(ctx context.Context, unit string) error
	// Reboot asks the guest OS for an orderly restart (ACPI or equivalent).
	Reboot(ctx context.Context, unit string) error
	// Shutdown asks the guest OS for an orderly power-off (ACPI or equivalent).
	Shutdown(ctx context.Context, unit string) error
	// State reads the unit's power state: On, Off or Unknown.
	State(ctx context.Context, unit string) (string, error)
	// Close releases connections and sessions.
	Close() error
}

// Cycler is implemented by controllers with a native power cycle (IPMI
// chassis cycle, Redfish PowerCycle). Without it, or when it returns
// ErrUnsupported, the adapter powers off, waits for off, and powers on.
type Cycler interface {
	PowerCycle(ctx context.Context, unit string) error
}

// BootTracker is implemented by controllers that can tell one boot of a
// unit from the next, so a reset or soft reboot is verified by what
// changed rather than by the unit being on (it was on before). BootID
// returns a value that changes whenever the unit restarts; "" (no error)
// means the backend cannot tell for this unit, and the restart is then
// reported as unverified. libvirt: the LXC domain's id (the pid of its
// container process, new on every start); a QEMU domain keeps its id
// across a reset or guest reboot, so it cannot tell. IPMI and Redfish
// expose no boot counter a BMC must keep (see each driver's doc).
type BootTracker interface {
	BootID(ctx context.Context, unit string) (string, error)
}

// Snapshotter is implemented by controllers that can snapshot and restore a
// unit (libvirt). Controllers whose backend lacks it return ErrUnsupported.
type Snapshotter interface {
	Snapshot(ctx context.Context, unit, name string) error
	Revert(ctx context.Context, unit, name string) error
}

// Resolver is implemented by controllers that can find a node's unit
// themselves. hint is the configured unit (the node's power_unit or the
// `units` map entry), "" when none. A node without a unit yields an error
// wrapping ErrNoUnit.
type Resolver interface {
	Resolve(ctx context.Context, node drivers.Node, hint string) (string, error)
}

var (
	// ErrUnsupported marks an operation the backend cannot perform (libvirt
	// LXC reset or snapshots, IPMI graceful reboot, a refused Redfish
	// ResetType). The error's text says what was refused and why.
	ErrUnsupported = errors.New("not supported")
	// ErrNoUnit marks a node with no power unit: "nothing matched".
	ErrNoUnit = errors.New("no power unit")
)

// WaitState polls ctrl until unit reports want, ctx ends (it returns an
// error naming the last state seen), or a state read fails with
// ErrUnsupported. interval <= 0 means 500ms.
func WaitState(ctx context.Context, ctrl Controller, unit, want string, interval time.Duration) error {
	if interval <= 0 {
		interval = 500 * time.Millisecond
	}
	start := time.Now()
	last, lastErr := Unknown, error(nil)
	for {
		st, err := ctrl.State(ctx, unit)
		if err == nil && st == want {
			return nil
		}
		last, lastErr = st, err
		if errors.Is(err, ErrUnsupported) {
			return err
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			if lastErr != nil {
				return fmt.Errorf("unit %s not %s after %s: last state read failed: %w",
					unit, want, time.Since(start).Round(time.Millisecond), lastErr)
			}
			return fmt.Errorf("unit %s still %s after %s, want %s",
				unit, last, time.Since(start).Round(time.Millisecond), want)
		case <-t.C:
		}
	}
}

type noteKey struct{}

type noteSink struct {
	mu    sync.Mutex
	notes []string
}

// Note records a remark about the current operation (a fallback taken, a
// quirk of the backend); the adapter adds it to the node's outcome detail.
// Without an adapter in ctx it does nothing.
func Note(ctx context.Context, format string, args ...any) {
	s, _ := ctx.Value(noteKey{}).(*noteSink)
	if s == nil {
		return
	}
	s.mu.Lock()
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

func withNotes(ctx context.Context) (context.Context, *noteSink) {
	s := &noteSink{}
	return context.WithValue(ctx, noteKey{}, s), s
}

func (s *noteSink) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.notes...)
}
