package container

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers/internal/faultkit/fktest"
)

func TestScriptsParse(t *testing.T) {
	fktest.Parse(t, map[string]string{"start": startScript, "stop": stopScript, "restart": restartScript, "pause": pauseScript,
		"unpause": unpauseScript, "unplug": unplugScript, "plug": plugScript, "state": stateScript})
}

// fakePodman mimics what the scripts rely on in podman 4: inspect by
// template, and stop/restart refused (exit 125) on a paused container,
// which kill and unpause accept. It logs its verbs to $dir/log.
const fakePodman = `#!/bin/sh
d=$(dirname "$0")
st=$(cat "$d/status")
echo "$1" >>"$d/log"
case $1 in
inspect)
  case $5 in *Status*) echo "$st" ;; *StartedAt*) cat "$d/started" ;; *) echo id ;; esac ;;
unpause) [ "$st" = paused ] || exit 125; echo running >"$d/status" ;;
stop) [ "$st" = paused ] && { echo "Error: container state improper" >&2; exit 125; }; echo exited >"$d/status" ;;
kill) echo exited >"$d/status" ;;
restart) [ "$st" = paused ] && { echo "Error: container state improper" >&2; exit 125; }
  echo running >"$d/status"; echo $(($(cat "$d/started") + 1)) >"$d/started" ;;
*) exit 125 ;;
esac
`

// A paused container is thawed before a graceful stop or a restart (podman
// refuses both on a paused container), not before a kill.
func TestScriptsThawPausedContainer(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		args         []string
		verbs        string // the state-changing calls, in order
		status       string
	}{
		{"terminate", stopScript, []string{"stop"}, "unpause stop", "exited"},
		{"kill", stopScript, []string{"kill"}, "kill", "exited"},
		{"restart", restartScript, nil, "unpause restart", "running"},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "podman"), []byte(fakePodman), 0o755)
		os.WriteFile(filepath.Join(dir, "status"), []byte("paused\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "started"), []byte("1\n"), 0o644)
		c := exec.Command("sh", append([]string{"-c", tc.script, "sh", "podman", "api"}, tc.args...)...)
		c.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
		if out, err := c.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", tc.name, err, out)
			continue
		}
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		var verbs []string
		for _, v := range strings.Fields(string(log)) {
			if v != "inspect" {
				verbs = append(verbs, v)
			}
		}
		st, _ := os.ReadFile(filepath.Join(dir, "status"))
		if strings.Join(verbs, " ") != tc.verbs || strings.TrimSpace(string(st)) != tc.status {
			t.Errorf("%s of a paused container: calls %q, status %s; want %q, %s", tc.name, verbs, st, tc.verbs, tc.status)
		}
	}
}
