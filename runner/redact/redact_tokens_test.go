package redact

import "testing"

// TestRedactorNumberAndBoolTokens: the text of a sensitive number or bool
// is masked as a whole token only, so a short number does not eat digits
// of unrelated numbers; string secrets are masked wherever they appear.
func TestRedactorNumberAndBoolTokens(t *testing.T) {
	r := New("2222", "true", "0.5", "pw22")
	cases := []struct{ in, want string }{
		{"port 2222 refused", "port (sensitive) refused"},
		{"between 1 and 65535, not 2222.", "between 1 and 65535, not (sensitive)."},
		{"waited 2222s", "waited (sensitive)s"},
		{"2222", "(sensitive)"},
		{"port 22222 and 12222 and 2222.5", "port 22222 and 12222 and 2222.5"},
		{"ratio 0.5, not 10.5 or 0.55", "ratio (sensitive), not 10.5 or 0.55"},
		{"flag true; trueish untrue", "flag (sensitive); trueish untrue"},
		{"user:pw22@host xpw22y", "user:(sensitive)@host x(sensitive)y"},
	}
	for _, c := range cases {
		if got := r.String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if !r.Mentions(`{"port":2222}`) || r.Mentions(`{"port":22221}`) {
		t.Error("Mentions must match whole numbers only")
	}
	if got := r.Mask("port = 2222 # 22222"); got != "port = **** # 22222" {
		t.Errorf("Mask = %q", got)
	}
}

func TestRedactorLongestFirst(t *testing.T) {
	r := New("pass", "password1")
	if got := r.String("password1 and pass"); got != "(sensitive) and (sensitive)" {
		t.Errorf("got %q", got)
	}
	var nilR *Redactor
	if got := nilR.String("x"); got != "x" {
		t.Errorf("nil redactor changed the string: %q", got)
	}
}
