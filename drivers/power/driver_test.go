package power

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
)

// fakeCtrl is an in-memory controller: units are on/off switches.
type fakeCtrl struct {
	mu       sync.Mutex
	on       map[string]bool
	calls    []string
	noReset  bool
	ignoreSD bool // ignore soft shutdown (a guest without ACPI)
	snaps    map[string]bool
	boots    map[string]int // each power-on, reset or reboot is a new boot
	ignoreRR bool           // accept reset/reboot requests and do nothing
}

func newFake(units ...string) *fakeCtrl {
	f := &fakeCtrl{on: map[string]bool{}, snaps: map[string]bool{}, boots: map[string]int{}}
	for _, u := range units {
		f.on[u] = true
	}
	return f
}

func (f *fakeCtrl) set(unit, call string, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call+":"+unit)
	if _, ok := f.on[unit]; !ok {
		return errors.New("no such unit " + unit)
	}
	f.on[unit] = on
	if on {
		f.boots[unit]++
	}
	return nil
}

// BootID implements BootTracker: the unit's boot count.
func (f *fakeCtrl) BootID(_ context.Context, u string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.on[u]; !ok {
		return "", errors.New("no such unit " + u)
	}
	return "boot-" + strconv.Itoa(f.boots[u]), nil
}

// ignored records a request the unit accepted and did nothing about.
func (f *fakeCtrl) ignored(call, u string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call+"-ignored:"+u)
	return nil
}

func (f *fakeCtrl) PowerOff(_ context.Context, u string) error { return f.set(u, "off", false) }
func (f *fakeCtrl) PowerOn(_ context.Context, u string) error  { return f.set(u, "on", true) }
func (f *fakeCtrl) Reset(_ context.Context, u string) error {
	if f.noReset {
		return errUnsupportedFor("fake", "reset")
	}
	if f.ignoreRR {
		return f.ignored("reset", u)
	}
	return f.set(u, "reset", true)
}
func (f *fakeCtrl) Reboot(_ context.Context, u string) error {
	if f.ignoreRR {
		return f.ignored("reboot", u)
	}
	return f.set(u, "reboot", true)
}
func (f *fakeCtrl) Shutdown(_ context.Context, u string) error {
	if f.ignoreSD {
		f.mu.Lock()
		f.calls = append(f.calls, "shutdown-ignored:"+u)
		f.mu.Unlock()
		return nil
	}
	return f.set(u, "shutdown", false)
}
func (f *fakeCtrl) State(_ context.Context, u string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	on, ok := f.on[u]
	if !ok {
		return Unknown, errors.New("no such unit " + u)
	}
	if on {
		return On, nil
	}
	return Off, nil
}
func (f *fakeCtrl) Close() error { return nil }
func (f *fakeCtrl) Snapshot(_ context.Context, u, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snaps[u+"/"+name] = true
	return nil
}
func (f *fakeCtrl) Revert(_ context.Context, u, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.snaps[u+"/"+name] {
		return errors.New("no snapshot " + name)
	}
	f.calls = append(f.calls, "revert:"+u+"/"+name)
	return nil
}

func (f *fakeCtrl) callList() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.calls, ",")
}

var testNodes = []drivers.Node{
	{Name: "n1", PowerUnit: "dom-1"},
	{Name: "n2", MAC: "52:54:00:AA:BB:02"},
	{Name: "n3"},
}

func newTestDriver(f *fakeCtrl) *Driver {
	return NewDriver(f, Options{Driver: "fake", Object: "virt", Snapshots: true,
		Units:        map[string]string{"52:54:00:aa:bb:02": "dom-2"},
		StateTimeout: 300 * time.Millisecond, PollInterval: 10 * time.Millisecond, Inventory: testNodes})
}

func TestPowerOffRecordsUndoAndNoMatch(t *testing.T) {
	f := newFake("dom-1", "dom-2")
	d := newTestDriver(f)
	out, err := d.Do(context.Background(), drivers.Request{Action: VerbPowerOff, Nodes: testNodes})
	if err != nil {
		t.Fatal(err)
	}
	want := []drivers.NodeStatus{drivers.StatusOK, drivers.StatusOK, drivers.StatusNoMatch}
	for i, r := range out.Results {
		if r.Status != want[i] {
			t.Errorf("%s: status %s (%s), want %s", r.Node, r.Status, r.Detail, want[i])
		}
	}
	if s, _ := f.State(context.Background(), "dom-2"); s != Off {
		t.Errorf("dom-2 (matched by MAC, case-insensitively) is %s, want off", s)
	}
	if out.Undo == nil || out.Undo.Action != VerbPowerOn || strings.Join(out.Undo.Nodes, ",") != "n1,n2" ||
		out.Undo.State["unit:n2"] != "dom-2" || out.Undo.Object != "virt" {
		t.Fatalf("undo = %+v", out.Undo)
	}
	back, err := d.Revert(context.Background(), *out.Undo)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range back.Results {
		if r.Status != drivers.StatusOK {
			t.Errorf("revert %s: %s %s", r.Node, r.Status, r.Detail)
		}
	}
	if s, _ := f.State(context.Background(), "dom-1"); s != On {
		t.Errorf("dom-1 after revert: %s", s)
	}
}

