package runner

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/fake"
	"github.com/faultline-dev/faultline/scenario"
)

// findSession is a fakeSession whose services are discovered (no hosts
// declared), that caches hosts, and whose drivers find their own targets
// for "kill": the object runs on on; elsewhere kill answers no-match.
type findSession struct {
	*fakeSession
	on       []string
	down     map[string]string // node -> why it cannot be reached
	learned  map[string][]string
	discover int
}

// Hosts answers from what was learned, as the live session's cache does,
// and discovers otherwise.
func (s *findSession) Hosts(_ context.Context, kind, object string) ([]string, error) {
	if h, ok := s.learned[kind+"/"+object]; ok {
		return h, nil
	}
	s.discover++
	return s.on, nil
}

func (s *findSession) CachedHosts(kind, object string) ([]string, bool) {
	h, ok := s.learned[kind+"/"+object]
	return h, ok
}

func (s *findSession) LearnHosts(kind, object string, hosts []string) {
	s.learned[kind+"/"+object] = hosts
}

func (s *findSession) Driver(ctx context.Context, f drivers.Family, driver, object string) (drivers.Driver, error) {
	d, err := s.fakeSession.Driver(ctx, f, driver, object)
	return &findingDriver{Driver: d, on: s.on, down: s.down}, err
}

type findingDriver struct {
	drivers.Driver
	on   []string
	down map[string]string
	reqs []drivers.Request
}

func (d *findingDriver) Actions() []drivers.ActionSpec {
	specs := d.Driver.Actions()
	for i := range specs {
		specs[i].FindsTargets = specs[i].Name == "kill"
	}
	return specs
}

func (d *findingDriver) Do(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	d.reqs = append(d.reqs, req)
	if !req.Discovering {
		return d.Driver.Do(ctx, req)
	}
	var hit []drivers.Node
	var out drivers.Outcome
	for _, n := range req.Nodes {
		if why, ok := d.down[n.Name]; ok {
			out.Results = append(out.Results, drivers.NodeOutcome{Node: n.Name, Status: drivers.StatusUnreachable, Detail: n.Name + ": " + why})
			continue
		}
		if slices.Contains(d.on, n.Name) {
			hit = append(hit, n)
		} else {
			out.Results = append(out.Results, drivers.NodeOutcome{Node: n.Name, Status: drivers.StatusNoMatch})
		}
	}
	if len(hit) == 0 {
		return out, nil
	}
	req.Nodes = hit
	o, err := d.Driver.Do(ctx, req)
	o.Results = append(o.Results, out.Results...)
	if o.Undo != nil {
		o.Undo.State[drivers.StateDiscovered] = "1"
	}
	return o, err
}

const findCloud = `
cloud "c" {
  auth {
    username         = "root"
    private_key_file = "/nonexistent/key"
  }
  node "n1" {
    address = "198.18.250.1"
    labels  = { rack = "a" }
  }
  node "n2" { address = "198.18.250.2" }
  node "n3" {
    address = "198.18.250.3"
    labels  = { rack = "a" }
  }
  service "db" {
    driver       = "system_service"
    service_name = "db"
  }
}
`

func runFind(t *testing.T, on []string, step string) (*Result, *findSession, *fake.Fleet) {
	return runFindDown(t, on, nil, step, nil)
}

func runFindDown(t *testing.T, on []string, down map[string]string, step string, obs Observer) (*Result, *findSession, *fake.Fleet) {
	t.Helper()
	fleet := fake.NewFleet()
	reg := fake.Registry(fleet)
	src := findCloud + "scenario \"s\" {\n  cloud = cloud.c\n" + step + "\n}\n"
	cfg, diags := scenario.NewParser().LoadSource("find.fl.hcl", []byte(src), scenario.Options{Verbs: reg.Verbs()})
	if diags.HasErrors() {
		t.Fatalf("load: %s", diags.Error())
	}
	p, diags := NewPlan(cfg, "s", reg)
	if diags.HasErrors() {
		t.Fatalf("plan: %s", diags.Error())
	}
	sess := &findSession{fakeSession: &fakeSession{fleet: fleet, reg: reg, cloud: cfg.Cloud(p.Cloud), count: map[string]int{}},
		on: on, down: down, learned: map[string][]string{}}
	res := Execute(context.Background(), p, sess, ExecOptions{Config: cfg, RunID: "run-find", Observer: obs})
	return res, sess, fleet
}

