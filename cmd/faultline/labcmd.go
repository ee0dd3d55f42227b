package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/faultline-dev/faultline/drivers/lab"
)

func cmdLab() *command {
	const usage = "up [-profile openstack] [-nodes N] [-dir DIR] [-subnet CIDR] [-containers] [-jump] [-demo=false] | down [-dir DIR] | status [-dir DIR]"
	return &command{
		name: "lab", short: "bring the local demo lab of real nodes up or down (needs root)", usage: usage,
		subs: []string{"up", "down", "status"},
		run: func(env *Env, args []string) int {
			if len(args) == 0 {
				fmt.Fprintf(env.Stderr, "usage: faultline lab %s\n", usage)
				return exitUsage
			}
			switch args[0] {
			case "-h", "-help", "--help", "help":
				fmt.Fprintf(env.Stderr, "usage: faultline lab %s\n\nRun 'faultline lab SUBCOMMAND -h' for its flags.\n", usage)
				return exitOK
			case "up":
				return labUp(env, args[1:])
			case "down":
				return labDown(env, args[1:])
			case "status":
				return labStatus(env, args[1:])
			}
			fmt.Fprintf(env.Stderr, "faultline lab: unknown subcommand %q%s (want up, down or status)\n", args[0], suggestWord(args[0], []string{"up", "down", "status"}))
			return exitUsage
		},
	}
}

func labUp(env *Env, args []string) int {
	fs := newFlags(env, "lab up", "[-profile openstack] [-nodes N] [-dir DIR] [-subnet CIDR] [-containers] [-jump] [-demo=false]")
	var o lab.Options
	fs.StringVar(&o.Profile, "profile", "", "run `PROFILE` on the nodes: empty = memcached + API, openstack = Galera, RabbitMQ, Keystone, Cinder, HAProxy, Prometheus on 3+1 nodes")
	fs.IntVar(&o.Nodes, "nodes", 0, "start `N` nodes (default 3; the openstack profile has 4)")
	fs.StringVar(&o.Dir, "dir", lab.DefaultDir, "keep the lab's state (cloud.fl.hcl, keys, known_hosts) in `DIR`")
	fs.StringVar(&o.Subnet, "subnet", "", "put the nodes in the /24 `CIDR` inside 198.18.0.0/15 (default "+lab.DefaultSubnet+", openstack "+lab.DefaultOpenStackSubnet+")")
	fs.BoolVar(&o.Containers, "containers", false, "also run one app container per node (Docker)")
	fs.BoolVar(&o.UseJump, "jump", false, "reach the nodes through the jump host")
	demo := fs.Bool("demo", true, "copy the demo scenario into DIR")
	if ok, code := parseFlags(fs, args); !ok {
		return code
	}
	ctx := context.Background()
	start := time.Now()
	if o.Profile != "" {
		o.Logf = func(format string, args ...any) { fmt.Fprintf(env.Stderr, format+"\n", args...) }
		*demo = false // the demo scenario is for the default lab
	}
	if o.Containers {
		if err := lab.BuildImage(ctx); err != nil {
			fmt.Fprintf(env.Stderr, "faultline lab up: %v\n", err)
			return exitFailed
		}
	}
	l, err := lab.Up(ctx, o)
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline lab up: %v\n", err)
		return exitFailed
	}
	if *demo {
		if err := os.WriteFile(filepath.Join(l.Dir(), "demo.fl.hcl"), demoScenario, 0o644); err != nil {
			fmt.Fprintf(env.Stderr, "faultline lab up: %v\n", err)
			return exitFailed
		}
		if err := l.TrackFile("demo.fl.hcl"); err != nil { // so `lab down` removes it
			fmt.Fprintf(env.Stderr, "faultline lab up: %v\n", err)
			return exitFailed
		}
	}
	fmt.Fprintf(env.Stdout, "lab %s up: %d nodes on %s; cloud block in %s\n", l.ID(), len(l.Nodes()), l.Subnet(), l.CloudFile())
	if info := l.OpenStack(); info != nil {
		mem, err := l.Memory()
		if err != nil {
			fmt.Fprintf(env.Stderr, "faultline lab up: memory: %v\n", err)
		}
		fmt.Fprintf(env.Stdout, "openstack up in %v; memory of the nodes: %v\n", time.Since(start).Round(100*time.Millisecond), mem)
		fmt.Fprintf(env.Stdout, "VIP %s; admin credentials: . %s; Prometheus %s\n", info.VIP, info.OpenRC, l.PrometheusURL())
		return exitOK
	}
	fmt.Fprintf(env.Stdout, "next: faultline plan %s && faultline run %s\n", l.Dir(), l.Dir())
	return exitOK
}

func labDown(env *Env, args []string) int {
	fs := newFlags(env, "lab down", "[-dir DIR]")
	dir := fs.String("dir", lab.DefaultDir, "the lab's state directory `DIR`")
	if ok, code := parseFlags(fs, args); !ok {
		return code
	}
	if err := lab.DownDir(context.Background(), *dir); err != nil {
		fmt.Fprintf(env.Stderr, "faultline lab down: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(env.Stdout, "lab in %s is down\n", *dir)
	return exitOK
}

func labStatus(env *Env, args []string) int {
	fs := newFlags(env, "lab status", "[-dir DIR]")
	dir := fs.String("dir", lab.DefaultDir, "the lab's state directory `DIR`")
	if ok, code := parseFlags(fs, args); !ok {
		return code
	}
	l, err := lab.Load(*dir)
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline lab status: %v\n", err)
		return exitFailed
	}
	st, err := l.Status(context.Background())
	if err != nil {
		fmt.Fprintf(env.Stderr, "faultline lab status: %v\n", err)
		return exitFailed
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tSTATUS\t")
	for _, s := range st {
		fmt.Fprintf(tw, "%s\t%+v\t\n", s.Node, s)
	}
	tw.Flush()
	return exitOK
}
