package faultkit_test

import (
	"os/exec"
	"strings"
	"testing"

	_ "github.com/faultline-dev/faultline/drivers/all" // every driver builds its scripts at init
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
	_ "github.com/faultline-dev/faultline/drivers/onnode" // and so does the end-of-run sweep
)

// canonical is bash's own rendering of text as a function body: the parser
// drops comments and layout and keeps every word, so two texts with the
// same rendering mean the same. Empty (with ok false) when bash rejects it.
func canonical(t *testing.T, text string) (string, bool) {
	t.Helper()
	out, err := exec.Command("bash", "-c", "eval \"__fl_body() {\n$1\n:\n}\" && declare -f __fl_body", "bash", text).CombinedOutput()
	return string(out), err == nil
}

func TestCompactCases(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a # c\n", "a\n"},
		{"  x\n  # comment\n\n\ty; z  # c\n", "x\ny; z\n"},
		{"echo \"a # b\" 'c # d'\n", "echo \"a # b\" 'c # d'\n"},
		{"echo '\n  # inside a string\n  '\n", "echo '\n  # inside a string\n  '\n"},
		{"echo \"\n  # inside\n\"\n", "echo \"\n  # inside\n\"\n"},
		{"echo $# ${#x} a#b x=#\n", "echo $# ${#x} a#b x=#\n"},
		{"x=$(\n  foo # c\n  )\n", "x=$(\n  foo\n  )\n"},
		{"foo\\\n   bar\n  baz\n", "foo\\\n   bar\nbaz\n"},
		{"v=\"$(echo \"x # y\")\" # z\n", "v=\"$(echo \"x # y\")\"\n"},
		{"echo `echo '#'` # c\n", "echo `echo '#'`\n"},
		{"n=$(( (1 + 2) * 3 )) # c\n  y\n", "n=$(( (1 + 2) * 3 ))\ny\n"},
		{"case $x in\n  a) echo \"#\" ;; # c\n  *) : ;;\nesac\n", "case $x in\na) echo \"#\" ;;\n*) : ;;\nesac\n"},
		// left as they are: a here-document, an unterminated quote
		{"cat <<EOF\n  # x\nEOF\n", "cat <<EOF\n  # x\nEOF\n"},
		{"echo 'abc\n  # x\n", "echo 'abc\n  # x\n"},
	}
	for _, c := range cases {
		got := faultkit.Compact(c.in)
		if got != c.want {
			t.Errorf("compact(%q)\n got %q\nwant %q", c.in, got, c.want)
			continue
		}
		if a, ok := canonical(t, c.in); ok {
			if b, _ := canonical(t, got); a != b {
				t.Errorf("compact(%q) changed the meaning:\n%s\n---\n%s", c.in, a, b)
			}
		}
	}
}

// TestWatchdogCompactsToItsSource: the timers' watchdog, which the prelude
// carries compacted (fl_wd_sh), parses to exactly what watchdog.sh does.
func TestWatchdogCompactsToItsSource(t *testing.T) {
	a, ok := canonical(t, faultkit.WatchdogSource)
	if !ok {
		t.Fatalf("bash rejects watchdog.sh: %s", a)
	}
	if b, _ := canonical(t, faultkit.Compact(faultkit.WatchdogSource)); a != b {
		t.Errorf("compacting changed the watchdog's meaning:\n%s\n---\n%s", a, b)
	}
}

// TestShippedScriptsMeanTheirSource: for every script the drivers build,
// the compacted body and the prelude subset parse to exactly what their
// source does (bash's canonical rendering), and the subset leaves out no
// definition the script mentions.
func TestShippedScriptsMeanTheirSource(t *testing.T) {
	bodies, scripts := faultkit.Built()
	if len(bodies) < 20 {
		t.Fatalf("only %d scripts built: are the drivers registered?", len(bodies))
	}
	var naive, shipped int
	for i, body := range bodies {
		prelude := faultkit.PreludeFor(body)
		if !strings.HasPrefix(scripts[i], faultkit.Compact(prelude)) || scripts[i] != faultkit.Compact(prelude)+faultkit.Compact(body) {
			t.Fatalf("script %d is not compact(prelude subset) + compact(body)", i)
		}
		for _, text := range []string{body, prelude} {
			a, ok := canonical(t, text)
			if !ok {
				t.Fatalf("bash rejects the source of script %d: %s", i, a)
			}
			if b, _ := canonical(t, faultkit.Compact(text)); a != b {
				t.Errorf("script %d: compacting changed its meaning:\n%s\n---\n%s", i, a, b)
			}
		}
		// every prelude definition named anywhere in the script is in it
		for _, line := range strings.Split(faultkit.Prelude, "\n") {
			name, _, ok := strings.Cut(line, "() {")
			if !ok || !strings.HasPrefix(name, "fl_") {
				continue
			}
			if mentioned(scripts[i], name) && !strings.Contains(scripts[i], name+"() {") {
				t.Errorf("script %d calls %s without defining it", i, name)
			}
		}
		naive += len(faultkit.Prelude) + len(body)
		shipped += len(scripts[i])
	}
	// the point of it all: far fewer bytes to send and parse on every node
	if shipped*2 > naive {
		t.Errorf("shipped %d bytes for %d scripts, naive %d: less than half saved", shipped, len(bodies), naive)
	}
	t.Logf("%d scripts: %d bytes shipped instead of %d", len(bodies), shipped, naive)
}

// mentioned reports whether name occurs in s as a whole word.
func mentioned(s, name string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], name)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(name)
		before := j == 0 || !isNameByte(s[j-1])
		after := end == len(s) || !isNameByte(s[end])
		if before && after {
			return true
		}
		i = end
	}
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func TestPreludeForTakesWhatIsCalled(t *testing.T) {
	p := faultkit.PreludeFor(`fl_wait_gone 1 "$1"`)
	for _, want := range []string{"fl_wait_gone()", "fl_until()", "fl_none_alive()", "fl_now()", "fl_stat()"} {
		if !strings.Contains(p, want) {
			t.Errorf("missing %s", want)
		}
	}
	for _, not := range []string{"fl_arm()", "fl_ipt_del()", "fl_timer_body="} {
		if strings.Contains(p, not) {
			t.Errorf("has %s, which nothing calls", not)
		}
	}
	// and it runs: a PID that cannot exist is gone at once
	out, err := exec.Command("sh", "-c", faultkit.Script(`fl_wait_gone 1 "$1" && echo gone`), "sh", "2147483647").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "gone" {
		t.Fatalf("%q %v", out, err)
	}
}
