package ssh

import (
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/faultline-dev/faultline/drivers/shell"
)

// ErrBecomeFailed reports that privilege escalation itself failed (wrong or
// missing password, user not allowed): the command never ran.
var ErrBecomeFailed = errors.New("privilege escalation failed")

// Becomer is a privilege escalation method (sudo, doas, su, ...).
// Implementations must keep passwords off argv and out of files: the
// transport writes StdinPrefix to the remote stdin ahead of the command's
// own input.
type Becomer interface {
	// Name is the method's name in BecomeConfig.Method ("sudo").
	Name() string
	// Wrap returns the command line that runs argv (a complete argv, e.g.
	// ["sh","-c",script,"sh",args...]) with escalated privileges under cfg,
	// and the bytes to feed on stdin before the command's own stdin.
	Wrap(argv []string, cfg BecomeConfig) (line string, stdinPrefix []byte, err error)
	// Failed tells, from a finished wrapped command, whether escalation
	// itself failed (the command never ran), with a one-line reason.
	Failed(exitCode int, stderr string) (reason string, failed bool)
}

var becomers = struct {
	sync.RWMutex
	m map[string]Becomer
}{m: map[string]Becomer{"sudo": Sudo{}, "doas": Doas{}, "su": Su{}}}

// RegisterBecomer makes b available as BecomeConfig.Method = b.Name(). It
// replaces a method of the same name.
func RegisterBecomer(b Becomer) {
	becomers.Lock()
	defer becomers.Unlock()
	becomers.m[b.Name()] = b
}

// BecomeMethods lists the registered method names, sorted.
func BecomeMethods() []string {
	becomers.RLock()
	defer becomers.RUnlock()
	out := make([]string, 0, len(becomers.m))
	for n := range becomers.m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// becomerFor finds the method named in cfg ("" = sudo).
func becomerFor(cfg BecomeConfig) (Becomer, error) {
	name := cfg.Method
	if name == "" {
		name = "sudo"
	}
	becomers.RLock()
	defer becomers.RUnlock()
	b, ok := becomers.m[name]
	if !ok {
		return nil, fmt.Errorf("unknown become method %q (have %s)", name, strings.Join(BecomeMethods(), ", "))
	}
	return b, nil
}

// Sudo escalates with sudo. Without a password it runs `sudo -n` (fails
// at once instead of prompting). With one, a fixed wrapper script reads the
// password line from stdin into a shell variable, pipes it from a shell
// builtin to `sudo -S -p ” -v`, then runs the command with `sudo -n`
// (using the credential just cached for this shell) and drops it with
// `sudo -k`. So the password is never on argv nor in a file, and never
// reaches the command's stdin even when the sudoers rule is NOPASSWD and
// sudo would not read it.
type Sudo struct{}

// Name implements Becomer.
func (Sudo) Name() string { return "sudo" }

// sudoMarker is printed by the wrapper when `sudo -v` refuses (scripts/sudo.sh
// spells it out).
const sudoMarker = "faultline-become: sudo refused the password or the user"

// sudoWrapper (scripts/sudo.sh): $@ is the `sudo -n` argv tail. Exit 125 +
// marker = escalation failed; the command's own status otherwise.
var sudoWrapper = shell.FromFile(sudoSh)

//go:embed scripts/sudo.sh
var sudoSh string

// Wrap implements Becomer.
func (Sudo) Wrap(argv []string, cfg BecomeConfig) (string, []byte, error) {
	if strings.ContainsAny(cfg.Password.Reveal(), "\n\x00") {
		return "", nil, errors.New("sudo: the become password contains a newline or NUL byte, which cannot be fed on stdin")
	}
	tail := []string{}
	if cfg.User != "" {
		tail = append(tail, "-u", cfg.User)
	}
	tail = append(tail, "--")
	tail = append(tail, argv...)
	if cfg.Password == "" {
		return shell.Join(append([]string{"sudo", "-n"}, tail...)...), nil, nil
	}
	return shell.Script(sudoWrapper, tail...), []byte(cfg.Password.Reveal() + "\n"), nil
}

// Failed implements Becomer.
func (Sudo) Failed(exitCode int, stderr string) (string, bool) {
	if exitCode == 125 && strings.Contains(stderr, "faultline-become: ") {
		return "sudo rejected the become password or does not allow the user (" + lastLine(stderr) + ")", true
	}
	if exitCode == 1 && strings.Contains(stderr, "sudo: a password is required") {
		return "sudo asked for a password (sudo -n refused: configure the become password; if one is configured, the node disables sudo's credential cache, e.g. timestamp_timeout=0)", true
	}
	if exitCode == 1 && (strings.Contains(stderr, "is not in the sudoers file") || strings.Contains(stderr, "is not allowed to execute")) {
		return "sudo does not allow this user (" + lastLine(stderr) + ")", true
	}
	return "", false
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" && !strings.HasPrefix(l, "faultline-become:") {
			return l
		}
	}
	return "no detail"
}
