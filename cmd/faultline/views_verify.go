package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/faultline-dev/faultline/runner"
)

// verifyView shows `faultline verify`.
type verifyView interface {
	diagView
	Verified(cloud string, ok bool, rows []runner.VerifiedNode)
}

// verifyDocument is `verify -json` (schemas/verify.schema.json).
type verifyDocument struct {
	FormatVersion string                `json:"format_version"`
	Cloud         string                `json:"cloud"`
	OK            bool                  `json:"ok"`
	Nodes         []runner.VerifiedNode `json:"nodes"`
}

func newVerifyView(env *Env, asJSON bool) verifyView {
	if asJSON {
		return jsonVerifyView{jsonDiagView{env}}
	}
	return textVerifyView{textDiagView{env, "verify"}}
}

type textVerifyView struct{ textDiagView }

func (v textVerifyView) Verified(_ string, _ bool, rows []runner.VerifiedNode) {
	tw := tabwriter.NewWriter(v.env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tREACHABLE\tSUDO\tFQDN\tSERVICES\tCONTAINERS\tERROR\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%v\t%s\t%s\t%s\t%s\t%s\t\n", r.Node, r.Reachable, r.Sudo, dash(r.FQDN),
			dash(strings.Join(r.Services, ",")), dash(strings.Join(r.Containers, ",")), dash(r.Error))
	}
	tw.Flush()
}

type jsonVerifyView struct{ jsonDiagView }

func (v jsonVerifyView) Verified(cloud string, ok bool, rows []runner.VerifiedNode) {
	if rows == nil {
		rows = []runner.VerifiedNode{}
	}
	writeJSON(v.env.Stdout, verifyDocument{FormatVersion: "1.0", Cloud: cloud, OK: ok, Nodes: rows})
}
