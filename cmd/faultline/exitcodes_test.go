package main

import "testing"

// TestWorse pins how exit codes merge when a command handles several
// files or scenarios: the most severe outcome wins, and "faults may
// remain" outranks everything because it asks a human to act.
func TestWorse(t *testing.T) {
	cases := map[string]struct{ a, b, want int }{
		"ok and ok":               {exitOK, exitOK, exitOK},
		"failure beats ok":        {exitOK, exitFailed, exitFailed},
		"invalid beats failure":   {exitFailed, exitInvalid, exitInvalid},
		"no report beats failure": {exitFailed, exitNoReport, exitNoReport},
		"no report beats invalid": {exitInvalid, exitNoReport, exitNoReport},
		"interrupt beats invalid": {exitInvalid, exitInterrupted, exitInterrupted},
		"dirty beats no report":   {exitNoReport, exitDirty, exitDirty},
		"dirty beats interrupt":   {exitInterrupted, exitDirty, exitDirty},
		"dirty beats failure":     {exitDirty, exitFailed, exitDirty},
		"first of equal kept":     {exitUsage, exitInvalid, exitUsage},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := worse(tc.a, tc.b); got != tc.want {
				t.Errorf("worse(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
			if tc.a != tc.b && severity(tc.a) != severity(tc.b) {
				if got := worse(tc.b, tc.a); got != tc.want {
					t.Errorf("worse(%d, %d) = %d, want %d (order must not matter)", tc.b, tc.a, got, tc.want)
				}
			}
		})
	}
}
