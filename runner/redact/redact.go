// Package redact is faultline's one redaction component: every place a
// sensitive value could leave the process (journals, reports, progress
// lines, diagnostics and their source snippets, errors, plans) masks it
// with a Redactor made from the configuration's sensitive values
// (scenario.Config.Sensitive).
//
// Redaction is defence in depth: plans, journals and reports are
// secret-free by design (undos name objects, a sealed undo keeps a
// reference such as ${var.NAME} instead of the value, see
// runner/journal.Seal), but a driver's detail message or an error could
// still echo a password. This package only replaces text; it does not
// decide what is sensitive (package scenario does) and it does not seal
// undos (the journal does).
package redact

import (
	"errors"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Sensitive is what String puts in place of a secret.
const Sensitive = "(sensitive)"

// Redactor replaces known secret values in strings with "(sensitive)".
// The zero value and nil redact nothing.
type Redactor struct {
	secrets []string // longest first, so a secret containing another wins
}

// New returns a Redactor for the given secret values; empty
// strings are ignored.
func New(secrets ...string) *Redactor {
	seen := map[string]bool{}
	r := &Redactor{}
	for _, s := range secrets {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		r.secrets = append(r.secrets, s)
	}
	sort.Slice(r.secrets, func(i, j int) bool {
		if len(r.secrets[i]) != len(r.secrets[j]) {
			return len(r.secrets[i]) > len(r.secrets[j])
		}
		return r.secrets[i] < r.secrets[j]
	})
	return r
}

// String returns s with every secret replaced.
func (r *Redactor) String(s string) string {
	return r.replace(s, func(string) string { return Sensitive })
}

// Mask returns s with every secret overwritten by '*', byte for byte, so
// the columns of a source snippet stay right.
func (r *Redactor) Mask(s string) string {
	return r.replace(s, func(secret string) string { return strings.Repeat("*", len(secret)) })
}

// Mentions reports whether s holds a secret.
func (r *Redactor) Mentions(s string) bool {
	if r == nil {
		return false
	}
	for _, secret := range r.secrets {
		if len(matches(s, secret)) > 0 {
			return true
		}
	}
	return false
}

func (r *Redactor) replace(s string, with func(secret string) string) string {
	if r == nil {
		return s
	}
	for _, secret := range r.secrets {
		at := matches(s, secret)
		if len(at) == 0 {
			continue
		}
		var b strings.Builder
		last := 0
		for _, i := range at {
			b.WriteString(s[last:i])
			b.WriteString(with(secret))
			last = i + len(secret)
		}
		b.WriteString(s[last:])
		s = b.String()
	}
	return s
}

// Any reports whether r has a secret to redact.
func (r *Redactor) Any() bool { return r != nil && len(r.secrets) > 0 }

// Error returns err, or a plain error with every secret replaced when its
// text holds one (the wrapped chain is dropped with it: a wrapped error
// would still print the secret).
func (r *Redactor) Error(err error) error {
	if err == nil || !r.Any() {
		return err
	}
	if msg := r.String(err.Error()); msg != err.Error() {
		return errors.New(msg)
	}
	return err
}

// Diagnostics returns diags with every secret replaced in summaries and
// details, and without the expression and evaluation context HCL's writer
// would use to print the values of the expression's variables.
func (r *Redactor) Diagnostics(diags hcl.Diagnostics) hcl.Diagnostics {
	if !r.Any() || len(diags) == 0 {
		return diags
	}
	out := make(hcl.Diagnostics, len(diags))
	for i, d := range diags {
		c := *d
		c.Summary, c.Detail = r.String(c.Summary), r.String(c.Detail)
		c.Expression, c.EvalContext = nil, nil
		out[i] = &c
	}
	return out
}

// Files returns copies of the sources with every secret masked byte for
// byte (Mask: '*', same length, so the columns of diagnostic snippets stay
// right): a secret written as a literal must not reach the console
// through a source snippet either.
func (r *Redactor) Files(files map[string]*hcl.File) map[string]*hcl.File {
	if !r.Any() {
		return files
	}
	out := make(map[string]*hcl.File, len(files))
	for name, f := range files {
		if f == nil {
			continue
		}
		c := *f
		c.Bytes = []byte(r.Mask(string(f.Bytes)))
		out[name] = &c
	}
	return out
}

// Copy returns a deep copy of v with every free-form string (plain string
// fields, slice and array elements, map keys and values, through pointers)
// redacted. Values of named string types (kinds, statuses, families) are
// enums, not data, and are left alone, so a short secret cannot corrupt a
// record's structure; unexported fields (time.Time's) are kept as they
// are. v itself is not modified.
func Copy[T any](r *Redactor, v T) T {
	if !r.Any() {
		return v
	}
	rv := reflect.ValueOf(&v).Elem()
	rv.Set(r.copyValue(rv))
	return v
}

// matches returns the non-overlapping offsets of secret in s. The text of
// a sensitive number or bool ("2222", "true") counts only as a whole
// token: not inside a longer number or word, so a secret port 22 hides
// "22" and "22s" but not "122" or "2.25". Any other secret counts
// wherever it appears.
func matches(s, secret string) []int {
	var out []int
	token := isNumberText(secret) || secret == "true" || secret == "false"
	for from := 0; ; {
		i := strings.Index(s[from:], secret)
		if i < 0 {
			return out
		}
		i += from
		end := i + len(secret)
		if !token || tokenBounded(s, i, end, secret) {
			out = append(out, i)
			from = end
			continue
		}
		from = i + 1
	}
}

func tokenBounded(s string, start, end int, secret string) bool {
	before, after := byte(0), byte(0)
	if start > 0 {
		before = s[start-1]
	}
	if end < len(s) {
		after = s[end]
	}
	if isNumberText(secret) {
		// Letters may follow (a unit: "22s"); digits and a decimal point
		// before or after make it another number.
		afterFraction := after == '.' && end+1 < len(s) && isDigit(s[end+1])
		return !isDigit(before) && before != '.' && !isDigit(after) && !afterFraction
	}
	return !isWordByte(before) && !isWordByte(after)
}

// isNumberText reports whether s is a number's text: digits with an
// optional sign, decimal point and exponent.
func isNumberText(s string) bool {
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && !strings.ContainsRune("+-.eE", r) }) < 0
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isWordByte(b byte) bool {
	return isDigit(b) || b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

var plainString = reflect.TypeFor[string]()

// copyValue returns a redacted deep copy of v. Structs are copied field by
// field; unexported fields (time.Time's internals) are kept as they are.
func (r *Redactor) copyValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		if v.Type() != plainString {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.SetString(r.String(v.String()))
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(r.copyValue(v.Elem()))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if out.Field(i).CanSet() {
				out.Field(i).Set(r.copyValue(v.Field(i)))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(r.copyValue(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			out.SetMapIndex(r.copyValue(iter.Key()), r.copyValue(iter.Value()))
		}
		return out
	default:
		return v
	}
}
