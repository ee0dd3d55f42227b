package main

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/scenario"
)

// nodeRow is one line of `faultline nodes`.
type nodeRow struct {
	Name       string            `json:"name"`
	Address    string            `json:"address"`
	FQDN       string            `json:"fqdn,omitempty"`
	Labels     map[string]string `json:"labels,omitempty"`
	Power      string            `json:"power,omitempty"`
	Services   []string          `json:"services"`
	Containers []string          `json:"containers"`
}

func cmdNodes() *command {
	const usage = "[-json] [-cloud NAME] [-discover] [-fanout N] [-var NAME=VALUE] [-var-file FILE] [-known-hosts FILE] [-host-keys POLICY] [PATH]"
	return &command{
		name: "nodes", short: "list nodes, addresses, labels and the services they host", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "nodes", usage)
			var lf loadFlags
			lf.registerVars(fs)
			lf.registerHostKeys(fs)
			lf.registerJSON(fs)
			cloudName := fs.String("cloud", "", "list cloud `NAME` (default: the only one)")
			discover := fs.Bool("discover", false, "connect and discover which nodes run services without explicit hosts")
			var fan fanoutFlag
			fan.register(fs)
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			v := newNodesView(env, lf.json)
			l, cloud, code := loadCloud(env, v, fs, &lf, *cloudName)
			if l == nil {
				return code
			}
			rows, err := nodeRows(l.cfg, cloud, *discover, fan)
			if err != nil {
				v.Error(err)
				return exitFailed
			}
			v.Nodes(cloud.Name, rows)
			return exitOK
		},
	}
}

func nodeRows(cfg *scenario.Config, cloud *scenario.Cloud, discover bool, fan fanoutFlag) ([]nodeRow, error) {
	rows := map[string]*nodeRow{}
	var out []nodeRow
	for _, n := range cloud.Nodes {
		rows[n.Name] = &nodeRow{Name: n.Name, Address: n.Address, FQDN: n.FQDN, Labels: n.Labels, Power: n.Power,
			Services: []string{}, Containers: []string{}}
	}
	var sess *runner.LiveSession
	if discover {
		var err error
		if sess, err = runner.OpenSession(cfg, cloud, fan.live()); err != nil {
			return nil, err
		}
		defer sess.Close()
	}
	add := func(kind string, objs []*scenario.Object, pick func(*nodeRow) *[]string) {
		for _, o := range objs {
			hosts := o.Hosts
			if hosts == nil && sess != nil {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				h, err := sess.Hosts(ctx, kind, o.Name)
				cancel()
				if err != nil {
					h = nil
				}
				hosts = h
			}
			for _, h := range hosts {
				if r := rows[h]; r != nil {
					*pick(r) = append(*pick(r), o.Name)
				}
			}
		}
	}
	add("service", cloud.Services, func(r *nodeRow) *[]string { return &r.Services })
	add("container", cloud.Containers, func(r *nodeRow) *[]string { return &r.Containers })
	for _, n := range cloud.Nodes {
		out = append(out, *rows[n.Name])
	}
	return out, nil
}

func labelText(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
