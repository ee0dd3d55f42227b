// Command faultline-lab brings a local lab up or down until `faultline lab`
// wires the same package: faultline-lab up [-n 3] [-dir .lab] [-subnet ...]
// [-two-hop] [-containers], faultline-lab status|down [-dir .lab].
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/faultline-dev/faultline/drivers/lab"
)

func main() {
	if lab.IsRole() {
		os.Exit(lab.Main(os.Args[1:]))
	}
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: faultline-lab up|down|status [flags]")
		return 2
	}
	fs := flag.NewFlagSet("faultline-lab "+args[0], flag.ContinueOnError)
	var o lab.Options
	fs.StringVar(&o.Dir, "dir", lab.DefaultDir, "state directory")
	fs.IntVar(&o.Nodes, "n", lab.DefaultNodes, "number of nodes")
	fs.StringVar(&o.Subnet, "subnet", lab.DefaultSubnet, "nodes' /24 inside 198.18.0.0/15")
	fs.BoolVar(&o.TwoHopJump, "two-hop", false, "add a second jump hop and use the chain in cloud.fl.hcl")
	fs.BoolVar(&o.UseJump, "use-jump", false, "reach nodes through the jump host in cloud.fl.hcl")
	fs.BoolVar(&o.Containers, "containers", false, "one app container per node (builds the image first)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch args[0] {
	case "up":
		if o.Containers {
			if err := lab.BuildImage(ctx); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		l, err := lab.Up(ctx, o)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("lab %s up: %d nodes on %s\ncloud: %s\nssh:   ssh -F %s node-1\n", l.ID(), len(l.Nodes()), l.Subnet(), l.CloudFile(), l.SSHConfig())
	case "down":
		if err := lab.DownDir(ctx, o.Dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	case "status":
		l, err := lab.Load(o.Dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		st, err := l.Status(ctx)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(st)
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n", args[0])
		return 2
	}
	return 0
}
