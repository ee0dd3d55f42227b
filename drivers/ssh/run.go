package ssh

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/failpoint"
	"github.com/faultline-dev/faultline/drivers/lease"
	"github.com/faultline-dev/faultline/drivers/shell"
)

// InsecureWarning is added to drivers.Result.Warnings of every command run
// on a node whose host key is not verified.
const InsecureWarning = "INSECURE: host key not verified (host key policy insecure)"

// rendered is a command ready to start: the remote command line and the
// full stdin.
type rendered struct {
	line    string
	stdin   []byte
	becomer Becomer
}

// render builds the remote command line: `sh -c SCRIPT sh ARGS...`, wrapped
// by the become method when cmd.Become. mark (drivers.MarkerEnv) is
// exported by the login shell, which then execs the command (no extra
// process), and put in front of the escalated argv with env(1): sudo, doas
// and su reset the environment.
func render(t Target, cmd drivers.Command, mark []string) (rendered, error) {
	if cmd.Script == "" {
		return rendered{}, errors.New("empty script")
	}
	script := pgidPrefix + cmd.Script
	line, err := shell.ScriptChecked(script, cmd.Args...)
	if err != nil {
		return rendered{}, err
	}
	if err := checkMark(mark); err != nil {
		return rendered{}, err
	}
	export := ""
	if len(mark) > 0 {
		export = "export " + strings.Join(mark, " ") + "; exec "
	}
	if !cmd.Become {
		return rendered{line: export + line, stdin: cmd.Stdin}, nil
	}
	b, err := becomerFor(t.Auth.Become)
	if err != nil {
		return rendered{}, err
	}
	if alreadyTarget(t.Auth) {
		// Logged in as the user to become: escalation would be a no-op
		// costing a sudo start (PAM, sudoers) on every command.
		return rendered{line: export + line, stdin: cmd.Stdin}, nil
	}
	var argv []string
	if len(mark) > 0 {
		argv = append(append([]string{"env"}, mark...), "sh", "-c", script, "sh")
	} else {
		argv = []string{"sh", "-c", script, "sh"}
	}
	argv = append(argv, cmd.Args...)
	line, prefix, err := b.Wrap(argv, t.Auth.Become)
	if err != nil {
		return rendered{}, err
	}
	line = export + shell.Script(becomeOuter, line)
	stdin := cmd.Stdin
	if len(prefix) > 0 {
		stdin = append(append([]byte{}, prefix...), cmd.Stdin...)
	}
	return rendered{line: line, stdin: stdin, becomer: b}, nil
}

