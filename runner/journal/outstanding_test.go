package journal

import (
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/google/go-cmp/cmp"
)

func intentRec(in Intent) Record { return Record{Kind: KindInjectIntent, Intent: &in} }

func TestOutstanding(t *testing.T) {
	reboot := killIntent("reboot")
	reboot.Inverse = nil // irreversible: recovers by itself
	cleanFail := result(KindInjectFailed, "b")
	cleanFail.Result.Clean = true
	refined := result(KindInjectDone, "a")
	refined.Result.Inverse = &Inverse{Family: drivers.FamilyNetwork, Object: "mgmt", Driver: "iptables",
		Action: "plug", Nodes: []string{"ctl-1"}, State: map[string]string{"tag": "fl-r1"}}
	refined.Result.Nodes = []NodeResult{{Node: "ctl-1", Status: drivers.StatusOK, Timer: "t-ctl-1"}, {Node: "ctl-2", Status: drivers.StatusOK}}

	tests := map[string]struct {
		recs []Record
		want []string // intent ids, replay order
	}{
		"nothing": {recs: []Record{runStart("r")}, want: nil},
		"intent only (crash before apply)": {
			recs: []Record{runStart("r"), intentRec(killIntent("a"))}, want: []string{"a"}},
		"LIFO": {recs: []Record{runStart("r"), intentRec(killIntent("a")), intentRec(killIntent("b")),
			intentRec(killIntent("c"))}, want: []string{"c", "b", "a"}},
		"reverted ones drop out": {recs: []Record{runStart("r"), intentRec(killIntent("a")),
			intentRec(killIntent("b")), result(KindRevertDone, "a")}, want: []string{"b"}},
		"failed revert stays": {recs: []Record{runStart("r"), intentRec(killIntent("a")),
			result(KindRevertFailed, "a")}, want: []string{"a"}},
		"failed then done": {recs: []Record{runStart("r"), intentRec(killIntent("a")),
			result(KindRevertFailed, "a"), result(KindRevertDone, "a")}, want: nil},
		"dirty inject failure stays": {recs: []Record{runStart("r"), intentRec(killIntent("a")),
			result(KindInjectFailed, "a")}, want: []string{"a"}},
		"clean inject failure drops": {recs: []Record{runStart("r"), intentRec(killIntent("b")), cleanFail},
			want: nil},
		"irreversible skipped": {recs: []Record{runStart("r"), intentRec(reboot)}, want: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, in := range Outstanding(tc.recs) {
				got = append(got, in.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Outstanding ids (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("refined by inject-done", func(t *testing.T) {
		in := killIntent("a")
		in.Timers = []string{"t-ctl-1"}
		got := Outstanding([]Record{runStart("r"), intentRec(in), refined})
		if len(got) != 1 {
			t.Fatalf("got %d intents", len(got))
		}
		if diff := cmp.Diff(refined.Result.Inverse, got[0].Inverse); diff != "" {
			t.Errorf("inverse (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"t-ctl-1"}, got[0].Timers); diff != "" {
			t.Errorf("timers (-want +got):\n%s", diff)
		}
		u := got[0].Inverse.Undo()
		if u.Action != "plug" || u.State["tag"] != "fl-r1" || u.Family != drivers.FamilyNetwork {
			t.Errorf("Undo() = %+v", u)
		}
	})
}
