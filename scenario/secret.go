package scenario

// Secret holds a sensitive string. It prints and marshals as "(sensitive)"
// so it cannot reach a log, plan, journal or report by accident; only
// Reveal returns the value, and only transports should call it.
type Secret struct{ v string }

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{s} }

// Reveal returns the secret value.
func (s Secret) Reveal() string { return s.v }

// IsSet reports whether a value was given.
func (s Secret) IsSet() bool { return s.v != "" }

// String never shows the value.
func (s Secret) String() string {
	if s.v == "" {
		return ""
	}
	return "(sensitive)"
}

// GoString never shows the value.
func (s Secret) GoString() string { return s.String() }

// MarshalJSON never shows the value.
func (s Secret) MarshalJSON() ([]byte, error) {
	if s.v == "" {
		return []byte(`""`), nil
	}
	return []byte(`"(sensitive)"`), nil
}
