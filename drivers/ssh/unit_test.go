package ssh

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/shell"
)

func TestSecretNeverPrints(t *testing.T) {
	a := Auth{User: "u", Password: "hunter2", Passphrase: "hunter3", Become: BecomeConfig{Password: "hunter4"}}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "auth", a, "pw", a.Password)
	js, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprintf("%v %+v %#v %s %q %x", a, a, a, a.Password, a.Password, a.Password), string(js), logged.String()} {
		if strings.Contains(s, "hunter") || strings.Contains(s, "68756e74") {
			t.Fatalf("secret leaked: %s", s)
		}
	}
	if a.Password.Reveal() != "hunter2" {
		t.Fatal("Reveal must return the value")
	}
}

func TestParseHostKeyPolicy(t *testing.T) {
	for in, want := range map[string]HostKeyPolicy{"": Strict, "strict": Strict, "accept-new": AcceptNew, "INSECURE": Insecure} {
		if got, err := ParseHostKeyPolicy(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParseHostKeyPolicy("off"); err == nil {
		t.Error("unknown policy accepted")
	}
}

func TestTargetValidate(t *testing.T) {
	good := Target{Name: "n", Address: "198.18.10.5", Auth: Auth{KeyFile: "k"}, Jumps: []Hop{{Address: "198.18.10.1"}}}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid target rejected: %v", err)
	}
	bad := Target{Port: 70000, Auth: Auth{KeyboardInteractive: true}, Jumps: []Hop{{}}, HostKeys: 9}
	err := bad.Validate()
	for _, want := range []string{"no name", "no address", "port 70000", "no authentication method", "jump 1 has no address", "invalid host key policy"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %v lacks %q", err, want)
		}
	}
	if _, err := NewPool(Config{Targets: []Target{good, good}}); err == nil || !strings.Contains(err.Error(), "duplicate target") {
		t.Errorf("duplicate targets: %v", err)
	}
}

func TestRenderPlainAndSudo(t *testing.T) {
	cmd := drivers.Command{Script: `kill "$1"`, Args: []string{"1 2"}, Stdin: []byte("in")}
	r, err := render(Target{}, cmd, nil)
	if err != nil || r.line != shell.Script(pgidPrefix+`kill "$1"`, "1 2") || string(r.stdin) != "in" || r.becomer != nil {
		t.Fatalf("plain: %+v %v", r, err)
	}
	cmd.Become = true
	r, err = render(Target{Auth: Auth{User: "ops", Become: BecomeConfig{User: "svc"}}}, cmd, nil)
	if err != nil || !strings.Contains(r.line, shell.Quote("sudo -n -u svc -- sh -c ")[1:10]) || string(r.stdin) != "in" {
		t.Fatalf("sudo -n: %+v %v", r, err)
	}
	r, err = render(Target{Auth: Auth{User: "ops", Become: BecomeConfig{Password: "s3cret"}}}, cmd, nil)
	if err != nil || strings.Contains(r.line, "s3cret") || string(r.stdin) != "s3cret\nin" {
		t.Fatalf("sudo -S: password must be on stdin only: %+v %v", r, err)
	}
	if _, err := render(Target{Auth: Auth{User: "ops", Become: BecomeConfig{Password: "a\nb"}}}, cmd, nil); err == nil {
		t.Fatal("multi-line password accepted")
	}
	if _, err := render(Target{Auth: Auth{Become: BecomeConfig{Method: "pbrun"}}}, cmd, nil); err == nil || !strings.Contains(err.Error(), `unknown become method "pbrun"`) {
		t.Fatalf("unknown method: %v", err)
	}
	// Logged in as the user to become: no wrapper, stdin untouched.
	for _, a := range []Auth{{User: "root"}, {User: "root", Become: BecomeConfig{User: "root", Password: "s3cret"}}, {User: "svc", Become: BecomeConfig{User: "svc"}}} {
		r, err = render(Target{Auth: a}, cmd, nil)
		if err != nil || r.becomer != nil || strings.Contains(r.line, "sudo") || string(r.stdin) != "in" {
			t.Fatalf("become as the login user %+v: %+v %v", a, r, err)
		}
	}
	if _, err := render(Target{}, drivers.Command{Script: "echo", Args: []string{"a\x00"}}, nil); !errors.Is(err, shell.ErrNUL) {
		t.Fatalf("NUL arg: %v", err)
	}
}

