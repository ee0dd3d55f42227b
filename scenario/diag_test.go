package scenario

import "testing"

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kill", "kill", 0}, {"kil", "kill", 1},
		{"oen", "one", 1}, {"strat", "start", 1}, {"kitten", "sitting", 3}, {"ab", "ba", 1},
		{"memcahced", "memcached", 1}, {"héllo", "hello", 1},
	} {
		if got := levenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	cands := []string{"kill", "restart", "start", "stop"}
	for name, want := range map[string]string{
		"kil": "kill", "strat": "start", "restrat": "restart", "xyz": "", "k": "", "stpo": "stop",
	} {
		if got := nearest(name, cands); got != want {
			t.Errorf("nearest(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestQuotedJoin(t *testing.T) {
	if got := quotedOr([]string{"b", "a", "c"}); got != `"a", "b" or "c"` {
		t.Errorf("quotedOr = %s", got)
	}
	if got := quotedList(nil); got != "(none)" {
		t.Errorf("quotedList(nil) = %s", got)
	}
}
