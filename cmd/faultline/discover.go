package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/faultline-dev/faultline/scenario/osfaults"
	"github.com/hashicorp/hcl/v2"
)

func cmdDiscover() *command {
	const usage = "[-config PATH] [-cloud NAME] [-o FILE] [-timeout DURATION] [-fanout N] [-var NAME=VALUE] [-var-file FILE] [-known-hosts FILE] [-host-keys POLICY]"
	return &command{
		name: "discover", short: "connect, find services' hosts and nodes' FQDNs, write the cloud back as HCL", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "discover", usage)
			var lf loadFlags
			lf.registerVars(fs)
			lf.registerHostKeys(fs)
			config := fs.String("config", "", configUsage)
			cloudName := fs.String("cloud", "", "discover cloud `NAME` (default: the only one)")
			outFile := fs.String("o", "", "write the HCL to `FILE` instead of stdout")
			timeout := fs.Duration("timeout", time.Minute, "give up discovery after `DURATION`")
			var fan fanoutFlag
			fan.register(fs)
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			if fs.NArg() > 0 {
				fmt.Fprintf(env.Stderr, "faultline discover: unexpected argument %q (use -config PATH)\n", fs.Arg(0))
				return exitUsage
			}
			in, code := loadForDiscover(env, &lf, *config, *cloudName)
			if code != exitOK {
				return code
			}
			cloud, err := pickCloud(in.cfg, *cloudName)
			if err != nil {
				fmt.Fprintf(env.Stderr, "faultline discover: %v\n", err)
				return exitUsage
			}
			sess, err := runner.OpenSession(in.cfg, cloud, fan.live())
			if err != nil {
				fmt.Fprintf(env.Stderr, "faultline discover: %v\n", err)
				return exitFailed
			}
			defer sess.Close()
			ctx, cancel := context.WithTimeout(context.Background(), *timeout)
			defer cancel()
			text, rep, diags := discoverHCL(ctx, in, cloud, liveFleet{sess})
			for _, w := range rep.warnings {
				fmt.Fprintf(env.Stderr, "faultline discover: warning: %s\n", w)
			}
			if diags.HasErrors() {
				writeDiagsText(env, in.files, diags)
				return exitFailed
			}
			code = writeOutput(env, *outFile, text, "discover")
			if code == exitOK && rep.failedNodes > 0 {
				// What was learned is written; the exit code tells CI
				// that some nodes did not answer.
				fmt.Fprintf(env.Stderr, "faultline discover: %d of %d nodes did not answer\n", rep.failedNodes, len(cloud.Nodes))
				code = exitFailed
			}
			return code
		},
	}
}

// discoverInput is a loaded configuration with the sources discover
// rewrites.
type discoverInput struct {
	path  string // the configuration actually read
	cfg   *scenario.Config
	files map[string]*hcl.File // every source, for diagnostics and rewriting
}

// loadForDiscover is loadConfig for discover (and recover, which always
// names its path).
func loadForDiscover(env *Env, lf *loadFlags, path, cloudName string) (*discoverInput, int) {
	return loadConfig(env, newDiagView(env, "discover", false), lf, path, cloudName)
}

// loadConfig loads path (or the searched configuration): faultline HCL, or
// an os-faults file converted on the fly. v reports diagnostics and errors.
func loadConfig(env *Env, v diagView, lf *loadFlags, path, cloudName string) (*discoverInput, int) {
	kind := kindOf(path)
	if path == "" {
		p, k, err := newConfigSearch(env.Getenv).find()
		if err != nil {
			v.Error(err)
			return nil, exitUsage
		}
		path, kind = p, k
	}
	if kind == configHCL {
		l := load(env, lf, path)
		if l.diags.HasErrors() {
			v.Diagnostics(l.diagFiles(), l.diags)
			return nil, exitInvalid
		}
		return &discoverInput{path: path, cfg: l.cfg, files: l.Files()}, exitOK
	}
	src, diags := osfaults.Load(path, cloudName)
	if src == nil || diags.HasErrors() {
		files := map[string]*hcl.File{}
		if src != nil {
			files = src.Files
		}
		v.Diagnostics(files, diags)
		return nil, exitInvalid
	}
	v.Diagnostics(src.Files, hostKeyWarnedOnce(env.Getenv, path, diags))
	p := scenario.NewParser()
	cfg, ldiags := p.LoadSource(src.Filename, src.HCL, scenario.Options{Verbs: drivers.Default.Verbs(), Vars: lf.vars, Getenv: env.Getenv})
	if cfg != nil && !ldiags.HasErrors() {
		ldiags = append(ldiags, runner.Validate(cfg, drivers.Default)...)
	}
	files := mergeFiles(p.Files(), src.Files)
	if ldiags.HasErrors() {
		v.Diagnostics(files, ldiags)
		return nil, exitInvalid
	}
	if err := lf.hostKeys.apply(env.Getenv, cfg); err != nil {
		v.Error(err)
		return nil, exitUsage
	}
	return &discoverInput{path: path, cfg: cfg, files: files}, exitOK
}

