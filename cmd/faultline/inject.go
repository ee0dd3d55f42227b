package main

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner"
	"github.com/hashicorp/hcl/v2"
)

func cmdInject() *command {
	const usage = "[-json] [-config PATH] [-cloud NAME] [-seed N] [-dry-run] [-keep] [-take-lease] [-fanout N] [-junit FILE] [-html FILE] [-report FILE] [-state-dir DIR] [-var NAME=VALUE] [-var-file FILE] [-known-hosts FILE] [-host-keys POLICY] \"<sentence>\""
	return &command{
		name: "inject", short: "inject one fault described in English, e.g. \"kill memcached service on one node\"", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "inject", usage)
			var rf runFlags
			rf.registerVars(fs)
			rf.registerJSON(fs)
			rf.registerHostKeys(fs)
			rf.fanout.register(fs)
			config := fs.String("config", "", configUsage)
			cloudName := fs.String("cloud", "", "act on cloud `NAME` (default: the only one)")
			seed := fs.Int64("seed", -1, "seed random node picks with `N` (default: a fresh seed, printed)")
			dry := fs.Bool("dry-run", false, "print the plan, inject nothing")
			rf.registerLease(fs)
			keep := fs.Bool("keep", false, "leave the fault in place (undo later with 'faultline recover RUN')")
			fs.StringVar(&rf.junit, "junit", "", "write a JUnit XML report to `FILE`")
			fs.StringVar(&rf.report, "report", "", "write the JSON run report to `FILE`")
			fs.StringVar(&rf.html, "html", "", "write an HTML timeline to `FILE`")
			fs.StringVar(&rf.stateDir, "state-dir", ".faultline", "keep run journals and cloud leases in `DIR`")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			v := newInjectView(env, rf.json)
			sentence := strings.TrimSpace(strings.Join(fs.Args(), " "))
			if sentence == "" {
				if rf.json {
					v.Error(fmt.Errorf("no sentence: usage: faultline inject %s", usage))
				} else {
					fmt.Fprintf(env.Stderr, "usage: faultline inject %s\n", usage)
				}
				return exitUsage
			}
			in, code := loadConfig(env, v, &rf.loadFlags, *config, *cloudName)
			if in == nil {
				return code
			}
			l := &loaded{cfg: in.cfg, files: in.files}
			path := in.path
			cloud, err := pickCloud(l.cfg, *cloudName)
			if err != nil {
				v.Error(err)
				return exitUsage
			}
			random := *seed < 0
			if random {
				*seed = freshSeed()
				fmt.Fprintf(env.Stderr, "faultline inject: random seed %d (rerun with -seed %d to hit the same nodes)\n", *seed, *seed)
			}
			l.cfg.Scenarios = append(l.cfg.Scenarios, runner.SentenceScenario(injectScenario, cloud.Name, sentence, *seed))
			p, diags := runner.NewPlan(l.cfg, injectScenario, drivers.Default, runner.PlanOptions{Seed: seed, Files: l.Files()})
			if p != nil && random {
				p.SeedSource = runner.SeedRandom
			}
			files := l.Files()
			files[runner.SentenceFile] = &hcl.File{Bytes: []byte(sentence)}
			v.Diagnostics(files, diags)
			if diags.HasErrors() {
				return exitInvalid
			}
			if *dry {
				v.DryRun(p)
				return exitOK
			}
			ctx, hard, stop := interrupts(env)
			defer stop()
			rf.parallelism, rf.keep = 1, *keep
			runEnv := *env
			runEnv.Stderr = v.Stderr()
			code = runPlan(ctx, hard, &runEnv, &rf, l.cfg, p, path, v.Report)
			v.Ended(code)
			return code
		},
	}
}

// injectScenario names the scenario inject declares from its sentence.
const injectScenario = "inject"

func freshSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) & (1<<62 - 1))
}
