package onnode

import (
	"testing"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
)

func TestScriptsParse(t *testing.T) {
	fktest.Parse(t, map[string]string{"endRun": endRunScript, "sweep": sweepScript})
}
