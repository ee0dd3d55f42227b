package node

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
	"github.com/zclconf/go-cty/cty"
)

const maxWorkers = 64

var sizeRE = regexp.MustCompile(`^([0-9]+)([KMG]?)$`)

// ParseSize reads "64M", "512K", "1G" or a byte count.
func ParseSize(s string) (int64, error) {
	m := sizeRE.FindStringSubmatch(strings.ToUpper(strings.TrimSuffix(strings.ToUpper(s), "B")))
	if m == nil {
		return 0, fmt.Errorf("size %q: want e.g. \"64M\" (K, M or G)", s)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive size", s)
	}
	shift := map[string]uint{"": 0, "K": 10, "M": 20, "G": 30}[m[2]]
	if n > (1<<62)>>shift {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return n << shift, nil
}

func absDir(a faultkit.Args, name, def string) (string, error) {
	p, ok, err := a.String(name)
	if err != nil {
		return "", err
	}
	if !ok || p == "" {
		if def == "" {
			return "", fmt.Errorf("%s is required", name)
		}
		p = def
	}
	if err := dirCheck.Func(cty.StringVal(p)); err != nil {
		return "", fmt.Errorf("%s %w", name, err)
	}
	return p, nil
}

// stressKind reads kind + workers, or one shorthand `<kind> = N`.
func stressKind(a faultkit.Args) (string, int, error) {
	kind, hasKind, err := a.String("kind")
	if err != nil {
		return "", 0, err
	}
	workers, hasWorkers, err := a.Int("workers")
	if err != nil {
		return "", 0, err
	}
	for _, k := range shorthandKinds {
		n, ok, err := a.Int(k)
		switch {
		case err != nil:
			return "", 0, err
		case !ok:
			continue
		case hasKind || hasWorkers:
			return "", 0, fmt.Errorf("give either kind/workers or %s = N, not both", k)
		}
		kind, hasKind, workers, hasWorkers = k, true, n, true
	}
	if !hasKind || kind == "" {
		return "", 0, fmt.Errorf("kind is required (%s), or write e.g. cpu = 1", strings.Join(stressKinds, ", "))
	}
	if !hasWorkers {
		workers = 1
	}
	return kind, workers, nil
}

// stressOptions renders stress-ng stressor options for kind. The values
// were checked against the stress spec (checkArgs).
func stressOptions(a faultkit.Args) ([]string, error) {
	kind, workers, err := stressKind(a)
	if err != nil {
		return nil, err
	}
	size := "64M"
	if s, ok, err := a.String("size"); err != nil {
		return nil, err
	} else if ok {
		size = s
	}
	bytes, err := ParseSize(size)
	if err != nil {
		return nil, err
	}
	w, b := strconv.Itoa(workers), strconv.FormatInt(bytes, 10)
	opts := map[string][]string{
		"cpu":    {"--cpu", w},
		"memory": {"--vm", w, "--vm-bytes", b},
		"io":     {"--io", w},
		"kernel": {"--kill", w}, // os-faults' kernel stressor
	}
	if kind == "disk" || kind == "all" {
		dir, err := absDir(a, "path", "/tmp")
		if err != nil {
			return nil, err
		}
		opts["disk"] = []string{"--hdd", w, "--hdd-bytes", b, "--temp-path", dir}
	}
	if kind == "all" {
		var all []string
		for _, k := range shorthandKinds {
			all = append(all, opts[k]...)
		}
		return all, nil
	}
	if o, ok := opts[kind]; ok {
		return o, nil
	}
	return nil, fmt.Errorf("kind %q: want %s", kind, strings.Join(stressKinds, ", "))
}

func (d *Driver) stress(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	if req.Duration <= 0 {
		return drivers.Outcome{}, fmt.Errorf("stress needs a duration (stress-ng --timeout)")
	}
	if err := checkArgs(req); err != nil {
		return drivers.Outcome{}, err
	}
	opts, err := stressOptions(faultkit.NewArgs(req.Args))
	if err != nil {
		return drivers.Outcome{}, err
	}
	u, err := d.Intent(req)
	if err != nil {
		return drivers.Outcome{}, err
	}
	secs := faultkit.Seconds(req.Duration)
	build := func(n drivers.Node) (drivers.Command, error) {
		args := append([]string{u.State[faultkit.NodeKey("id", n.Name)], secs}, opts...)
		return drivers.Command{Script: stressScript, Args: args, Become: true, Timeout: 30 * time.Second}, nil
	}
	out, vals := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), false)
	if u = u.Narrow(faultkit.Touched(out)); u != nil {
		for node, v := range vals {
			if v["pidfile"] != "" {
				u.State[faultkit.NodeKey("pidfile", node)] = v["pidfile"]
			}
		}
	}
	out.Undo = u
	return out, nil
}

