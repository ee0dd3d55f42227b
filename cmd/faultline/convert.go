package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/runner"
	"github.com/faultline-dev/faultline/scenario"
	"github.com/faultline-dev/faultline/scenario/osfaults"
	"github.com/hashicorp/hcl/v2"
)

func cmdConvert() *command {
	const usage = "[-cloud NAME] [-o FILE] [CONFIG.yaml]"
	return &command{
		name: "convert", short: "convert an os-faults cloud config (YAML/JSON) to an HCL cloud block", usage: usage,
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "convert", usage)
			cloudName := fs.String("cloud", "", "name the cloud block `NAME` (default: from the file name)")
			outFile := fs.String("o", "", "write the HCL to `FILE` instead of stdout")
			if ok, code := parseFlags(fs, args); !ok {
				return code
			}
			var path string
			switch fs.NArg() {
			case 0:
				s := newConfigSearch(env.Getenv)
				s.OSFaultsOnly = true
				p, _, err := s.find()
				if err != nil {
					fmt.Fprintf(env.Stderr, "faultline convert: %v\n", err)
					return exitUsage
				}
				path = p
			case 1:
				path = fs.Arg(0)
			default:
				fmt.Fprintf(env.Stderr, "faultline convert: want one CONFIG file, got %d arguments\n", fs.NArg())
				return exitUsage
			}
			text, code := convertFile(env, path, *cloudName)
			if code != exitOK {
				return code
			}
			return writeOutput(env, *outFile, text, "convert")
		},
	}
}

// convertFile converts path and checks that the result loads and
// validates against the driver registry. Diagnostics go to stderr.
func convertFile(env *Env, path, cloudName string) ([]byte, int) {
	src, diags := osfaults.Load(path, cloudName)
	if src == nil {
		writeDiagsText(env, nil, diags)
		return nil, exitUsage
	}
	writeDiagsText(env, src.Files, diags)
	if diags.HasErrors() {
		return nil, exitInvalid
	}
	// Validate with placeholder secrets: the real ones are supplied at
	// run time and never seen here.
	p := scenario.NewParser()
	cfg, ldiags := p.LoadSource(src.Filename, src.HCL, scenario.Options{
		Verbs:  drivers.Default.Verbs(),
		Getenv: func(k string) string { return placeholderSecret(k) },
	})
	if cfg != nil && !ldiags.HasErrors() {
		ldiags = append(ldiags, runner.Validate(cfg, drivers.Default)...)
	}
	if ldiags.HasErrors() {
		fmt.Fprintf(env.Stderr, "faultline convert: the converted HCL does not validate (please report this):\n")
		writeDiagsText(env, p.Files(), ldiags)
		return nil, exitInvalid
	}
	return src.HCL, exitOK
}

func placeholderSecret(envName string) string {
	if strings.HasPrefix(envName, scenario.EnvVarPrefix) {
		return "placeholder"
	}
	return ""
}

// writeOutput writes text to file, or stdout when file is "".
func writeOutput(env *Env, file string, text []byte, cmd string) int {
	if file == "" || file == "-" {
		_, _ = env.Stdout.Write(text)
		return exitOK
	}
	if err := os.WriteFile(file, text, 0o644); err != nil {
		fmt.Fprintf(env.Stderr, "faultline %s: %v\n", cmd, err)
		return exitFailed
	}
	return exitOK
}

// mergeFiles joins diagnostic file maps.
func mergeFiles(maps ...map[string]*hcl.File) map[string]*hcl.File {
	out := map[string]*hcl.File{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
