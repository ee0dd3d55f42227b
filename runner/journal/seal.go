package journal

import (
	"fmt"
	"sort"
	"strings"
)

// Secret is a sensitive value and the reference that names it where the
// run found it (var.NAME, var.NAME[0]). A value declared literally (an
// auth password) has no reference.
type Secret struct {
	Ref   string
	Value string
}

// Seal replaces every secret in the inverse's state by a reference to it,
// so the journal keeps the undo exactly, without the secret: "${var.NAME}"
// stands for the value, "$$" for a literal "$". Sealed keys are listed in
// in.Sealed. A secret without a reference becomes "${?}", which Unseal
// refuses: such an undo cannot be replayed from the journal alone.
func Seal(in *Inverse, secrets []Secret) {
	if in == nil || len(secrets) == 0 {
		return
	}
	sorted := append([]Secret(nil), secrets...)
	sort.SliceStable(sorted, func(i, j int) bool { return len(sorted[i].Value) > len(sorted[j].Value) })
	keys := make([]string, 0, len(in.State))
	for k := range in.State {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := in.State[k]
		if t, ok := seal(v, sorted); ok {
			in.State[k] = t
			in.Sealed = append(in.Sealed, k)
		}
	}
}

func seal(v string, secrets []Secret) (string, bool) {
	var b strings.Builder
	found := false
outer:
	for i := 0; i < len(v); {
		for _, s := range secrets {
			if s.Value != "" && strings.HasPrefix(v[i:], s.Value) {
				ref := s.Ref
				if ref == "" {
					ref = "?"
				}
				b.WriteString("${" + ref + "}")
				i += len(s.Value)
				found = true
				continue outer
			}
		}
		if v[i] == '$' {
			b.WriteString("$$")
		} else {
			b.WriteByte(v[i])
		}
		i++
	}
	return b.String(), found
}

// Unseal returns the inverse with every sealed value resolved through
// lookup (the same variable sources as the run: -var, -var-file,
// FAULTLINE_VAR_*). A reference lookup cannot resolve is an error naming
// it: the undo is never run with a value missing or mangled.
func (in Inverse) Unseal(lookup func(ref string) (string, bool)) (Inverse, error) {
	if len(in.Sealed) == 0 {
		return in, nil
	}
	out := in
	out.State = copyMap(in.State)
	out.Sealed = nil
	for _, k := range in.Sealed {
		v, err := unseal(in.State[k], lookup)
		if err != nil {
			return Inverse{}, fmt.Errorf("the undo's %s: %w", k, err)
		}
		out.State[k] = v
	}
	return out, nil
}

func unseal(t string, lookup func(string) (string, bool)) (string, error) {
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		if t[i] != '$' {
			b.WriteByte(t[i])
			continue
		}
		switch {
		case strings.HasPrefix(t[i:], "$$"):
			b.WriteByte('$')
			i++
		case strings.HasPrefix(t[i:], "${"):
			end := strings.IndexByte(t[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("unterminated reference in %q", t)
			}
			ref := t[i+2 : i+end]
			if ref == "?" {
				return "", fmt.Errorf("it held a secret declared literally (not in a variable), which faultline does not journal: undo it by hand")
			}
			v, ok := lookup(ref)
			if !ok {
				return "", fmt.Errorf("it needs %s, which is not set now: give it as during the run (-var, -var-file or FAULTLINE_VAR_%s)", ref, varName(ref))
			}
			b.WriteString(v)
			i += end
		default:
			return "", fmt.Errorf("stray $ in %q", t)
		}
	}
	return b.String(), nil
}

func varName(ref string) string {
	n := strings.TrimPrefix(ref, "var.")
	if i := strings.IndexAny(n, ".["); i >= 0 {
		n = n[:i]
	}
	return n
}
