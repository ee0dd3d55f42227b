package runner

import (
	"encoding/json"
	"fmt"
	"os"
)

// CheckSavedPlan refuses a plan file saved by `faultline plan -out` (a
// plans document, schemas/plans.schema.json) whose scenarios or
// fingerprints differ from the fresh plans: the scenario, its variables
// or the inventory changed since it was reviewed.
func CheckSavedPlan(path string, fresh []*Plan) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var saved struct {
		Plans []struct {
			Scenario    string `json:"scenario"`
			Fingerprint string `json:"fingerprint"`
		} `json:"plans"`
	}
	if err := json.Unmarshal(data, &saved); err != nil {
		return fmt.Errorf("%s: not a saved plan: %w", path, err)
	}
	if len(saved.Plans) != len(fresh) {
		return fmt.Errorf("%s plans %d scenario(s), the files now give %d: re-run `faultline plan -out`", path, len(saved.Plans), len(fresh))
	}
	for i, s := range saved.Plans {
		if s.Scenario != fresh[i].Scenario || s.Fingerprint != fresh[i].Fingerprint {
			return fmt.Errorf("%s is stale: scenario %q changed since it was planned (fingerprint %.12s, now %.12s); re-run `faultline plan -out`",
				path, s.Scenario, s.Fingerprint, fresh[i].Fingerprint)
		}
	}
	return nil
}