// TestRenderMarksTheCommand: the marker is exported by the login shell,
// which execs the command, and set again with env(1) behind the escalation
// tool (which resets the environment); a marker that would need quoting
// is refused.
func TestRenderMarksTheCommand(t *testing.T) {
	mark := []string{"FAULTLINE_RUN=r1", "FAULTLINE_CTL=abc"}
	cmd := drivers.Command{Script: `kill "$1"`, Args: []string{"1 2"}}
	r, err := render(Target{}, cmd, mark)
	if err != nil || r.line != "export FAULTLINE_RUN=r1 FAULTLINE_CTL=abc; exec "+shell.Script(pgidPrefix+`kill "$1"`, "1 2") {
		t.Fatalf("plain: %q %v", r.line, err)
	}
	cmd.Become = true
	r, err = render(Target{Auth: Auth{User: "ops"}}, cmd, mark)
	if err != nil || !strings.HasPrefix(r.line, "export FAULTLINE_RUN=r1 FAULTLINE_CTL=abc; exec sh -c ") ||
		!strings.Contains(r.line, shell.Join("sudo", "-n", "--", "env", "FAULTLINE_RUN=r1", "FAULTLINE_CTL=abc", "sh", "-c")) {
		t.Fatalf("sudo: %q %v", r.line, err)
	}
	for _, bad := range []string{"FAULTLINE_RUN=a b", "FAULTLINE_RUN=$(id)", "x=1", "FAULTLINE_RUN"} {
		if _, err := render(Target{}, cmd, []string{bad}); err == nil {
			t.Errorf("marker %q accepted", bad)
		}
	}
}

// stubBecomer proves the Becomer plug point.
type stubBecomer struct{}

func (stubBecomer) Name() string { return "stub" }
func (stubBecomer) Wrap(argv []string, cfg BecomeConfig) (string, []byte, error) {
	return shell.Join(append([]string{"stub", "--"}, argv...)...), nil, nil
}
func (stubBecomer) Failed(int, string) (string, bool) { return "", false }

func TestRegisterBecomer(t *testing.T) {
	RegisterBecomer(stubBecomer{})
	r, err := render(Target{Auth: Auth{User: "ops", Become: BecomeConfig{Method: "stub"}}}, drivers.Command{Script: "id", Become: true}, nil)
	if err != nil || r.line != shell.Script(becomeOuter, shell.Join("stub", "--", "sh", "-c", pgidPrefix+"id", "sh")) {
		t.Fatalf("%+v %v", r, err)
	}
	if got := BecomeMethods(); !slices.IsSorted(got) || !slices.Contains(got, "stub") || !slices.Contains(got, "sudo") {
		t.Fatalf("methods %v", got)
	}
}

func TestSudoFailed(t *testing.T) {
	s := Sudo{}
	if _, failed := s.Failed(125, "Sorry, try again.\n"+sudoMarker+"\n"); !failed {
		t.Error("wrapper refusal not detected")
	}
	if _, failed := s.Failed(1, "sudo: a password is required\n"); !failed {
		t.Error("sudo -n refusal not detected")
	}
	if _, failed := s.Failed(1, "grep: nothing\n"); failed {
		t.Error("ordinary failure taken for a sudo refusal")
	}
	if _, failed := s.Failed(125, "app exited 125\n"); failed {
		t.Error("exit 125 without the marker taken for a sudo refusal")
	}
}

func TestAlgorithmsFromKnownHosts(t *testing.T) {
	dir := t.TempDir()
	ed := mustKey(t, "AAAAC3NzaC1lZDI1NTE5AAAAIBbd2y1zJvmP9Q3w2r1W3d0mB0kzL8x7c+ZQv1S7xY6H", "ssh-ed25519")
	path := filepath.Join(dir, "kh")
	lines := knownhosts.Line([]string{"198.18.10.7:2222"}, ed) + "\n" + knownhosts.Line([]string{"198.18.10.8"}, ed) + "\n"
	if err := os.WriteFile(path, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := readKnownHosts(path, Strict)
	if err != nil {
		t.Fatal(err)
	}
	if got := knownKeyTypes(db, "198.18.10.7:2222"); len(got) != 1 || got[0] != gossh.KeyAlgoED25519 {
		t.Fatalf("[host]:port entry: %v", got)
	}
	if got := knownKeyTypes(db, "198.18.10.8:22"); len(got) != 1 {
		t.Fatalf("port-22 entry: %v", got)
	}
	if got := knownKeyTypes(db, "198.18.10.7:22"); len(got) != 0 {
		t.Fatalf("port must be part of the match: %v", got)
	}
	if got := algorithmsFor([]string{gossh.KeyAlgoRSA, gossh.KeyAlgoECDSA256}); strings.Join(got, ",") != "rsa-sha2-512,rsa-sha2-256,ssh-rsa,ecdsa-sha2-nistp256" {
		t.Fatalf("algorithms %v", got)
	}
	if _, err := readKnownHosts(filepath.Join(dir, "missing"), Strict); !errors.Is(err, ErrHostKeyUnknown) {
		t.Fatalf("missing file under strict: %v", err)
	}
	if _, err := readKnownHosts(filepath.Join(dir, "missing"), AcceptNew); err != nil {
		t.Fatalf("missing file under accept-new: %v", err)
	}
}

func mustKey(t *testing.T, b64, typ string) gossh.PublicKey {
	t.Helper()
	k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(typ + " " + b64))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestCappedOutput(t *testing.T) {
	c := &capped{max: 4}
	c.Write([]byte("abc"))
	c.Write([]byte("defg"))
	if got := c.String(); got != "abcd\n[faultline: 3 more bytes dropped]" {
		t.Fatalf("%q", got)
	}
}

func TestLoadKeyErrorsNameNoSecret(t *testing.T) {
	_, err := loadKey(filepath.Join(t.TempDir(), "nope"), "hunter2")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("%v", err)
	}
	if _, _, err := authMethods(Auth{User: "x"}); err == nil {
		t.Fatal("no methods accepted")
	}
}

