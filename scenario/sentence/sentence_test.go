package sentence

import (
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
var good = map[string]string{
	// README
	"Restart Keystone service":                                     "restart service.keystone nodes=default",
	"kill nova-api service on one node":                            "kill service.nova-api nodes=one()",
	"Restart neutron_ovs_agent container":                          "restart container.neutron_ovs_agent nodes=default",
	"Terminate neutron_api container on one node":                  "terminate container.neutron_api nodes=one()",
	"Reboot one node with mysql":                                   "reboot nodes nodes=one(running(service.mysql))", // os-faults: read "one" as an FQDN
	"Reset node-2.domain.tld node":                                 "reset nodes nodes=fqdns(\"node-2.domain.tld\")",
	"Disconnect management network on nodes with rabbitmq service": "disconnect network.management nodes=running(service.rabbitmq)",
	"Connect storage network on node-1.domain.tld node":            "connect network.storage nodes=fqdns(\"node-1.domain.tld\")",
	// docs and test suite
	"restart keystone service":                                       "restart service.keystone nodes=default",
	"terminate keystone service on one node":                         "terminate service.keystone nodes=one()",
	"kill keystone service on all nodes":                             "kill service.keystone nodes=default",
	"kill keystone service on random node":                           "kill service.keystone nodes=one()",
	"kill keystone service on single node":                           "kill service.keystone nodes=one()",
	"kill keystone service on some node":                             "kill service.keystone nodes=one()",
	"freeze keystone service on one node for 10 seconds":             "freeze service.keystone nodes=one() for=10s",
	"freeze nova-api service for 30 seconds":                         "freeze service.nova-api nodes=default for=30s",
	"unplug keystone service on node-1.domain.tld node":              "unplug service.keystone nodes=intersect(fqdns(\"node-1.domain.tld\"), running(service.keystone))",
	"plug keystone service on all nodes":                             "plug service.keystone nodes=default",
	"unfreeze etcd service":                                          "unfreeze service.etcd nodes=default",
	"start memcached service on ctl-1 node":                          "start service.memcached nodes=intersect(nodes(\"ctl-1\"), running(service.memcached))",
	"restart neutron_api container on one node":                      "restart container.neutron_api nodes=one()",
	"stress cpu for 20 seconds on all nodes":                         "stress nodes nodes=default kind=cpu for=20s",
	"stress memory for 10 seconds on one node with keystone service": "stress nodes nodes=one(running(service.keystone)) kind=memory for=10s",
	"stress disk for 5 seconds on node-1.domain.tld node":            "stress nodes nodes=fqdns(\"node-1.domain.tld\") kind=disk for=5s",
	"reboot all nodes":                                               "reboot nodes nodes=default",
	"reboot nodes":                                                   "reboot nodes nodes=default",
	"poweroff one node with keystone service":                        "poweroff nodes nodes=one(running(service.keystone))",
	"poweron node-1.domain.tld node":                                 "poweron nodes nodes=fqdns(\"node-1.domain.tld\")",
	"reset nodes with rabbitmq service":                              "reset nodes nodes=running(service.rabbitmq)",
	"disconnect storage network on all nodes":                        "disconnect network.storage nodes=default",
	// os-faults got these wrong; they mean what they say here
	"shutdown random node":                       "shutdown nodes nodes=one()",
	"disconnect management network on one node":  "disconnect network.management nodes=one()",
	"restart keystone service on 2 nodes":        "restart service.keystone nodes=count(2)",
	"restart keystone service on two nodes":      "restart service.keystone nodes=count(2)",
	"stress nodes":                               "stress nodes nodes=default kind=cpu for=10s",
	"stress for 20 seconds on nodes":             "stress nodes nodes=default kind=cpu for=20s",
	"reboot one node with neutron_api container": "reboot nodes nodes=one(running(container.neutron_api))",
	// faultline extensions
	"kill memcached service on 50% nodes":                          "kill service.memcached nodes=percent(50)",
	"kill memcached service on 30 percent of nodes":                "kill service.memcached nodes=percent(30)",
	"reboot majority nodes":                                        "reboot nodes nodes=majority()",
	"disconnect management network on minority nodes for 1 minute": "disconnect network.management nodes=minority() for=1m0s",
	"reboot ctl-1 and ctl-2 nodes":                                 "reboot nodes nodes=nodes(\"ctl-1\", \"ctl-2\")",
	"reboot ctl-1 and cmp-1.lab nodes":                             "reboot nodes nodes=union(nodes(\"ctl-1\"), fqdns(\"cmp-1.lab\"))",
	"reboot 2 nodes with mysql service":                            "reboot nodes nodes=count(2, running(service.mysql))",
	"freeze keystone service on one node for 1m30s":                "freeze service.keystone nodes=one() for=1m30s",
}

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
	{"oom all nodes", "unknown node action \"oom\"", "oom"},
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