// checkMark accepts NAME=value words whose value needs no quoting.
func checkMark(mark []string) error {
	for _, m := range mark {
		name, val, ok := strings.Cut(m, "=")
		if !ok || name == "" || strings.Trim(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != "" ||
			strings.Trim(val, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != "" {
			return fmt.Errorf("process marker %q: want NAME=word", m)
		}
	}
	return nil
}

// Run runs cmd on node over the node's pooled connection, once one of the
// Config.Parallelism slots is free, connecting (or
// reconnecting once, when the pooled connection turns out broken) as
// needed. cmd.Timeout bounds the whole call, connecting included; on
// expiry (or cancellation of ctx) the remote command's process group is
// ended (TERM, then KILL) and its channel closed. A non-zero exit is not an Err; transport failures are, as
// *NodeError values matching ErrUnreachable, ErrTimeout, ErrConnLost,
// ErrBecomeFailed, ErrHostKeyChanged, ... with errors.Is.
func (p *Pool) Run(ctx context.Context, node drivers.Node, cmd drivers.Command) drivers.Result {
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return drivers.Result{Node: node.Name, ExitCode: -1, Err: &NodeError{Node: node.Name, Op: "run", Err: fmt.Errorf("not started: %w", ctx.Err())}}
	}
	start := time.Now()
	res := p.run(ctx, node, cmd)
	res.Node = node.Name
	res.Duration = time.Since(start)
	return res
}

func (p *Pool) run(ctx context.Context, node drivers.Node, cmd drivers.Command) drivers.Result {
	t, err := p.target(node)
	if err != nil {
		return drivers.Result{ExitCode: -1, Err: &NodeError{Node: node.Name, Op: "config", Err: err}}
	}
	var warnings []string
	if t.HostKeys == Insecure {
		warnings = []string{InsecureWarning}
	}
	c := p.carrier.Load()
	if lease.IsBare(ctx) {
		c = nil
	}
	carried := false
	if c != nil {
		asLease := cmd.Become || alreadyTarget(t.Auth)
		if !c.Taken(node.Name) && !asLease {
			// the command runs as another user than the lease: the lease
			// first, with a command of its own
			if err := c.TakeOne(ctx, node.Name, func(ctx context.Context, lc drivers.Command) drivers.Result { return p.run(ctx, node, lc) }); err != nil {
				return drivers.Result{ExitCode: -1, Warnings: warnings, Err: &NodeError{Node: node.Name, Op: "lease", Err: err}}
			}
		}
		if asLease {
			cmd.Script, carried = c.Carry(ctx, node.Name, cmd.Script)
		}
	}
	r, err := render(t, cmd, drivers.MarkerEnv(ctx))
	if err != nil {
		return drivers.Result{ExitCode: -1, Warnings: warnings, Err: &NodeError{Node: node.Name, Op: "command", Err: err}}
	}
	// cmd.Timeout bounds the whole command, connecting included.
	runCtx := ctx
	if cmd.Timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, cmd.Timeout)
		defer cancel()
	}
	for attempt := 0; ; attempt++ {
		l, err := p.linkFor(runCtx, t)
		if err != nil {
			if runCtx.Err() != nil && ctx.Err() == nil {
				err = &NodeError{Node: t.Name, Op: "connect", Err: fmt.Errorf("%w: not connected within the command timeout %s (%w)", ErrTimeout, cmd.Timeout, err)}
			}
			return drivers.Result{ExitCode: -1, Warnings: warnings, Err: err}
		}
		res, err := p.exec(ctx, runCtx, l, r, cmd, t)
		res.Warnings = warnings
		if carried {
			var lerr error
			if res.Stderr, lerr = c.Observe(node.Name, res.Stderr, err == nil); lerr != nil {
				// refused before the command: nothing ran
				res.ExitCode = -1
				res.Err = &NodeError{Node: t.Name, Op: "lease", Err: lerr}
				return res
			}
		}
		var stale staleError
		if errors.As(err, &stale) && attempt == 0 {
			p.log.Info("ssh connection broken; reconnecting once", "node", t.Name, "cause", stale.err)
			l.kill()
			continue
		}
		if err != nil {
			if isContextErr(err) && runCtx.Err() != nil && ctx.Err() == nil {
				err = fmt.Errorf("%w: command timeout %s reached before the command started (%w)", ErrTimeout, cmd.Timeout, err)
			}
			res.Err = &NodeError{Node: t.Name, Op: "run", Err: err}
		}
		return res
	}
}

// staleError: the pooled connection could not open a session; reconnect.
type staleError struct{ err error }

func (s staleError) Error() string { return "connection unusable: " + s.err.Error() }
func (s staleError) Unwrap() error { return s.err }

// exec runs r on l's connection.
// ctx is the caller's context, runCtx the same bounded by cmd.Timeout.
func (p *Pool) exec(ctx, runCtx context.Context, l *link, r rendered, cmd drivers.Command, t Target) (drivers.Result, error) {
	fail := drivers.Result{ExitCode: -1}
	if err := l.acquire(runCtx); err != nil {
		if errors.Is(err, errConnLost) {
			return fail, staleError{err}
		}
		return fail, err
	}
	release := sync.OnceFunc(l.release)
	defer release()
	sess, err := p.openSession(runCtx, l)
	if err != nil {
		return fail, err
	}
	defer sess.Close()

	stdout, stderr := &capped{max: p.cfg.MaxOutput}, &capped{max: p.cfg.MaxOutput}
	sess.Stdout, sess.Stderr = stdout, stderr
	// Stdin through our own pipe, not Session.Stdin: a command may end
	// before it has read all of its stdin (sudo needing no password, a
	// script that exits early), and Session.Wait would report the failed
	// write to the closed channel as the command's error.
	var stdin io.WriteCloser
	if len(r.stdin) > 0 {
		if stdin, err = sess.StdinPipe(); err != nil {
			return fail, fmt.Errorf("stdin: %w", err)
		}
	}
	if err := sess.Start(r.line); err != nil {
		return fail, fmt.Errorf("starting command: %w", err)
	}
	if stdin != nil {
		go func() {
			stdin.Write(r.stdin) // an error only means the command stopped reading
			stdin.Close()
		}()
	}
	failpoint.HitScoped(ctx, "sent")
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	select {
	case err = <-done:
	case <-runCtx.Done():
		stop(sess, done)
		release()
		errOut, groups := splitPgid(stderr.String())
		if len(groups) > 0 {
			p.killGroup(l, t, cmd.Become, groups)
		}
		res := drivers.Result{ExitCode: -1, Stdout: stdout.String(), Stderr: errOut}
		if ctx.Err() != nil {
			return res, fmt.Errorf("%w (%w)", ErrInterrupted, ctx.Err())
		}
		return res, fmt.Errorf("%w: command did not finish within %s (its processes were ended)", ErrTimeout, cmd.Timeout)
	}
	errOut, _ := splitPgid(stderr.String())
	res := drivers.Result{Stdout: stdout.String(), Stderr: errOut}
	defer failpoint.HitScoped(ctx, "node-done")
	return p.finish(l, r, cmd, res, err)
}

