package node

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
)

// rebootWait bounds how long reboot waits for a node to answer with a new
// boot identity when ctx has no earlier deadline; rebootPoll paces it.
var (
	rebootWait = 5 * time.Minute
	rebootPoll = time.Second
)

// methodKey names the file rebootScript leaves for the boot identity it
// ended ("BOOTID/PID1START" as one file-name word): per boot, not per host
// name, so nodes sharing /var/tmp (lab nodes of several labs) never read
// each other's.
func methodKey(boot string) string { return strings.ReplaceAll(boot, "/", "-") }

// reboot reads each node's boot identity, fires the reboot, and waits for
// the node to answer with a different identity: a node that is still up
// with the same one ignored the request (or had no way to reboot), which
// is a failure naming it, not a success. A reboot that needed the
// reboot -f fallback (no init system answered) says so.
func (d *Driver) reboot(ctx context.Context, nodes []drivers.Node) drivers.Outcome {
	ident := drivers.Command{Script: bootIdentityScript, Become: true, Timeout: 20 * time.Second}
	before := map[string]string{}
	for _, r := range d.deps.Exec.RunAll(ctx, nodes, ident) {
		if r.OK() {
			before[r.Node] = faultkit.Values(r.Stdout)["boot"]
		}
	}
	out := d.fire(ctx, nodes, rebootScript)
	wait := rebootWait
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		wait = time.Until(dl)
	}
	var wg sync.WaitGroup
	for i := range out.Results {
		r := &out.Results[i]
		if r.Status != drivers.StatusOK {
			continue
		}
		b := before[r.Node]
		if b == "" {
			r.Detail = join(r.Detail, "reboot not verified: the boot identity was unreadable before it")
			continue
		}
		n := nodeNamed(nodes, r.Node)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.Status, r.Detail = d.awaitNewBoot(ctx, n, ident, b, wait)
		}()
	}
	wg.Wait()
	return out
}

func (d *Driver) awaitNewBoot(ctx context.Context, n drivers.Node, ident drivers.Command, before string, wait time.Duration) (drivers.NodeStatus, string) {
	start := time.Now()
	deadline := start.Add(wait)
	lastErr, sameSeen := "", false
	for {
		t := time.NewTimer(rebootPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return drivers.StatusFailed, fmt.Sprintf("reboot not confirmed: %v", ctx.Err())
		case <-t.C:
		}
		ident.Args = []string{methodKey(before)}
		r := d.deps.Exec.Run(ctx, n, ident)
		now := faultkit.Values(r.Stdout)["boot"]
		switch {
		case r.OK() && now != "" && now != before:
			detail := "rebooted: boot identity changed"
			if m := faultkit.Values(r.Stdout)["method"]; m != "" {
				detail += " (" + m + ")"
			}
			return drivers.StatusOK, detail
		case r.OK() && now == before:
			sameSeen, lastErr = true, ""
		default:
			lastErr = summary(r)
		}
		if time.Now().After(deadline) {
			took := time.Since(start).Round(time.Second)
			if sameSeen && lastErr == "" {
				return drivers.StatusFailed, fmt.Sprintf("node is up with the same boot identity %s after %s: it ignored the reboot", before, took)
			}
			return drivers.StatusUnreachable, fmt.Sprintf("node did not come back with a new boot identity within %s: %s", took, lastErr)
		}
	}
}

func nodeNamed(nodes []drivers.Node, name string) drivers.Node {
	for _, n := range nodes {
		if n.Name == name {
			return n
		}
	}
	return drivers.Node{Name: name}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func summary(r drivers.Result) string {
	if r.Err != nil {
		return r.Err.Error()
	}
	return fmt.Sprintf("exit %d: %s", r.ExitCode, r.Stderr)
}