func TestPowerOffAlreadyOffLeavesNoUndo(t *testing.T) {
	f := newFake("dom-1")
	f.on["dom-1"] = false
	out, err := newTestDriver(f).Do(context.Background(), drivers.Request{Action: VerbPowerOff, Nodes: testNodes[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if out.Undo != nil || !strings.Contains(out.Results[0].Detail, "already off") {
		t.Fatalf("outcome %+v undo %+v", out.Results, out.Undo)
	}
}

func TestResetOnOffUnitPowersOn(t *testing.T) {
	f := newFake("dom-1")
	f.on["dom-1"] = false
	out, _ := newTestDriver(f).Do(context.Background(), drivers.Request{Action: VerbReset, Nodes: testNodes[:1]})
	r := out.Results[0]
	if r.Status != drivers.StatusOK || !strings.Contains(r.Detail, "powered on instead of reset") {
		t.Fatalf("%+v", r)
	}
	if got := f.callList(); got != "on:dom-1" {
		t.Fatalf("calls %s", got)
	}
}

func TestResetUnsupportedFallsBack(t *testing.T) {
	f := newFake("dom-1")
	f.noReset = true
	out, _ := newTestDriver(f).Do(context.Background(), drivers.Request{Action: VerbReset, Nodes: testNodes[:1]})
	r := out.Results[0]
	if r.Status != drivers.StatusOK || !strings.Contains(r.Detail, "did power off + power on instead") {
		t.Fatalf("%+v", r)
	}
	if got := f.callList(); got != "off:dom-1,on:dom-1" {
		t.Fatalf("calls %s", got)
	}
}

func TestPowerCycleWithoutCyclerFallsBack(t *testing.T) {
	f := newFake("dom-1")
	out, _ := newTestDriver(f).Do(context.Background(), drivers.Request{Action: VerbPowerCycle, Nodes: testNodes[:1]})
	if r := out.Results[0]; r.Status != drivers.StatusOK || f.callList() != "off:dom-1,on:dom-1" {
		t.Fatalf("%+v calls %s", r, f.callList())
	}
}

func TestSoftShutdownIgnoredFailsAfterBoundedWait(t *testing.T) {
	f := newFake("dom-1")
	f.ignoreSD = true
	out, _ := newTestDriver(f).Do(context.Background(), drivers.Request{Action: VerbSoftShutdown, Nodes: testNodes[:1]})
	r := out.Results[0]
	if r.Status != drivers.StatusFailed || !strings.Contains(r.Detail, "still on") || !strings.Contains(r.Detail, "use poweroff") {
		t.Fatalf("%+v", r)
	}
	// The request reached the unit, so the rollback must still power it on.
	if out.Undo == nil || out.Undo.Action != VerbPowerOn {
		t.Fatalf("undo %+v", out.Undo)
	}
}

func TestSnapshotRevertRoundTrip(t *testing.T) {
	f := newFake("dom-1")
	d := newTestDriver(f)
	args := cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("before-fault")})
	out, err := d.Do(context.Background(), drivers.Request{Action: VerbSnapshot, Nodes: testNodes[:1], Args: args})
	if err != nil || out.Results[0].Status != drivers.StatusOK {
		t.Fatalf("%v %+v", err, out.Results)
	}
	if out.Undo == nil || out.Undo.Action != VerbRevert || out.Undo.State["name"] != "before-fault" {
		t.Fatalf("undo %+v", out.Undo)
	}
	if _, err := d.Revert(context.Background(), *out.Undo); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.callList(), "revert:dom-1/before-fault") {
		t.Fatalf("calls %s", f.callList())
	}
}

func TestBadInputIsAnError(t *testing.T) {
	d := newTestDriver(newFake("dom-1"))
	bad := []drivers.Request{
		{Action: "explode", Nodes: testNodes},
		{Action: VerbSnapshot, Nodes: testNodes},
		{Action: VerbSnapshot, Nodes: testNodes, Args: cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("a'b</name>")})},
	}
	for _, req := range bad {
		if _, err := d.Do(context.Background(), req); err == nil {
			t.Errorf("%s %#v: no error", req.Action, req.Args)
		}
	}
	noSnap := NewDriver(newFake("dom-1"), Options{Driver: "fake"})
	if _, err := noSnap.Do(context.Background(), drivers.Request{Action: VerbSnapshot}); err == nil ||
		!strings.Contains(err.Error(), "offers: poweroff") {
		t.Errorf("snapshot on a driver without snapshots: %v", err)
	}
}