var pidFileRE = regexp.MustCompile(`^/(run|tmp)/faultline/faultline-[A-Za-z0-9._-]+\.stress$`)

// unstress stops stress-ng by recorded pid file, or every pid file of a
// run (prefix) when nothing is recorded.
func (d *Driver) unstress(ctx context.Context, nodes []drivers.Node, prefix string, state map[string]string) drivers.Outcome {
	build := func(n drivers.Node) (drivers.Command, error) {
		args := []string{prefix, faultkit.Safe(n.Name)}
		pfs := stressPidFiles(state[faultkit.NodeKey("id", n.Name)])
		if state[faultkit.NodeKey("id", n.Name)] == "" {
			pfs = nil
		}
		if pf := state[faultkit.NodeKey("pidfile", n.Name)]; pf != "" {
			pfs = append(pfs, pf)
		}
		for _, pf := range pfs {
			if !pidFileRE.MatchString(pf) || strings.Contains(pf, "..") {
				return drivers.Command{}, fmt.Errorf("recorded pid file %q is not ours", pf)
			}
			args = append(args, pf)
		}
		return drivers.Command{Script: unstressScript, Args: args, Become: true, Timeout: 30 * time.Second}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, build), false)
	return out
}

func fillName(req drivers.Request) string { return "faultline-fill-" + faultkit.FileSuffix(req) }

func (d *Driver) diskFill(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	if err := checkArgs(req); err != nil {
		return drivers.Outcome{}, err
	}
	a := faultkit.NewArgs(req.Args)
	dir, err := absDir(a, "path", "")
	if err != nil {
		return drivers.Outcome{}, err
	}
	sz, err := a.RequiredString("size")
	if err != nil {
		return drivers.Outcome{}, err
	}
	bytes, err := ParseSize(sz)
	if err != nil {
		return drivers.Outcome{}, err
	}
	u, err := d.Intent(req)
	if err != nil {
		return drivers.Outcome{}, err
	}
	name := fillName(req)
	secs := faultkit.Seconds(faultkit.RevertDelay(req))
	build := func(n drivers.Node) (drivers.Command, error) {
		args := []string{dir, name, strconv.FormatInt(bytes, 10), u.State[faultkit.NodeKey("timer", n.Name)], secs, diskFreeScript}
		return drivers.Command{Script: diskFillScript, Args: args, Become: true, Timeout: 5 * time.Minute}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, req.Nodes, build), false)
	out.Undo = u.Narrow(faultkit.Touched(out))
	return out, nil
}

var fillFileRE = regexp.MustCompile(`^/.*/faultline-fill-[A-Za-z0-9._-]+$|^/faultline-fill-[A-Za-z0-9._-]+$`)

func (d *Driver) diskFree(ctx context.Context, req drivers.Request) (drivers.Outcome, error) {
	dir, err := absDir(faultkit.NewArgs(req.Args), "path", "")
	if err != nil {
		return drivers.Outcome{}, err
	}
	return d.freeRecorded(ctx, req.Nodes, map[string]string{"file": path.Join(dir, fillName(req))}), nil
}

func (d *Driver) freeRecorded(ctx context.Context, nodes []drivers.Node, state map[string]string) drivers.Outcome {
	f := state["file"]
	build := func(n drivers.Node) (drivers.Command, error) {
		if !fillFileRE.MatchString(f) || path.Clean(f) != f {
			return drivers.Command{}, fmt.Errorf("recorded file %q is not a faultline fill file", f)
		}
		timer := state[faultkit.NodeKey("timer", n.Name)]
		if timer != "" {
			if err := faultkit.CheckTimerID(timer); err != nil {
				return drivers.Command{}, err
			}
		}
		return drivers.Command{Script: diskFreeScript, Args: []string{f, timer}, Become: true, Timeout: time.Minute}, nil
	}
	out, _ := faultkit.Outcome(faultkit.Each(ctx, d.deps.Exec, nodes, build), false)
	return out
}