// finish turns the session's end into a Result.
func (p *Pool) finish(l *link, r rendered, cmd drivers.Command, res drivers.Result, err error) (drivers.Result, error) {
	var exitErr *gossh.ExitError
	switch {
	case err == nil:
		res.ExitCode = 0
	case errors.As(err, &exitErr):
		res.ExitCode = exitErr.ExitStatus()
		if sig := exitErr.Signal(); sig != "" {
			res.Stderr += "\n[faultline: remote command killed by signal " + sig + "]"
		}
	default: // ExitMissingError, io.EOF: the session or connection dropped
		// Probe the connection in the background: a dead one is closed
		// (next use reconnects), a live one keeps serving other sessions.
		go p.broken(l)
		if !cmd.Detach {
			res.ExitCode = -1
			return res, fmt.Errorf("%w while the command ran (%v)", ErrConnLost, err)
		}
		// A detached command (reboot, link down) may cut its own session.
		res.ExitCode = 0
		return res, nil
	}
	if r.becomer != nil {
		if reason, failed := r.becomer.Failed(res.ExitCode, res.Stderr); failed {
			return res, fmt.Errorf("%w (%s): %s", ErrBecomeFailed, r.becomer.Name(), reason)
		}
	}
	return res, nil
}

// openSession opens a session, treating a connection that cannot (closed,
// or silent for the handshake timeout) as stale. A refusal by a live server
// (MaxSessions) is an ordinary error.
func (p *Pool) openSession(ctx context.Context, l *link) (*gossh.Session, error) {
	ch := make(chan opened, 1)
	go func() {
		s, err := l.client.NewSession()
		ch <- opened{s, err}
	}()
	timer := time.NewTimer(p.cfg.HandshakeTimeout)
	defer timer.Stop()
	select {
	case o := <-ch:
		var refused *gossh.OpenChannelError
		switch {
		case o.err == nil:
			return o.s, nil
		case errors.As(o.err, &refused):
			return nil, fmt.Errorf("server refused a session: %w", o.err)
		default:
			return nil, staleError{o.err}
		}
	case <-timer.C:
		go discardSession(ch)
		return nil, staleError{fmt.Errorf("%w: no session within %s", ErrTimeout, p.cfg.HandshakeTimeout)}
	case <-ctx.Done():
		go discardSession(ch)
		return nil, ctx.Err()
	}
}

type opened struct {
	s   *gossh.Session
	err error
}

// discardSession closes a session that was opened too late to be used.
func discardSession(ch chan opened) {
	if o := <-ch; o.s != nil {
		o.s.Close()
	}
}

// stop signals a running command (TERM, then KILL) and closes its channel.
func stop(sess *gossh.Session, done chan error) {
	_ = sess.Signal(gossh.SIGTERM)
	select {
	case <-done:
		return
	case <-time.After(200 * time.Millisecond):
	}
	_ = sess.Signal(gossh.SIGKILL)
	sess.Close()
}

// capped keeps the first max bytes written and counts the rest.
type capped struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	max     int
	dropped int64
}

func (c *capped) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	room := min(c.max-c.buf.Len(), len(b))
	if room > 0 {
		c.buf.Write(b[:room])
	}
	c.dropped += int64(len(b) - max(room, 0))
	return len(b), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.buf.String()
	if c.dropped > 0 {
		s += "\n[faultline: " + strconv.FormatInt(c.dropped, 10) + " more bytes dropped]"
	}
	return s
}

var _ io.Writer = (*capped)(nil)

// RunAll runs cmd on every node with at most Config.Parallelism at once and
// returns one Result per node, in order. Nodes are independent: one that is
// slow or unreachable only holds its own worker.
func (p *Pool) RunAll(ctx context.Context, nodes []drivers.Node, cmd drivers.Command) []drivers.Result {
	results := make([]drivers.Result, len(nodes))
	workers := min(p.cfg.Parallelism, len(nodes))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = p.Run(ctx, nodes[i], cmd)
			}
		}()
	}
	for i := range nodes {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// alreadyTarget reports whether the login user already is the user to
// become (root, unless BecomeConfig.User names another).
func alreadyTarget(a Auth) bool {
	want := a.Become.User
	if want == "" {
		want = "root"
	}
	return loginUser(a) == want
}