func TestSplitPgid(t *testing.T) {
	cases := []struct {
		in, rest string
		groups   []int
	}{
		{"faultline-pgid:4242\nboom\n", "boom\n", []int{4242}},
		{"sudo: warning\nfaultline-pgid:77\nfaultline-pgid:78\nfaultline-pgid:77\nx", "sudo: warning\nx", []int{77, 78}},
		{"no marker\n", "no marker\n", nil},
		{"faultline-pgid:1\n", "", nil},
		{"faultline-pgid:-5\n", "", nil},
		{"faultline-pgid:12x\n", "", nil},
		{"faultline-pgid:99", "faultline-pgid:99", nil},
		{"x faultline-pgid:99\n", "x faultline-pgid:99\n", nil},
	}
	for _, c := range cases {
		rest, groups := splitPgid(c.in)
		if rest != c.rest || !slices.Equal(groups, c.groups) {
			t.Errorf("splitPgid(%q) = %q, %v; want %q, %v", c.in, rest, groups, c.rest, c.groups)
		}
	}
}

// TestPgidPrefixLocal runs the prefix in a real /bin/sh started in its own
// session (as sshd does) and checks the marker names that session.
func TestPgidPrefixLocal(t *testing.T) {
	cmd := exec.Command("/bin/sh", "-c", pgidPrefix+`echo "out $1"`, "sh", "arg")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	rest, groups := splitPgid(stderr.String())
	if stdout.String() != "out arg\n" || rest != "" || !slices.Equal(groups, []int{cmd.Process.Pid}) {
		t.Fatalf("stdout %q stderr %q groups %v pid %d", stdout.String(), stderr.String(), groups, cmd.Process.Pid)
	}
	// The child of a session leader reports the session's group.
	cmd = exec.Command("/bin/sh", "-c", "/bin/sh -c "+shell.Quote(pgidPrefix+"true")+"; true")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	out, _ := cmd.CombinedOutput()
	if _, groups := splitPgid(string(out)); !slices.Equal(groups, []int{cmd.Process.Pid}) {
		t.Fatalf("child of the session leader: %q (leader %d)", out, cmd.Process.Pid)
	}
	// A grandchild, in a group led by its grandparent, reports nothing.
	cmd = exec.Command("/bin/sh", "-c", "/bin/sh -c "+shell.Quote("/bin/sh -c "+shell.Quote(pgidPrefix+"true")+"; true")+"; true")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, _ = cmd.CombinedOutput()
	if strings.Contains(string(out), pgidMarker) {
		t.Fatalf("marker printed by a shell whose group is not certainly its own: %q", out)
	}
}

// TestScriptsCarryTheirMarkers: the script files spell out the markers the
// Go code looks for in their output.
func TestScriptsCarryTheirMarkers(t *testing.T) {
	for _, c := range []struct{ script, marker string }{
		{pgidPrefix, "printf '" + pgidMarker + "%s\\n' \"$fl_pg\" >&3"},
		{sudoWrapper, "echo '" + sudoMarker + "' >&2; exit 125"},
		{suWrapper, "echo '" + suMarker + "' >&2; exit 125"},
	} {
		if !strings.Contains(c.script, c.marker) {
			t.Errorf("script lacks %q:\n%s", c.marker, c.script)
		}
	}
	if strings.Count(pgidPrefix, "\n") != 1 || !strings.HasSuffix(pgidPrefix, "\n") {
		t.Errorf("pgidPrefix must be one line ending in a newline: %q", pgidPrefix)
	}
}
