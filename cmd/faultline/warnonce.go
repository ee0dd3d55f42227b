package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"

	"github.com/faultline-dev/faultline/scenario/osfaults"
)

// hostKeyWarnedOnce drops the "Host keys are checked" warning of an
// os-faults config when it was already shown for that file (by path), and
// otherwise records that it has been. The record is a marker file under
// $XDG_CACHE_HOME/faultline/host-key-warned (default ~/.cache); when it
// cannot be written, the warning is shown every time.
func hostKeyWarnedOnce(getenv func(string) string, config string, diags hcl.Diagnostics) hcl.Diagnostics {
	dir := getenv("XDG_CACHE_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return diags
		}
		dir = filepath.Join(home, ".cache")
	}
	abs, err := filepath.Abs(config)
	if err != nil {
		return diags
	}
	sum := sha256.Sum256([]byte(abs))
	marker := filepath.Join(dir, "faultline", "host-key-warned", hex.EncodeToString(sum[:16]))
	if _, err := os.Stat(marker); err == nil {
		var out hcl.Diagnostics
		for _, d := range diags {
			if d.Severity != hcl.DiagWarning || d.Summary != osfaults.HostKeyNoteSummary {
				out = append(out, d)
			}
		}
		return out
	}
	for _, d := range diags {
		if d.Severity == hcl.DiagWarning && d.Summary == osfaults.HostKeyNoteSummary {
			if os.MkdirAll(filepath.Dir(marker), 0o755) == nil {
				_ = os.WriteFile(marker, []byte(abs+"\n"), 0o644)
			}
			break
		}
	}
	return diags
}
