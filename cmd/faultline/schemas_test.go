package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/runner/journal"
	"github.com/faultline-dev/faultline/runner/schematest"
)

const schemasDir = "../../schemas"

// runsDocument is the shape `faultline runs -json` writes (built as a map
// in runs.go); the scripts validate the real output against the schema
// generated from this type.
type runsDocument struct {
	FormatVersion string            `json:"format_version"`
	Runs          []journal.RunInfo `json:"runs"`
}

// schemaDoc is one schema the commands' JSON views write documents of:
// the Go type of the document and the options to generate it with.
type schemaDoc struct {
	file string
	root reflect.Type
	opts schematest.Options
}

const schemaBase = "https://faultline.dev/schemas/"

func cmdSchemaDocs() []schemaDoc {
	always := func(def, prop string, items *schematest.Schema) func(s *schematest.Schema) {
		return func(s *schematest.Schema) { schematest.SetProp(s, def, prop, schematest.ArrayOf(items)) }
	}
	version := func(def, v string) func(s *schematest.Schema) {
		return func(s *schematest.Schema) { schematest.SetProp(s, def, "format_version", schematest.Const(v)) }
	}
	both := func(fs ...func(s *schematest.Schema)) func(s *schematest.Schema) {
		return func(s *schematest.Schema) {
			for _, f := range fs {
				f(s)
			}
		}
	}
	return []schemaDoc{
		{"diagnostics.schema.json", reflect.TypeFor[jsonDiagnostics](), schematest.Options{
			ID:    schemaBase + "diagnostics.schema.json",
			Title: "faultline diagnostics (validate -json, and the errors of every -json command)",
			Description: "One JSON document on stdout. valid is true when error_count is 0. " +
				"Positions are 1-based lines and columns (columns count characters), 0-based bytes. " +
				"A diagnostic without a source location has neither range nor snippet.",
			Names: map[string]string{"jsonDiagnostics": "Diagnostics", "jsonDiag": "Diagnostic",
				"jsonRange": "Range", "jsonPos": "Position", "jsonSnippet": "Snippet"},
			Tweak: both(
				func(s *schematest.Schema) {
					schematest.SetProp(s, "Diagnostic", "severity", &schematest.Schema{Type: "string", Enum: []any{"error", "warning"}})
				},
				always("Diagnostics", "diagnostics", schematest.Ref("Diagnostic")),
				version("Diagnostics", diagFormatVersion)),
		}},
		{"drivers.schema.json", reflect.TypeFor[driversDocument](), schematest.Options{
			ID:    schemaBase + "drivers.schema.json",
			Title: "faultline drivers -json",
			Description: "The driver registry: every driver with its configuration arguments and actions. " +
				"An action's inverse names the action that undoes it (derived rollbacks); duration says " +
				"whether a step's duration is rejected, accepted or required.",
			Enums: map[reflect.Type][]string{
				reflect.TypeFor[drivers.Family]():      {"container", "network", "node", "power", "service"},
				reflect.TypeFor[drivers.DurationUse](): {"none", "optional", "required"},
			},
			Names: map[string]string{"driversDocument": "Document"},
			Tweak: both(always("Document", "drivers", schematest.Ref("Definition")), version("Document", "1.0")),
		}},
		{"nodes.schema.json", reflect.TypeFor[nodesDocument](), schematest.Options{
			ID:          schemaBase + "nodes.schema.json",
			Title:       "faultline nodes -json",
			Description: "The nodes of one cloud with the services and containers each hosts (declared hosts, or discovered with -discover).",
			Names:       map[string]string{"nodesDocument": "Document", "nodeRow": "Node"},
			Tweak: both(always("Document", "nodes", schematest.Ref("Node")), version("Document", "1.0"),
				always("Node", "services", &schematest.Schema{Type: "string"}),
				always("Node", "containers", &schematest.Schema{Type: "string"})),
		}},
		{"verify.schema.json", reflect.TypeFor[verifyDocument](), schematest.Options{
			ID:    schemaBase + "verify.schema.json",
			Title: "faultline verify -json",
			Description: "One cloud's nodes checked: reachable over the transport, sudo working (sudo is \"-\" " +
				"when the node was not reached), services and containers discovered. ok is false when a node " +
				"is unreachable or its sudo failed.",
			Names: map[string]string{"verifyDocument": "Document", "VerifiedNode": "Node"},
			Tweak: both(always("Document", "nodes", schematest.Ref("Node")), version("Document", "1.0"),
				always("Node", "services", &schematest.Schema{Type: "string"}),
				always("Node", "containers", &schematest.Schema{Type: "string"}),
				func(s *schematest.Schema) {
					schematest.SetProp(s, "Node", "sudo", &schematest.Schema{Type: "string", Enum: []any{"ok", "failed", "-"}})
				}),
		}},
		{"version.schema.json", reflect.TypeFor[versionDocument](), schematest.Options{
			ID:    schemaBase + "version.schema.json",
			Title: "faultline version -json",
			Names: map[string]string{"versionDocument": "Version"},
		}},
		{"plans.schema.json", reflect.TypeFor[planSetDocument](), schematest.Options{
			ID:    schemaBase + "plans.schema.json",
			Title: "faultline plans",
			Description: "Several scenarios' plans: plan -json when it plans more than one scenario, and the file " +
				"plan -out writes (for run -plan). Each plan is a plan.schema.json document.",
			Names: map[string]string{"planSetDocument": "Plans"},
			Types: map[reflect.Type]*schematest.Schema{reflect.TypeFor[runner.Plan](): {Ref: "plan.schema.json"}},
			Tweak: both(always("Plans", "plans", &schematest.Schema{Ref: "plan.schema.json"}),
				version("Plans", runner.PlanFormatVersion)),
		}},
		{"runs.schema.json", reflect.TypeFor[runsDocument](), schematest.Options{
			ID:          schemaBase + "runs.schema.json",
			Title:       "faultline runs -json",
			Description: "The runs of a state directory, oldest first, with their state and the faults still outstanding.",
			Names:       map[string]string{"runsDocument": "Runs"},
			Enums: map[reflect.Type][]string{reflect.TypeFor[journal.RunState](): {
				string(journal.StateRunning), string(journal.StateCompleted), string(journal.StateFailed),
				string(journal.StateInterrupted), string(journal.StateCrashed), string(journal.StateRecovered),
				string(journal.StateAbandoned), string(journal.StateUnreadable)}},
			Tweak: both(always("Runs", "runs", schematest.Ref("RunInfo")), version("Runs", "1.0")),
		}},
	}
}

