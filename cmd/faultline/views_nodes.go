package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// nodesView shows `faultline nodes`.
type nodesView interface {
	diagView
	Nodes(cloud string, rows []nodeRow)
}

// nodesDocument is `nodes -json` (schemas/nodes.schema.json).
type nodesDocument struct {
	FormatVersion string    `json:"format_version"`
	Cloud         string    `json:"cloud"`
	Nodes         []nodeRow `json:"nodes"`
}

func newNodesView(env *Env, asJSON bool) nodesView {
	if asJSON {
		return jsonNodesView{jsonDiagView{env}}
	}
	return textNodesView{textDiagView{env, "nodes"}}
}

type textNodesView struct{ textDiagView }

func (v textNodesView) Nodes(_ string, rows []nodeRow) {
	tw := tabwriter.NewWriter(v.env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tADDRESS\tFQDN\tLABELS\tPOWER\tSERVICES\tCONTAINERS\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Name, r.Address, dash(r.FQDN), dash(labelText(r.Labels)),
			dash(r.Power), dash(strings.Join(r.Services, ",")), dash(strings.Join(r.Containers, ",")))
	}
	tw.Flush()
}

type jsonNodesView struct{ jsonDiagView }

func (v jsonNodesView) Nodes(cloud string, rows []nodeRow) {
	if rows == nil {
		rows = []nodeRow{}
	}
	writeJSON(v.env.Stdout, nodesDocument{FormatVersion: "1.0", Cloud: cloud, Nodes: rows})
}
