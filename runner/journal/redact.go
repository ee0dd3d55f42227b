package journal

import "github.com/faultline-dev/faultline/runner/redact"

// redactRecord returns a deep copy of rec with every free-form string
// redacted by r (redact.Copy: enums such as Kind, RunStatus and
// drivers.Family are left alone). Sealed values are secret-free templates
// ("${var.x}", see Seal): they are kept exact, or the undo they describe
// would be mangled.
func redactRecord(r *redact.Redactor, rec Record) Record {
	if !r.Any() {
		return rec
	}
	out := redact.Copy(r, rec)
	if rec.Intent != nil {
		keepSealed(out.Intent.Inverse, rec.Intent.Inverse)
	}
	if rec.Result != nil {
		keepSealed(out.Result.Inverse, rec.Result.Inverse)
	}
	return out
}

func keepSealed(dst, src *Inverse) {
	if dst == nil || src == nil {
		return
	}
	for _, k := range src.Sealed {
		dst.State[k] = src.State[k]
	}
	dst.Sealed = append([]string(nil), src.Sealed...)
}
