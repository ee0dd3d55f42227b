package service

import (
	"testing"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
)

func TestScriptsParse(t *testing.T) {
	fktest.Parse(t, map[string]string{"lifecycle": lifecycleScript, "kill": killScript, "freeze": freezeScript,
		"thaw": thawScript, "unfreeze": unfreezeScript, "state": stateScript, "unplug": unplugScript, "plug": plugScript})
}
