package ssh

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/shell"
)

func TestBecomeMethodsRegistered(t *testing.T) {
	for _, m := range []string{"sudo", "doas", "su"} {
		if !slices.Contains(BecomeMethods(), m) {
			t.Errorf("become method %q not registered (have %v)", m, BecomeMethods())
		}
		if b, err := becomerFor(BecomeConfig{Method: m}); err != nil || b.Name() != m {
			t.Errorf("becomerFor(%q) = %v, %v", m, b, err)
		}
	}
}

func TestDoasWrap(t *testing.T) {
	argv := []string{"sh", "-c", "echo \"$1\"", "sh", "a b"}
	line, prefix, err := Doas{}.Wrap(argv, BecomeConfig{})
	if err != nil || prefix != nil || line != shell.Join("doas", "-n", "--", "sh", "-c", "echo \"$1\"", "sh", "a b") {
		t.Fatalf("root: %q %q %v", line, prefix, err)
	}
	line, _, err = Doas{}.Wrap(argv, BecomeConfig{User: "svc"})
	if err != nil || !strings.HasPrefix(line, "doas -n -u svc -- sh -c ") {
		t.Fatalf("as svc: %q %v", line, err)
	}
	line, prefix, err = Doas{}.Wrap(argv, BecomeConfig{Password: "s3cret"})
	if err == nil || line != "" || prefix != nil || strings.Contains(err.Error(), "s3cret") ||
		!strings.Contains(err.Error(), "nopass") || !strings.Contains(err.Error(), "sudo") {
		t.Fatalf("password must be refused with a clear error: %q %q %v", line, prefix, err)
	}
}

func TestSuWrap(t *testing.T) {
	argv := []string{"sh", "-c", "echo \"$1\"", "sh", "it's"}
	line, prefix, err := Su{}.Wrap(argv, BecomeConfig{})
	if err != nil || prefix != nil || line != shell.Script(suWrapper, shell.Join(argv...), "root") {
		t.Fatalf("root: %q %q %v", line, prefix, err)
	}
	line, _, err = Su{}.Wrap(argv, BecomeConfig{User: "svc"})
	if err != nil || !strings.HasSuffix(line, " svc") {
		t.Fatalf("as svc: %q %v", line, err)
	}
	line, prefix, err = Su{}.Wrap(argv, BecomeConfig{Password: "s3cret"})
	if err == nil || line != "" || prefix != nil || strings.Contains(err.Error(), "s3cret") ||
		!strings.Contains(err.Error(), "sudo") || !strings.Contains(err.Error(), "doas") {
		t.Fatalf("password must be refused with a clear error: %q %q %v", line, prefix, err)
	}
}

func TestRenderDoasSuPassword(t *testing.T) {
	cmd := drivers.Command{Script: "id", Become: true}
	for _, m := range []string{"doas", "su"} {
		_, err := render(Target{Auth: Auth{User: "ops", Become: BecomeConfig{Method: m, Password: "s3cret"}}}, cmd, nil)
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s with a password: %v", m, err)
		}
		// Already the user to become: nothing to wrap, so no error.
		r, err := render(Target{Auth: Auth{User: "root", Become: BecomeConfig{Method: m, Password: "s3cret"}}}, cmd, nil)
		if err != nil || r.becomer != nil {
			t.Errorf("%s as root login: %+v %v", m, r, err)
		}
	}
}

func TestDoasFailed(t *testing.T) {
	d := Doas{}
	for _, c := range []struct {
		code   int
		stderr string
		want   string
	}{
		{1, "doas: Operation not permitted\n", "does not permit"},
		{1, "doas: Authentication required\n", "nopass"},
		{1, "doas: Authorization required\n", "nopass"},
		{1, "doas: doas is not enabled, /etc/doas.conf: No such file or directory\n", "not configured"},
		{1, "doas: /etc/doas.conf is writable by group or other\n", "0600"},
		{1, "doas: syntax error at line 3\n", "parse"},
		{127, "sh: 1: exec: doas: not found\n", "not installed"},
	} {
		reason, failed := d.Failed(c.code, c.stderr)
		if !failed || !strings.Contains(reason, c.want) {
			t.Errorf("Failed(%d, %q) = %q, %v; want a refusal mentioning %q", c.code, c.stderr, reason, failed, c.want)
		}
	}
	for _, c := range []struct {
		code   int
		stderr string
	}{
		{1, "grep: nothing\n"},
		{2, "doas: Operation not permitted\n"}, // doas itself exits 1
		{1, "app: doas: Operation not permitted\n"},
		{0, ""},
	} {
		if reason, failed := d.Failed(c.code, c.stderr); failed {
			t.Errorf("Failed(%d, %q) = %q: ordinary failure taken for a doas refusal", c.code, c.stderr, reason)
		}
	}
}

