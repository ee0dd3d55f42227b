package journal

import (
	"reflect"
	"sort"
	"strings"
)

// Sensitive replaces every secret a Redactor finds.
const Sensitive = "(sensitive)"

// Redactor replaces known secret values in strings with "(sensitive)".
// It is defence in depth: records are secret-free by design (drivers.Undo
// names objects, never credentials), but a driver's detail message or an
// error could still echo a password. The zero value and nil redact nothing.
type Redactor struct {
	secrets []string // longest first, so a secret containing another wins
}

// NewRedactor returns a Redactor for the given secret values; empty
// strings are ignored.
func NewRedactor(secrets ...string) *Redactor {
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
	if r == nil {
		return s
	}
	for _, secret := range r.secrets {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, Sensitive)
		}
	}
	return s
}

// Record returns a deep copy of rec with every free-form string (plain
// string fields, slice elements, map keys and values) redacted. Values of
// named string types (Kind, RunStatus, drivers.Family, ...) are enums, not
// data, and are left alone so a short secret cannot corrupt the structure.
func (r *Redactor) Record(rec Record) Record {
	if r == nil || len(r.secrets) == 0 {
		return rec
	}
	v := reflect.ValueOf(&rec).Elem()
	v.Set(r.copyValue(v))
	return rec
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