// TestKillFindsItsOwnTargets: all() (and label filters) of an undiscovered
// service go to every candidate in one request; the nodes without the
// service drop out, the hosts found are learned and rolled back.
func TestKillFindsItsOwnTargets(t *testing.T) {
	for _, tc := range []struct {
		step, want string
		learned    []string
	}{
		{`step "k" { kill = service.db }`, "do kill n1,n3|revert start n1,n3", []string{"n1", "n3"}},
		// a label filter asked only some candidates: nothing is learned of
		// the others
		{`step "k" {
    kill  = service.db
    nodes = with_label("rack", "a")
  }`, "do kill n1,n3|revert start n1,n3", nil},
	} {
		res, sess, fleet := runFind(t, []string{"n1", "n3"}, tc.step)
		if res.Status != StatusPassed {
			t.Fatalf("%s: %s %s", tc.step, res.Status, res.Message)
		}
		if sess.discover != 0 {
			t.Errorf("%s: discovery ran %d times, want none", tc.step, sess.discover)
		}
		if got := strings.Join(ops(fleet), "|"); got != tc.want {
			t.Errorf("%s: ops %q, want %q", tc.step, got, tc.want)
		}
		if !slices.Equal(sess.learned["service/db"], tc.learned) {
			t.Errorf("%s: learned %v", tc.step, sess.learned)
		}
		for _, v := range res.Vertices {
			if v.Kind == KindStep && len(v.Nodes) != 2 {
				t.Errorf("%s: step reports %+v, want the two hosts", tc.step, v.Nodes)
			}
		}
	}
}

// TestFindingOneNodeLearnsNothing: a kill filtered to one node does not
// make that node the service's only host for the rest of the run; a
// second kill on another host still finds it there.
func TestFindingOneNodeLearnsNothing(t *testing.T) {
	res, _, fleet := runFind(t, []string{"n1", "n3"}, `step "a" {
    kill  = service.db
    nodes = nodes("n1")
  }
  step "b" {
    kill  = service.db
    nodes = nodes("n3")
    after = [step.a]
  }`)
	if res.Status != StatusPassed {
		t.Fatalf("%s: %s / %s", res.Status, res.Message, stepMessages(res))
	}
	if got := strings.Join(ops(fleet), "|"); !strings.Contains(got, "do kill n1") || !strings.Contains(got, "do kill n3") {
		t.Errorf("ops %q: want a kill on n1 and one on n3", got)
	}
}

// TestFindingNeedsAPureSelection: a pick (one()) depends on how many hosts
// there are, so discovery runs first.
func TestFindingNeedsAPureSelection(t *testing.T) {
	res, sess, _ := runFind(t, []string{"n1", "n3"}, `step "k" {
    kill  = service.db
    nodes = one()
  }`)
	if res.Status != StatusPassed || sess.discover == 0 {
		t.Fatalf("status %s, discovery ran %d times", res.Status, sess.discover)
	}
}

// TestFindingNothingFails: no candidate runs the service: the step fails
// saying so, and nothing is left to roll back.
func TestFindingNothingFails(t *testing.T) {
	res, _, fleet := runFind(t, nil, `step "k" { kill = service.db }`)
	if res.Status == StatusPassed || !strings.Contains(res.Message+stepMessages(res), `runs on none of "n1", "n2", "n3"`) {
		t.Fatalf("status %s: %s / %s", res.Status, res.Message, stepMessages(res))
	}
	for _, op := range ops(fleet) {
		if strings.HasPrefix(op, "revert") {
			t.Errorf("reverted %q though nothing was hit", op)
		}
	}
}

func stepMessages(res *Result) string {
	var s []string
	for _, v := range res.Vertices {
		s = append(s, v.Message)
	}
	return strings.Join(s, "; ")
}

// noteRecorder keeps the observer's notes.
type noteRecorder struct {
	Observer
	notes []string
}

func (n *noteRecorder) Note(format string, args ...any) {
	n.notes = append(n.notes, fmt.Sprintf(format, args...))
}

// TestUnreachableCandidatesSayWhy: when candidates are left out because
// they cannot be reached, the console says why (an unknown host key),
// not only that they were, and so does "selected no nodes".
func TestUnreachableCandidatesSayWhy(t *testing.T) {
	why := "host key unknown: known_hosts file /root/.ssh/known_hosts does not exist"
	rec := &noteRecorder{Observer: nopObserver{}}
	res, _, _ := runFindDown(t, nil, map[string]string{"n1": why, "n2": why, "n3": why}, `step "k" { kill = service.db }`, rec)
	if res.Status == StatusPassed {
		t.Fatal("passed with every node unreachable")
	}
	note := strings.Join(rec.notes, "\n")
	if !strings.Contains(note, "left out unreachable candidate node(s) n1, n2, n3 ("+why+")") {
		t.Errorf("notes:\n%s\nwant the nodes grouped under their reason", note)
	}
	var msgs []string
	for _, v := range res.Vertices {
		msgs = append(msgs, v.Message)
	}
	if all := strings.Join(msgs, "\n"); !strings.Contains(all, "selected no nodes") || !strings.Contains(all, "unreachable: n1, n2, n3 ("+why+")") {
		t.Errorf("step messages:\n%s\nwant the reason the nodes were unreachable", all)
	}
}
