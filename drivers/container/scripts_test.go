package container

import (
	"testing"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
)

func TestScriptsParse(t *testing.T) {
	fktest.Parse(t, map[string]string{"start": startScript, "stop": stopScript, "restart": restartScript, "pause": pauseScript,
		"unpause": unpauseScript, "unplug": unplugScript, "plug": plugScript, "state": stateScript})
}
