package main

import (
	"fmt"
	"runtime"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/scenario"
)

// driversView shows `faultline drivers`.
type driversView interface {
	diagView
	Drivers(defs []drivers.Definition)
}

// driversDocument is `drivers -json` (schemas/drivers.schema.json).
type driversDocument struct {
	FormatVersion string               `json:"format_version"`
	Drivers       []drivers.Definition `json:"drivers"`
}

func newDriversView(env *Env, asJSON bool) driversView {
	if asJSON {
		return jsonDriversView{jsonDiagView{env}}
	}
	return textDriversView{textDiagView{env, "drivers"}}
}

type textDriversView struct{ textDiagView }

func (v textDriversView) Drivers(defs []drivers.Definition) {
	for _, d := range defs {
		writeDriver(v.env, d)
	}
}

type jsonDriversView struct{ jsonDiagView }

func (v jsonDriversView) Drivers(defs []drivers.Definition) {
	writeJSON(v.env.Stdout, driversDocument{FormatVersion: "1.0", Drivers: defs})
}

// versionView shows `faultline version`.
type versionView interface {
	Version()
}

// versionDocument is `version -json` (schemas/version.schema.json).
type versionDocument struct {
	Version string `json:"version"`
	Go      string `json:"go"`
}

func newVersionView(env *Env, asJSON bool) versionView {
	if asJSON {
		return jsonVersionView{env}
	}
	return textVersionView{env}
}

type textVersionView struct{ env *Env }

func (v textVersionView) Version() {
	fmt.Fprintf(v.env.Stdout, "faultline %s (%s)\n", scenario.Version, runtime.Version())
}

type jsonVersionView struct{ env *Env }

func (v jsonVersionView) Version() {
	writeJSON(v.env.Stdout, versionDocument{Version: scenario.Version, Go: runtime.Version()})
}
