package power

import "testing"

// TestActionCatalogue checks the rules the planner relies on: every verb
// documented with a duration use, every inverse a verb of the same set
// without an inverse of its own, snapshot verbs only on request.
func TestActionCatalogue(t *testing.T) {
	for _, snaps := range []bool{false, true} {
		acts := Actions(snaps)
		byName := map[string]bool{}
		for _, a := range acts {
			byName[a.Name] = true
		}
		if byName[VerbSnapshot] != snaps || byName[VerbRevert] != snaps {
			t.Errorf("snapshots=%v: got verbs %v", snaps, byName)
		}
		for _, a := range acts {
			if a.Doc == "" || a.Duration == "" {
				t.Errorf("%s: missing doc or duration use", a.Name)
			}
			if a.Inverse == "" {
				continue
			}
			for _, b := range acts {
				if b.Name == a.Inverse && b.Inverse != "" {
					t.Errorf("%s: inverse %s has an inverse itself", a.Name, b.Name)
				}
			}
			if !byName[a.Inverse] {
				t.Errorf("%s: inverse %s is not offered", a.Name, a.Inverse)
			}
		}
	}
	for _, good := range []string{"a", "before-fault", "snap_1.2"} {
		if ValidSnapshotName(good) != nil {
			t.Errorf("%q rejected", good)
		}
	}
	for _, bad := range []string{"", "-x", "a b", "a/b", "<x>", string(make([]byte, 65))} {
		if ValidSnapshotName(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