// TestSchemasMatchGoTypes keeps every schema the commands' JSON views
// write equal to the one generated from the Go types of their documents
// (`go test ./cmd/faultline -run TestSchemasMatchGoTypes -update`
// regenerates), and each must compile with the maintained validator.
func TestSchemasMatchGoTypes(t *testing.T) {
	for _, d := range cmdSchemaDocs() {
		t.Run(d.file, func(t *testing.T) {
			path := filepath.Join(schemasDir, d.file)
			want, err := schematest.Generate(d.root, d.opts)
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s", path)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (create it with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the schema generated from the Go types; run `go test ./cmd/faultline -run TestSchemasMatchGoTypes -update`", path)
			}
			schematest.MustLoad(t, schemasDir, d.file)
		})
	}
}

// TestSchemasRejectWhatCodeNeverWrites checks the tweaks: lists the code
// always writes may not be null, versions are constants.
func TestSchemasRejectWhatCodeNeverWrites(t *testing.T) {
	for file, doc := range map[string]string{
		"diagnostics.schema.json": `{"format_version":"1.0","valid":true,"error_count":0,"warning_count":0,"diagnostics":null}`,
		"nodes.schema.json":       `{"format_version":"1.0","cloud":"lab","nodes":null}`,
		"verify.schema.json":      `{"format_version":"1.0","cloud":"lab","ok":true,"nodes":[{"node":"n1","reachable":true,"sudo":"maybe","services":[],"containers":[]}]}`,
		"plans.schema.json":       `{"format_version":"0","plans":[]}`,
		"runs.schema.json":        `{"format_version":"1.0","runs":[{"id":"x","path":"p","state":"sleeping","outstanding":0,"recovered":0,"abandoned":0}]}`,
	} {
		if err := schematest.MustLoad(t, schemasDir, file).Validate([]byte(doc)); err == nil {
			t.Errorf("%s accepts %s", file, doc)
		}
	}
}
