package osfaults

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Convert reads an os-faults cloud config (YAML or JSON, as os-faults
// 0.2.1 takes it) and returns the equivalent faultline HCL: sensitive
// `variable` blocks for its secrets, then `cloud "cloudName" {...}`.
// cloudName "" derives the name from the file name (os-faults.yaml →
// "os-faults"). Diagnostics point into the YAML file (filename); errors
// mean no HCL. Warnings are notes the user should read: secrets moved to
// variables, renamed objects, host key checking.
func Convert(filename string, src []byte, cloudName string) ([]byte, hcl.Diagnostics) {
	if cloudName == "" {
		cloudName = DefaultCloudName(filename)
	}
	diags := checkCloudName(filename, cloudName)
	if diags.HasErrors() {
		return nil, diags
	}
	root, more := parseYAML(filename, src)
	diags = append(diags, more...)
	if more.HasErrors() {
		return nil, diags
	}
	cfg, more := decodeConfig(root)
	diags = append(diags, sortByPosition(more)...)
	if diags.HasErrors() {
		return nil, diags
	}
	out, more := mapConfig(cfg, cloudName)
	diags = append(diags, sortByPosition(more)...)
	if diags.HasErrors() {
		return nil, diags
	}
	text, err := render(out, filename)
	if err != nil {
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Conversion failed", Detail: err.Error()})
	}
	if len(out.nodes) > 0 {
		diags = append(diags, hostKeyNote())
	}
	return text, diags
}

// HostKeyNoteSummary is the summary of the warning that faultline checks
// host keys, which os-faults never did (commands show it once per config).
const HostKeyNoteSummary = "Host keys are checked"

// hostKeyNote tells the user faultline checks host keys.
func hostKeyNote() *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: HostKeyNoteSummary,
		Detail: "os-faults never checked SSH host keys (StrictHostKeyChecking=no). faultline checks them against " +
			"~/.ssh/known_hosts (host_keys = \"strict\"): add the nodes' keys (ssh-keyscan), or set known_hosts or " +
			"host_keys = \"accept-new\" in the cloud's auth block."}
}

// DefaultCloudName derives a cloud name from a config file name.
func DefaultCloudName(filename string) string {
	base := filepath.Base(filename)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return identifier(base, "cloud")
}

func checkCloudName(filename, name string) hcl.Diagnostics {
	if identifier(name, "") == name && name != "" {
		return nil
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid cloud name",
		Detail: "The cloud name " + quote(name) + " is not a valid faultline name: use letters, digits, _ and -, not starting with a digit."}}
}

func quote(s string) string { return "\"" + s + "\"" }

// Source is an os-faults config converted for scenario.Parser.LoadSource.
type Source struct {
	// Filename is the name to give LoadSource: the config's path plus
	// ".fl.hcl", so diagnostics about the HCL are not mistaken for lines
	// of the YAML file.
	Filename string
	// HCL is the converted text.
	HCL []byte
	// Files holds the os-faults file, for diagnostic snippets
	// (hcl.NewDiagnosticTextWriter), with its secrets masked (Redact).
	Files map[string]*hcl.File
}

// Load reads and converts the os-faults config at path.
func Load(path, cloudName string) (*Source, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read os-faults config", Detail: err.Error()}}
	}
	text, diags := Convert(path, src, cloudName)
	s := &Source{Filename: path + ".fl.hcl", HCL: text, Files: map[string]*hcl.File{path: {Bytes: Redact(path, src)}}}
	if diags.HasErrors() {
		s.HCL = nil
	}
	return s, diags
}

// IsConfigFile says whether path names an os-faults config by its
// extension (.yaml, .yml or .json), as faultline tells it from HCL.
func IsConfigFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// sortByPosition orders diagnostics by where they point; those without a
// range go last.
func sortByPosition(diags hcl.Diagnostics) hcl.Diagnostics {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		if a == nil || b == nil {
			return a != nil && b == nil
		}
		return a.Start.Byte < b.Start.Byte
	})
	return diags
}