func TestSuFailed(t *testing.T) {
	s := Su{}
	for _, c := range []struct {
		code   int
		stderr string
		want   string
	}{
		{125, suMarker + "\n", "root login"},
		{1, "Password: su: Authentication failure\n", "Authentication failure"},
		{1, "su: user nobody2 does not exist or the user entry does not contain all the required fields\n", "does not exist"},
	} {
		reason, failed := s.Failed(c.code, c.stderr)
		if !failed || !strings.Contains(reason, c.want) {
			t.Errorf("Failed(%d, %q) = %q, %v; want a refusal mentioning %q", c.code, c.stderr, reason, failed, c.want)
		}
	}
	for _, c := range []struct {
		code   int
		stderr string
	}{
		{1, "grep: nothing\n"},
		{125, "app exited 125\n"},
		{3, "su: Authentication failure\n"},
	} {
		if reason, failed := s.Failed(c.code, c.stderr); failed {
			t.Errorf("Failed(%d, %q) = %q: ordinary failure taken for a su refusal", c.code, c.stderr, reason)
		}
	}
}

// fakeBecomeTools writes stand-ins for doas, su and id to a directory put
// first on PATH: doas and su check their options the way Wrap renders
// them, then run the command like the real tools would (su through
// `$SHELL -c LINE`, so the extra quoting level is exercised); id claims
// root so su's login check passes for any test user.
func fakeBecomeTools(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	tools := map[string]string{
		"doas": `[ "$1" = -n ] || exit 90; shift
if [ "$1" = -u ]; then echo "fake-doas as $2" >&2; shift 2; fi
[ "$1" = -- ] || exit 91; shift
exec "$@"`,
		"su": `[ "$1" = -s ] || exit 92; fl_sh=$2; shift 2
[ "$1" = -c ] || exit 93; fl_line=$2; shift 2
[ "$1" = -- ] || exit 94; [ $# -eq 2 ] || exit 95
echo "fake-su as $2" >&2
exec "$fl_sh" -c "$fl_line"`,
		"id": `echo 0`,
	}
	for name, body := range tools {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runRendered runs a rendered Become command with the local /bin/sh, as
// sshd's login shell would, with the fake tools first on PATH.
func runRendered(t testing.TB, fake string, r rendered) (stdout, stderr string) {
	t.Helper()
	c := exec.Command("/bin/sh", "-c", r.line)
	c.Env = append(os.Environ(), "PATH="+fake+":"+os.Getenv("PATH"))
	c.Stdin = bytes.NewReader(r.stdin)
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut
	if err := c.Run(); err != nil {
		t.Fatalf("sh -c %q: %v\nstderr %q", r.line, err, errOut.String())
	}
	s, _ := splitPgid(errOut.String())
	return out.String(), s
}

// checkBecomeArgs renders a Become command printing "$#" "$@" and its
// stdin through method, runs it and compares: every argument must reach
// the command unchanged through every quoting level.
func checkBecomeArgs(t testing.TB, fake, method, user string, args []string) {
	t.Helper()
	cmd := drivers.Command{Script: `printf '%s\0' "$FAULTLINE_RUN" "$#" "$@"; cat`, Args: args, Become: true, Stdin: []byte("in\n")}
	r, err := render(Target{Auth: Auth{User: "ops", Become: BecomeConfig{Method: method, User: user}}}, cmd, []string{"FAULTLINE_RUN=r-1"})
	if errors.Is(err, shell.ErrNUL) {
		return
	}
	if err != nil {
		t.Fatalf("%s: render: %v", method, err)
	}
	out, errOut := runRendered(t, fake, r)
	if user != "" && !strings.Contains(errOut, "fake-"+method+" as "+user+"\n") {
		t.Fatalf("%s: become user %q not passed: stderr %q", method, user, errOut)
	}
	out, ok := strings.CutSuffix(out, "in\n")
	if !ok {
		t.Fatalf("%s: stdin not passed through: %q", method, out)
	}
	fields := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
	if fields[0] != "r-1" {
		t.Fatalf("%s: the marker did not reach the command: %q", method, fields[0])
	}
	fields = fields[1:]
	if fields[0] != strconv.Itoa(len(args)) || !slices.Equal(fields[1:], args) {
		t.Fatalf("%s: args %q came back as %q (line %q)", method, args, fields, r.line)
	}
}

var becomeArgSeeds = []string{"", "a b", "it's", "'", `"`, "$HOME", "`id`", "$(id)", "a\nb", "\n", "\\", "-c", "--", "-u", "*", "'\"'", "é\xff", "; exit 3", "\t"}

func TestBecomeRoundTrip(t *testing.T) {
	fake := fakeBecomeTools(t)
	for _, m := range []string{"doas", "su"} {
		for _, u := range []string{"", "svc"} {
			checkBecomeArgs(t, fake, m, u, becomeArgSeeds)
			checkBecomeArgs(t, fake, m, u, nil)
			for _, a := range becomeArgSeeds {
				checkBecomeArgs(t, fake, m, u, []string{a})
			}
		}
	}
}

// FuzzBecomeRoundTrip: for arbitrary args (NUL-separated in the fuzz
// input), the command under doas and su sees exactly those args.
func FuzzBecomeRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a", "a\x00b", "'\x00\"", "$(id)\x00`id`\x00;rm -rf /", "\n\x00\\\x00*", "\xff\xfe", "-u\x00root\x00--"} {
		f.Add(s)
	}
	fake := fakeBecomeTools(f)
	f.Fuzz(func(t *testing.T, in string) {
		var args []string
		if in != "" {
			args = strings.Split(in, "\x00")
		}
		checkBecomeArgs(t, fake, "doas", "svc", args)
		checkBecomeArgs(t, fake, "su", "", args)
	})
}
