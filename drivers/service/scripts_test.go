package service

import (
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
)

func TestScriptsParse(t *testing.T) {
	fktest.Parse(t, map[string]string{"lifecycle": lifecycleScript, "kill": killScript, "freeze": freezeScript,
		"thaw": thawScript, "unfreeze": unfreezeScript, "state": stateScript, "unplug": unplugScript, "plug": plugScript})
}

// TestPcsUsesClusterNodeName: Pacemaker knows nodes by their cluster name
// (the corosync nodelist name), which need not be the hostname; ban, clear
// and locate use it (pcs_integration_test.go runs them on a real cluster).
func TestPcsUsesClusterNodeName(t *testing.T) {
	for _, want := range []string{`pcs_node=$(crm_node -n 2>/dev/null)`, `pcs resource ban "$name" "$pcs_node"`,
		`pcs resource clear "$name" "$pcs_node"`, `--locate --quiet`, `new_gen`} {
		if !strings.Contains(lifecycleScript, want) {
			t.Errorf("lifecycle script lacks %q", want)
		}
	}
	if strings.Contains(lifecycleScript, "$(hostname)") {
		t.Error("lifecycle script still uses $(hostname) for the Pacemaker node")
	}
}
