package node

import (
	"testing"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
)

func TestScriptsParse(t *testing.T) {
	fktest.Parse(t, map[string]string{"reboot": rebootScript, "bootIdentity": bootIdentityScript, "shutdown": shutdownScript, "stress": stressScript,
		"unstress": unstressScript, "diskFill": diskFillScript, "diskFree": diskFreeScript, "clockSkew": clockSkewScript,
		"clockRestore": clockRestoreScript, "exec": execScript})
}
