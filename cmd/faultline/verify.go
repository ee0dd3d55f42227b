package main

import (
	"context"
	"time"

	"github.com/faultline-dev/faultline/runner"
)

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
			sess, err := runner.OpenSession(l.cfg, cloud, fan.live())
			if err != nil {
				v.Error(err)
				return exitFailed
			}
			defer sess.Close()
			ctx, cancel := context.WithTimeout(context.Background(), *timeout)
			defer cancel()
			nodes, ok, err := sess.Verify(ctx)
			if err != nil {
				v.Error(err)
				return exitFailed
			}
			v.Verified(cloud.Name, ok, nodes)
			if !ok {
				return exitFailed
			}
			return exitOK
		},
	}
}