func TestStateReader(t *testing.T) {
	f := newFake("dom-1", "dom-2")
	f.on["dom-2"] = false
	st, err := newTestDriver(f).State(context.Background(), testNodes)
	if err != nil {
		t.Fatal(err)
	}
	got := st[0].State + "," + st[1].State + "," + st[2].State
	if got != "on,off,unknown" || !strings.Contains(st[2].Detail, "no power unit") {
		t.Fatalf("states %+v", st)
	}
}

func TestConfigDecoding(t *testing.T) {
	cfg := NewConfig(cty.ObjectVal(map[string]cty.Value{
		"units":         cty.MapVal(map[string]cty.Value{"n1": cty.StringVal("d1")}),
		"state_timeout": cty.StringVal("90s"),
		"poll_interval": cty.NumberFloatVal(0.25),
		"port":          cty.StringVal("nope"),
	}))
	o, err := ParseCommon(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if o.Units["n1"] != "d1" || o.StateTimeout != 90*time.Second || o.PollInterval != 250*time.Millisecond {
		t.Fatalf("%+v", o)
	}
	if _, err := cfg.Int("port", 623); err == nil || !strings.Contains(err.Error(), "port") {
		t.Fatalf("bad int: %v", err)
	}
	if p, _ := NewConfig(cty.NilVal).Int("port", 623); p != 623 {
		t.Fatalf("default port %d", p)
	}
}

// TestUnsupportedVerbRefusedBeforeAnyUnit: a verb the driver declares
// unsupported (Options.Unsupported, the same table validate reads) fails
// with ErrUnsupported and the reason, without calling the controller.
func TestUnsupportedVerbRefusedBeforeAnyUnit(t *testing.T) {
	f := newFake("dom-1")
	d := NewDriver(f, Options{Driver: "fake", Unsupported: map[string]string{VerbSoftReboot: "no graceful reboot here"}})
	spec, _ := (drivers.Definition{Actions: d.Actions()}).Action(VerbSoftReboot)
	if spec.Unsupported != "no graceful reboot here" {
		t.Fatalf("Actions() does not mark soft_reboot: %+v", spec)
	}
	_, err := d.Do(context.Background(), drivers.Request{Action: VerbSoftReboot, Nodes: testNodes})
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "no graceful reboot here") {
		t.Fatalf("err = %v", err)
	}
	if len(f.calls) != 0 {
		t.Fatalf("the controller was called: %v", f.calls)
	}
}

// TestRestartIsVerifiedByTheBootIdentity: a unit that accepts a reset or
// soft reboot and does nothing is still on, so being on proves nothing;
// the unchanged boot identity makes it a per-node failure naming why.
func TestRestartIsVerifiedByTheBootIdentity(t *testing.T) {
	for _, verb := range []string{VerbReset, VerbSoftReboot, VerbPowerCycle} {
		f := newFake("dom-1", "dom-2")
		f.ignoreRR = true
		d := newTestDriver(f)
		out, err := d.Do(context.Background(), drivers.Request{Action: verb, Nodes: testNodes[:1]})
		if err != nil {
			t.Fatal(err)
		}
		r := out.Results[0]
		if verb == VerbPowerCycle { // no native cycle: off + on, a real restart
			if r.Status != drivers.StatusOK {
				t.Errorf("%s: %s (%s), want ok", verb, r.Status, r.Detail)
			}
			continue
		}
		if r.Status != drivers.StatusFailed || !strings.Contains(r.Detail, "did not restart") ||
			!strings.Contains(r.Detail, "boot identity still boot-0") || !strings.Contains(r.Detail, "ignored the "+verb+" request") {
			t.Errorf("%s ignored by the target: %s (%s), want failed naming the unchanged boot identity", verb, r.Status, r.Detail)
		}

		f.ignoreRR = false
		out, err = d.Do(context.Background(), drivers.Request{Action: verb, Nodes: testNodes[:1]})
		if err != nil || out.Results[0].Status != drivers.StatusOK {
			t.Errorf("%s carried out: %+v %v", verb, out.Results, err)
		}
	}
}

// untrackedCtrl hides the fake's BootID: a backend that cannot tell
// boots apart gets its restart reported as unverified, not failed.
type untrackedCtrl struct{ Controller }

func TestRestartWithoutBootIdentityIsNotedUnverified(t *testing.T) {
	f := newFake("dom-1")
	d := NewDriver(untrackedCtrl{f}, Options{Driver: "fake", Object: "virt", StateTimeout: 300 * time.Millisecond, PollInterval: 10 * time.Millisecond, Inventory: testNodes})
	out, err := d.Do(context.Background(), drivers.Request{Action: VerbReset, Nodes: testNodes[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Results[0]; r.Status != drivers.StatusOK || !strings.Contains(r.Detail, "reset not verified: fake cannot tell one boot of dom-1 from the next") {
		t.Fatalf("reset on an untracked backend: %s (%s)", r.Status, r.Detail)
	}
}
