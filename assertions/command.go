package assertions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/shell"
)

// MaxOutputBytes caps the stdout and stderr a command probe keeps per node.
const MaxOutputBytes = 64 << 10

// UnreachableExitCode is the exit code reported for a node the command
// could not run on (transport failure, timeout), as ssh(1) does, so that
// `exit_code == 0` never passes for an unreachable node.
const UnreachableExitCode = 255

var commandNodeType = resultType([]resultAttr{
	{"node", cty.String, ""}, {"exit_code", cty.Number, ""}, {"stdout", cty.String, ""},
	{"stderr", cty.String, ""}, {"error", cty.String, ""}, {"ok", cty.Bool, ""},
})

func commandKind() kindDef {
	return kindDef{
		doc: "Runs a user-written sh script, as written, on each probed node through the node executor " +
			"(SSH). Values belong in args: they reach the script as \"$1\", \"$2\", ... quoted by the transport.",
		defaultOK: "exit_code == 0 && failed_nodes == 0",
		build:     newCommandProbe,
		config: []attrDef{
			{name: "command", ty: cty.String, required: true, doc: "The sh script (run as `sh -c SCRIPT sh ARGS...`)."},
			{name: "args", ty: cty.List(cty.String), doc: "Positional parameters for the script; never shown in plans."},
			{name: "become", ty: cty.Bool, def: cty.False, doc: "Run with privilege escalation (the cloud's become method)."},
			timeoutAttr(),
		},
		result: []resultAttr{
			{"exit_code", cty.Number, "Highest exit code over the nodes; 255 for a node the command could not run on."},
			{"stdout", cty.String, "Standard output of the first node (at most 64 KiB)."},
			{"results", cty.List(commandNodeType), "Per node, in order: node, exit_code, stdout, stderr, error, ok."},
			{"ok_nodes", cty.Number, "Nodes where the command ran and exited 0."},
			{"failed_nodes", cty.Number, "All other nodes."},
		},
	}
}

// commandProbe runs a user-written sh script on every node of Deps.Nodes
// through the executor. The script is the probe, so it runs as written
// (`sh -c SCRIPT sh ARGS...`); values that vary belong in args, which reach
// the script as "$1", "$2", ... quoted by the transport (drivers/shell), so
// no value can change the script's structure.
type commandProbe struct {
	exec    drivers.Executor
	nodes   []drivers.Node
	cmd     drivers.Command
	timeout time.Duration
}

func newCommandProbe(c config, deps Deps) (Probe, error) {
	script, err := c.requiredStr("command")
	if err != nil {
		return nil, err
	}
	args, err := c.strList("args")
	if err != nil {
		return nil, err
	}
	become, err := c.boolean("become")
	if err != nil {
		return nil, err
	}
	timeout, err := timeoutOr(c, deps)
	if err != nil {
		return nil, err
	}
	if deps.Exec == nil {
		return nil, errors.New("no executor to run the command with")
	}
	if len(deps.Nodes) == 0 {
		return nil, errors.New("no nodes to run the command on (a probe that observes nothing would always pass)")
	}
	return &commandProbe{
		exec:    deps.Exec,
		nodes:   append([]drivers.Node(nil), deps.Nodes...),
		cmd:     drivers.Command{Script: script, Args: args, Become: become, Timeout: timeout},
		timeout: timeout,
	}, nil
}

func (p *commandProbe) Kind() string { return KindCommand }

// Describe shows the script, never the argument values (they may come from
// sensitive variables).
func (p *commandProbe) Describe() string {
	s := shell.Join("sh", "-c", p.cmd.Script)
	if n := len(p.cmd.Args); n > 0 {
		s += fmt.Sprintf(" (+%d args)", n)
	}
	if p.cmd.Become {
		s = "become: " + s
	}
	return fmt.Sprintf("command on %s: %s", strings.Join(drivers.Names(p.nodes), ","), s)
}

func (p *commandProbe) Sample(ctx context.Context) (cty.Value, error) {
	if err := ctx.Err(); err != nil {
		return cty.NilVal, err
	}
	rctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	results := p.exec.RunAll(rctx, p.nodes, p.cmd)
	if ctx.Err() != nil {
		return cty.NilVal, ctx.Err()
	}
	return commandValue(p.nodes, results), nil
}

// commandValue folds per-node results in node order. A node without a
// result (a misbehaving executor) counts as failed, never as passed.
func commandValue(nodes []drivers.Node, results []drivers.Result) cty.Value {
	var (
		rows         []cty.Value
		maxExit      int
		okN, failedN int
		firstStdout  string
	)
	for i, n := range nodes {
		r := drivers.Result{Node: n.Name, ExitCode: UnreachableExitCode, Err: errors.New("the executor returned no result for this node")}
		if i < len(results) {
			r = results[i]
		}
		row, exit, ok := commandNodeValue(n, r)
		rows = append(rows, row)
		maxExit = max(maxExit, exit)
		if ok {
			okN++
		} else {
			failedN++
		}
		if i == 0 {
			firstStdout = row.GetAttr("stdout").AsString()
		}
	}
	return cty.ObjectVal(map[string]cty.Value{
		"exit_code":    cty.NumberIntVal(int64(maxExit)),
		"stdout":       cty.StringVal(firstStdout),
		"results":      cty.ListVal(rows),
		"ok_nodes":     cty.NumberIntVal(int64(okN)),
		"failed_nodes": cty.NumberIntVal(int64(failedN)),
	})
}

func commandNodeValue(n drivers.Node, r drivers.Result) (cty.Value, int, bool) {
	exit, msg := r.ExitCode, ""
	switch {
	case r.Err != nil:
		exit, msg = UnreachableExitCode, r.Err.Error()
	case exit < 0: // no exit status (killed by a signal): never "passed"
		exit, msg = UnreachableExitCode, fmt.Sprintf("no exit status (reported %d)", r.ExitCode)
	}
	ok := r.Err == nil && exit == 0
	return cty.ObjectVal(map[string]cty.Value{
		"node":      cty.StringVal(n.Name),
		"exit_code": cty.NumberIntVal(int64(exit)),
		"stdout":    cty.StringVal(capOutput(r.Stdout)),
		"stderr":    cty.StringVal(capOutput(r.Stderr)),
		"error":     cty.StringVal(msg),
		"ok":        cty.BoolVal(ok),
	}), exit, ok
}

func capOutput(s string) string {
	if len(s) > MaxOutputBytes {
		s = s[:MaxOutputBytes]
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
