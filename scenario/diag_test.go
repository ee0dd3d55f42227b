package scenario

import "testing"

func TestQuotedJoin(t *testing.T) {
	if got := quotedOr([]string{"b", "a", "c"}); got != `"a", "b" or "c"` {
		t.Errorf("quotedOr = %s", got)
	}
	if got := quotedList(nil); got != "(none)" {
		t.Errorf("quotedList(nil) = %s", got)
	}
}
