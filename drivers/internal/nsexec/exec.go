package nsexec

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

// Executor runs drivers.Commands inside lab nodes:
// `nsenter -t INIT -p -m -n -- sh -c SCRIPT sh ARGS...`, each in its own
// session (like a command over SSH). Become is a no-op (tests run as root).
type Executor struct {
	lab *Lab
	mu  sync.Mutex
	cut map[string]bool
	log []Call
}

// Call is one command the executor ran (for golden assertions).
type Call struct {
	Node string
	Cmd  drivers.Command
}

// Exec returns an executor for the lab.
func (l *Lab) Exec() *Executor { return &Executor{lab: l} }

// ErrUnreachable is returned for nodes cut off with Cut.
var ErrUnreachable = errors.New("nsexec: node unreachable (cut off by the test)")

// Cut makes the controller unable to reach node (true) or able again.
func (e *Executor) Cut(node string, cut bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cut == nil {
		e.cut = map[string]bool{}
	}
	e.cut[node] = cut
}

// Calls returns the commands run so far.
func (e *Executor) Calls() []Call {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Call(nil), e.log...)
}

// Run implements drivers.Executor.
func (e *Executor) Run(ctx context.Context, node drivers.Node, cmd drivers.Command) drivers.Result {
	start := time.Now()
	res := drivers.Result{Node: node.Name}
	e.mu.Lock()
	cut := e.cut[node.Name]
	e.log = append(e.log, Call{Node: node.Name, Cmd: cmd})
	e.mu.Unlock()
	n := e.lab.Node(node.Name)
	switch {
	case cut:
		res.Err = ErrUnreachable
		return res
	case n == nil:
		res.Err = errors.New("nsexec: no such node " + node.Name)
		return res
	}
	if _, err := os.Stat("/proc/" + strconv.Itoa(n.InitPID) + "/ns/net"); err != nil {
		res.Err, res.ExitCode = errors.New("nsexec: node "+node.Name+" is gone (its init ended)"), -1
		return res
	}
	if cmd.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cmd.Timeout)
		defer cancel()
	}
	argv := append([]string{"-t", strconv.Itoa(n.InitPID), "-p", "-m", "-n", "--", "sh", "-c", cmd.Script, "sh"}, cmd.Args...)
	c := exec.CommandContext(ctx, "nsenter", argv...)
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	c.Stdin = bytes.NewReader(cmd.Stdin)
	c.Env = append(os.Environ(), drivers.MarkerEnv(ctx)...) // as drivers/ssh marks every command
	c.WaitDelay = 2 * time.Second
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
	err := c.Run()
	res.Stdout, res.Stderr, res.Duration = stdout.String(), stderr.String(), time.Since(start)
	var ee *exec.ExitError
	switch {
	case errors.Is(err, exec.ErrWaitDelay):
		// the command exited 0 but left a daemon holding its output open
	case errors.As(err, &ee) && ctx.Err() == nil:
		res.ExitCode = ee.ExitCode()
	case err != nil:
		res.Err = err
		res.ExitCode = -1
	}
	return res
}

// RunAll implements drivers.Executor.
func (e *Executor) RunAll(ctx context.Context, nodes []drivers.Node, cmd drivers.Command) []drivers.Result {
	out := make([]drivers.Result, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Add(1)
		go func() { defer wg.Done(); out[i] = e.Run(ctx, n, cmd) }()
	}
	wg.Wait()
	return out
}
