package sentence

import (
	"os"
	"strings"
	"testing"
)

var vocab = Vocabulary{
	ServiceVerbs:   []string{"start", "terminate", "restart", "kill", "freeze", "unfreeze", "plug", "unplug"},
	ContainerVerbs: []string{"start", "terminate", "restart", "kill", "pause", "unpause", "plug", "unplug"},
	NodeVerbs:      []string{"reboot", "shutdown", "poweroff", "poweron", "reset", "stress", "disk_fill", "exec"},
	NetworkVerbs:   []string{"connect", "disconnect", "partition", "heal", "loss", "restore"},
	Services:       []string{"keystone", "nova-api", "mysql", "rabbitmq", "memcached", "etcd"},
	Containers:     []string{"neutron_api", "neutron_ovs_agent"},
	Networks:       []string{"management", "storage", "private", "public"},
	NodeNames:      []string{"ctl-1", "ctl-2", "cmp-1"},
	NodeFQDNs:      []string{"node-1.domain.tld", "node-2.domain.tld", "cmp-1.lab"},
}

// Every sentence from the os-faults README, docs and test suite, plus the
// ones os-faults got wrong (marked), mapped to the command they mean.
// good is the os-faults sentence corpus (testdata/os-faults-corpus.txt):
// sentence -> the command it means.
var good = loadCorpus()

func TestParseGood(t *testing.T) {
	for in, want := range good {
		cmd, err := Parse(in, vocab)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if got := cmd.String(); got != want {
			t.Errorf("Parse(%q)\n got  %s\n want %s", in, got, want)
		}
	}
}

// Each bad sentence names the word where parsing stopped and what was
// expected or suggested.
var bad = []struct{ in, msg, at string }{
	{"", "empty sentence", ""},
	{"please restart keystone service now", "unknown node action \"please\"", "please"},
	{"restart keystone service now", "unexpected \"now\"", "now"},
	{"kil nova-api service on one node", "did you mean \"kill\"", "kil"},
	{"kill nova-apo service on one node", "did you mean \"nova-api\"", "nova-apo"},
	{"kill memcached service on one", "want \"node\" or \"nodes\"", ""},
	{"kill memcached service on node-9.lab node", "unknown node \"node-9.lab\"", "node-9.lab"},
	{"reboot ctl-3 node", "did you mean \"ctl-1\"", "ctl-3"},
	{"pause memcached service", "unknown service action \"pause\"", "pause"},
	{"oom all nodes", "os-faults declared oom but never implemented it", "oom"},
	{"freeze keystone service for ten seconds", "positive whole number", "ten"},
	{"freeze keystone service for 10 hours", "want \"seconds\" or \"minutes\"", "hours"},
	{"kill memcached service on 0 nodes", "count must be positive", "0"},
	{"kill memcached service on 150% nodes", "percentage must be in", "150%"},
	{"reboot one node with mysqld", "did you mean \"mysql\"", "mysqld"},
	{"kill memcached service with mysql service", "unexpected \"with\"", "with"},
	{"disconnect mgmt network on one node", "unknown network \"mgmt\"", "mgmt"},
	{"freeze keystone service for 10 seconds for 5 seconds", "\"for\" given twice", "for 5"},
}

func TestParseBad(t *testing.T) {
	for _, tc := range bad {
		_, err := Parse(tc.in, vocab)
		if err == nil {
			t.Errorf("Parse(%q): no error, want %q", tc.in, tc.msg)
			continue
		}
		e := err.(*Error)
		if !strings.Contains(e.Msg, tc.msg) {
			t.Errorf("Parse(%q): %q, want it to contain %q", tc.in, e.Msg, tc.msg)
		}
		wantOff := len(tc.in)
		if tc.at != "" {
			wantOff = strings.Index(tc.in, tc.at)
		}
		if e.Offset != wantOff {
			t.Errorf("Parse(%q): error at offset %d, want %d (%q)\n%v", tc.in, e.Offset, wantOff, tc.at, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for in := range good {
		f.Add(in)
	}
	for _, tc := range bad {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cmd, err := Parse(s, vocab)
		if err == nil && cmd == nil {
			t.Fatal("nil command without error")
		}
		if err != nil {
			e := err.(*Error)
			if e.Offset < 0 || e.Offset > len(s) {
				t.Fatalf("offset %d out of range for %q", e.Offset, s)
			}
			_ = e.Error()
		}
	})
}

// TestLearnedFQDNs: where nodes declare no FQDN, a dotted word in the node
// slot is an FQDN to learn at run time; other unknown words stay errors.
func TestLearnedFQDNs(t *testing.T) {
	v := vocab
	v.LearnFQDNs = true
	cmd, err := Parse("kill memcached service on node-9.lab node", v)
	if err != nil || cmd.String() != `kill service.memcached nodes=intersect(fqdns("node-9.lab"), running(service.memcached))` {
		t.Fatalf("got %v, %v", cmd, err)
	}
	for _, in := range []string{"kill memcached service on node-9 node", "kill memcached service on 10.0.0.1 node", "kill memcached service on .lab node"} {
		if _, err := Parse(in, v); err == nil || !strings.Contains(err.Error(), "unknown node") {
			t.Errorf("Parse(%q): %v, want unknown node", in, err)
		}
	}
}

// loadCorpus reads testdata/os-faults-corpus.txt: `SENTENCE => COMMAND`
// lines, # comments.
func loadCorpus() map[string]string {
	src, err := os.ReadFile("testdata/os-faults-corpus.txt")
	if err != nil {
		panic(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(src), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		in, want, ok := strings.Cut(line, " => ")
		if !ok {
			panic("corpus line without \" => \": " + line)
		}
		out[in] = want
	}
	return out
}
