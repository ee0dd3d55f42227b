package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
)

// verifyRow is one node's verification.
type verifyRow struct {
	Node       string   `json:"node"`
	Reachable  bool     `json:"reachable"`
	Sudo       string   `json:"sudo"` // ok, failed, not-required
	FQDN       string   `json:"fqdn,omitempty"`
	Services   []string `json:"services"`
	Containers []string `json:"containers"`
	Error      string   `json:"error,omitempty"`
}

func cmdVerify() *command {
	const usage = "[-json] [-cloud NAME] [-timeout DURATION] [-fanout N] [-var NAME=VALUE] [-var-file FILE] [-known-hosts FILE] [-host-keys POLICY] [PATH]"
	return &command{
		name: "verify", short: "reach every node, check sudo, list discovered services and containers", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "verify", usage)
			var lf loadFlags
			lf.registerVars(fs)
			lf.registerHostKeys(fs)
			lf.registerJSON(fs)
			cloudName := fs.String("cloud", "", "verify cloud `NAME` (default: the only one)")
			timeout := fs.Duration("timeout", 30*time.Second, "give up on a node after `DURATION`")
			var fan fanoutFlag
			fan.register(fs)
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			v := newVerifyView(env, lf.json)
			l, cloud, code := loadCloud(env, v, fs, &lf, *cloudName)
			if l == nil {
				return code
			}
			rows, failed, err := verifyCloud(l.cfg, cloud, *timeout, fan)
			if err != nil {
				v.Error(err)
				return exitFailed
			}
			v.Verified(cloud.Name, !failed, rows)
			if failed {
				return exitFailed
			}
			return exitOK
		},
	}
}

func verifyCloud(cfg *scenario.Config, cloud *scenario.Cloud, timeout time.Duration, fan fanoutFlag) ([]verifyRow, bool, error) {
	sess, err := openSession(cfg, cloud, fan.live(0))
	if err != nil {
		return nil, true, err
	}
	defer sess.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	nodes := sess.Inventory()
	exec := sess.Executor()
	reach := exec.RunAll(ctx, nodes, drivers.Command{Script: "hostname -f 2>/dev/null || hostname"})
	sudo := exec.RunAll(ctx, nodes, drivers.Command{Script: "true", Become: true})
	rows := make([]verifyRow, len(nodes))
	failed := false
	byName := map[string]*verifyRow{}
	for i, n := range nodes {
		r := verifyRow{Node: n.Name, Services: []string{}, Containers: []string{}, Sudo: "ok"}
		switch {
		case reach[i].Err != nil:
			r.Error = reach[i].Err.Error()
			r.Sudo = "-"
		case reach[i].ExitCode != 0:
			r.Error = fmt.Sprintf("hostname exited %d", reach[i].ExitCode)
		default:
			r.Reachable = true
			r.FQDN = strings.TrimSpace(reach[i].Stdout)
			if !sudo[i].OK() {
				r.Sudo = "failed"
				r.Error = strings.TrimSpace(sudo[i].Stderr)
				if sudo[i].Err != nil {
					r.Error = sudo[i].Err.Error()
				}
			}
		}
		if !r.Reachable || r.Sudo == "failed" {
			failed = true
		}
		rows[i] = r
		byName[n.Name] = &rows[i]
	}
	for _, kind := range []string{"service", "container"} {
		objs := cloud.Services
		if kind == "container" {
			objs = cloud.Containers
		}
		for _, o := range objs {
			hosts, err := sess.Hosts(ctx, kind, o.Name)
			if err != nil {
				return rows, true, fmt.Errorf("discovering %s %q: %w", kind, o.Name, err)
			}
			for _, h := range hosts {
				if r := byName[h]; r != nil {
					if kind == "service" {
						r.Services = append(r.Services, o.Name)
					} else {
						r.Containers = append(r.Containers, o.Name)
					}
				}
			}
		}
	}
	return rows, failed, nil
}