// fleet is what discover asks of a live cloud; tests inject a fake.
type fleet interface {
	// FQDNs runs `hostname -f` on every node: node name → FQDN, plus a
	// warning per node that did not answer (the nodes missing from the
	// map).
	FQDNs(ctx context.Context) (map[string]string, []string)
	// Hosts returns the nodes that run a service or container.
	Hosts(ctx context.Context, kind, name string) ([]string, error)
}

type liveFleet struct{ sess *runner.LiveSession }

func (f liveFleet) FQDNs(ctx context.Context) (map[string]string, []string) {
	nodes := f.sess.Inventory()
	res := f.sess.Executor().RunAll(ctx, nodes, drivers.Command{Script: "hostname -f 2>/dev/null || hostname"})
	out := map[string]string{}
	var warnings []string
	for i, n := range nodes {
		switch fqdn := strings.TrimSpace(res[i].Stdout); {
		case res[i].Err != nil:
			warnings = append(warnings, fmt.Sprintf("node %s: %v (fqdn left as it was)", n.Name, res[i].Err))
		case res[i].ExitCode != 0 || fqdn == "":
			warnings = append(warnings, fmt.Sprintf("node %s: hostname exited %d (fqdn left as it was)", n.Name, res[i].ExitCode))
		default:
			out[n.Name] = fqdn
		}
	}
	return out, warnings
}

func (f liveFleet) Hosts(ctx context.Context, kind, name string) ([]string, error) {
	return f.sess.Hosts(ctx, kind, name)
}

// discoverHCL asks fl about cloud and rewrites the file that declares the
// cloud: nodes get their FQDN, services and containers without explicit
// hosts get the nodes they were found on, and preset (devstack) services
// found somewhere are written out with their hosts. Auth, jump hosts,
// power, variables and the user's own services are kept as written.
func discoverHCL(ctx context.Context, in *discoverInput, cloud *scenario.Cloud, fl fleet) ([]byte, discoverReport, hcl.Diagnostics) {
	d := osfaults.Discovery{Cloud: cloud.Name, Hosts: map[string][]string{}}
	fqdns, warnings := fl.FQDNs(ctx)
	d.FQDNs = fqdns
	rep := discoverReport{failedNodes: len(cloud.Nodes) - len(fqdns)}
	for _, group := range [][]*scenario.Object{cloud.Services, cloud.Containers} {
		for _, o := range group {
			if o.Hosts != nil && !o.Preset {
				continue
			}
			hosts, err := fl.Hosts(ctx, o.Kind, o.Name)
			if err != nil {
				warnings = append(warnings, fmt.Sprintf("%s %s: %v (left to run-time discovery)", o.Kind, o.Name, err))
				continue
			}
			if len(hosts) == 0 {
				warnings = append(warnings, fmt.Sprintf("%s %s: found on no node (left to run-time discovery)", o.Kind, o.Name))
				continue
			}
			d.Hosts[o.Kind+"."+o.Name] = hosts
			if o.Preset {
				d.Presets = append(d.Presets, presetObject(o, in.files))
			}
		}
	}
	rep.warnings = warnings
	file := in.files[cloud.DeclRange.Filename]
	if file == nil {
		return nil, rep, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Source not found",
			Detail: fmt.Sprintf("The source of cloud %q (%s) is not loaded.", cloud.Name, cloud.DeclRange.Filename)}}
	}
	out, diags := osfaults.Annotate(cloud.DeclRange.Filename, file.Bytes, d)
	return out, rep, diags
}

// discoverReport is what discover tells the user besides the HCL.
type discoverReport struct {
	warnings    []string
	failedNodes int // nodes that did not answer hostname
}

// presetObject copies a preset object's attributes as source text.
func presetObject(o *scenario.Object, files map[string]*hcl.File) osfaults.PresetObject {
	p := osfaults.PresetObject{Kind: o.Kind, Name: o.Name, Driver: o.Driver}
	attrs, _ := o.Config.JustAttributes()
	var names []string
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r := attrs[n].Expr.Range()
		f := files[r.Filename]
		if f == nil || r.End.Byte > len(f.Bytes) || r.Start.Byte > r.End.Byte {
			continue
		}
		p.Attrs = append(p.Attrs, osfaults.RawAttr{Name: n, Expr: f.Bytes[r.Start.Byte:r.End.Byte]})
	}
	return p
}
