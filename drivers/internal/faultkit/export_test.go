package faultkit

// Built lists the scripts Script made so far: each body as the driver
// wrote it and the script shipped.
func Built() (bodies, scripts []string) {
	builtMu.Lock()
	defer builtMu.Unlock()
	for _, b := range built {
		bodies = append(bodies, b.body)
		scripts = append(scripts, b.out)
	}
	return bodies, scripts
}

// Compact and PreludeFor expose the compaction steps to the external tests.
var (
	Compact    = compact
	PreludeFor = preludeFor
)

// PreludeParts lists the texts of the prelude definitions PreludeFor joins.
func PreludeParts(body string) []string {
	var out []string
	for _, p := range preludePartsFor(body) {
		out = append(out, p.text)
	}
	return out
}

// WatchdogSource is watchdog.sh as written.
var WatchdogSource = watchdogSh
