package diagnostic

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kill", "kill", 0}, {"kil", "kill", 1},
		{"oen", "one", 1}, {"strat", "start", 1}, {"kitten", "sitting", 3}, {"ab", "ba", 1},
		{"memcahced", "memcached", 1}, {"héllo", "hello", 1},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	verbs := []string{"kill", "restart", "start", "stop"}
	for _, tc := range []struct {
		name  string
		cands []string
		want  string
	}{
		{"kil", verbs, "kill"},
		{"strat", verbs, "start"},
		{"restrat", verbs, "restart"},
		{"stpo", verbs, "stop"},
		{"xyz", verbs, ""},
		{"k", verbs, ""},                               // one letter: every candidate is "close"
		{"KILL", verbs, "kill"},                        // case is ignored
		{"validate", []string{"Validate"}, "Validate"}, // returned as given
		{"systm_srvce", []string{"process", "system_service"}, "system_service"},      // 3 edits, long name
		{"srvce", []string{"service"}, "service"},                                     // 2 edits
		{"srvc", []string{"service"}, ""},                                             // 3 edits, short name
		{"private_key", []string{"username", "private_key_file"}, "private_key_file"}, // prefix
		{"fqdn_x", []string{"fqdn"}, "fqdn"},                                          // has a candidate as prefix
		{"abc", []string{"abcdefgh"}, ""},                                             // too short for a prefix
		{"tset", []string{"tset1", "test"}, "test"},                                   // tie at 1: sorted order
		{"x", nil, ""},
	} {
		if got := Nearest(tc.name, tc.cands); got != tc.want {
			t.Errorf("Nearest(%q, %q) = %q, want %q", tc.name, tc.cands, got, tc.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	if got := DidYouMean("kil", []string{"kill"}); got != ` Did you mean "kill"?` {
		t.Errorf("DidYouMean = %q", got)
	}
	if got := DidYouMean("zzz", []string{"kill"}); got != "" {
		t.Errorf("DidYouMean far = %q", got)
	}
}

func TestErrorAtSubject(t *testing.T) {
	r := hcl.Range{Filename: "a.fl.hcl", Start: hcl.Pos{Line: 2, Column: 3, Byte: 10}, End: hcl.Pos{Line: 2, Column: 5, Byte: 12}}
	d := ErrorAt(r, "Bad thing", "The %s is bad.", "thing")
	if d.Severity != hcl.DiagError || d.Summary != "Bad thing" || d.Detail != "The thing is bad." {
		t.Errorf("ErrorAt = %+v", d)
	}
	if d.Subject == nil || *d.Subject != r {
		t.Errorf("subject = %v, want %v", d.Subject, r)
	}
	r.Start.Line = 9 // the diagnostic keeps its own copy
	if d.Subject.Start.Line != 2 {
		t.Error("the subject aliases the caller's range")
	}
	if w := WarningAt(hcl.Range{}, "Hm", "No place."); w.Severity != hcl.DiagWarning || w.Subject != nil {
		t.Errorf("WarningAt with a zero range = %+v, want a warning without subject", w)
	}
}
