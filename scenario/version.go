package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Version is the faultline language version that required_version
// constraints are checked against.
const Version = "0.1.0"

var faultlineBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "required_version"}},
}

var sniffSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "faultline"}},
}

// sniffVersions reads every faultline { required_version } before anything
// else, so a file written for a newer faultline fails with one clear error.
// It returns the constraint strings found.
func sniffVersions(files []*hcl.File) ([]string, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	var found []string
	for _, f := range files {
		content, _, _ := f.Body.PartialContent(sniffSchema)
		if content == nil {
			continue
		}
		for _, block := range content.Blocks {
			attrs, moreDiags := block.Body.JustAttributes()
			if moreDiags.HasErrors() {
				continue // reported by the full decode
			}
			attr, ok := attrs["required_version"]
			if !ok {
				continue
			}
			s, moreDiags := evalString(attr.Expr, nil, "required_version")
			diags = append(diags, moreDiags...)
			if moreDiags.HasErrors() {
				continue
			}
			found = append(found, s)
			diags = append(diags, checkVersion(s, attr.Expr.Range())...)
		}
	}
	return found, diags
}

func checkVersion(constraint string, rng hcl.Range) hcl.Diagnostics {
	ok, err := versionSatisfies(Version, constraint)
	if err != nil {
		return hcl.Diagnostics{errorAt(rng, "Invalid version constraint",
			"%s. Write constraints such as \">= 0.1\", \"~> 0.1.0\" or \">= 0.1, < 1.0\".", err)}
	}
	if !ok {
		return hcl.Diagnostics{errorAt(rng, "Unsupported faultline version",
			"This configuration requires faultline %s, but this is faultline %s. Use a faultline release that satisfies the constraint.", constraint, Version)}
	}
	return nil
}

// versionSatisfies reports whether version v satisfies constraint c: a
// comma-separated list of `op version` terms, all of which must hold, with
// op one of = != > >= < <= ~> (default =).
func versionSatisfies(v, c string) (bool, error) {
	have, err := parseVersion(v)
	if err != nil {
		return false, err
	}
	if strings.TrimSpace(c) == "" {
		//lint:ignore ST1005 the message becomes a diagnostic detail: a full sentence
		return false, fmt.Errorf("The version constraint is empty")
	}
	for _, term := range strings.Split(c, ",") {
		ok, err := termSatisfied(have, strings.TrimSpace(term))
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func termSatisfied(have [3]int, term string) (bool, error) {
	op := "="
	for _, candidate := range []string{">=", "<=", "!=", "~>", ">", "<", "="} {
		if strings.HasPrefix(term, candidate) {
			op = candidate
			term = strings.TrimSpace(term[len(candidate):])
			break
		}
	}
	want, err := parseVersion(term)
	if err != nil {
		return false, err
	}
	cmp := compareVersions(have, want)
	switch op {
	case "=":
		return cmp == 0, nil
	case "!=":
		return cmp != 0, nil
	case ">":
		return cmp > 0, nil
	case ">=":
		return cmp >= 0, nil
	case "<":
		return cmp < 0, nil
	case "<=":
		return cmp <= 0, nil
	}
	// ~> X.Y allows >= X.Y, < (X+1).0; ~> X.Y.Z allows >= X.Y.Z, < X.(Y+1).0.
	parts := strings.Count(term, ".") + 1
	upper := [3]int{want[0] + 1, 0, 0}
	if parts >= 3 {
		upper = [3]int{want[0], want[1] + 1, 0}
	}
	return cmp >= 0 && compareVersions(have, upper) < 0, nil
}

// parseVersion parses "1", "1.2" or "1.2.3" (missing parts are 0).
func parseVersion(s string) ([3]int, error) {
	var out [3]int
	parts := strings.Split(strings.TrimPrefix(s, "v"), ".")
	if s == "" || len(parts) > 3 {
		//lint:ignore ST1005 the message becomes a diagnostic detail: a full sentence
		return out, fmt.Errorf("The version %q is not of the form MAJOR[.MINOR[.PATCH]]", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			//lint:ignore ST1005 the message becomes a diagnostic detail: a full sentence
			return out, fmt.Errorf("The version %q is not of the form MAJOR[.MINOR[.PATCH]]", s)
		}
		out[i] = n
	}
	return out, nil
}

func compareVersions(a, b [3]int) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}
