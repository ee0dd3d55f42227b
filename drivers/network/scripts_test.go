package network

import (
	"testing"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
)

func TestScriptsParse(t *testing.T) {
	fktest.Parse(t, map[string]string{"disconnect": disconnectScript, "linkState": linkStateScript, "connect": connectScript,
		"partition": partitionScript, "heal": healScript, "loss": lossScript, "netem": netemScript, "restore": restoreScript})
}
