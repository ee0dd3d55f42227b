package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/faultline-dev/faultline/runner"
)

func fileDigest(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// checkSavedPlan refuses a saved plan whose fingerprints differ from the
// fresh plans: the scenario, variables or inventory changed since.
func checkSavedPlan(path string, fresh []*runner.Plan) error {
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
