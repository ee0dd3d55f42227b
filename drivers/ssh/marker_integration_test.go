package ssh

import (
	"bytes"
	"context"
	"github.com/faultline-dev/faultline/drivers/testpoll"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

// testMarkedThroughBecome: every process a command starts on the node
// through sudo (the escalation tool itself, the password wrapper, the
// command's shell) carries the run's marker in its environment, so a
// service pattern that matches their command lines can leave them alone.
func testMarkedThroughBecome(t *testing.T, tg Target, p *Pool) {
	word := "flmark-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	c, cancel := context.WithCancel(drivers.WithRunID(ctx(t), "it mark"))
	done := make(chan drivers.Result, 1)
	go func() {
		done <- p.Run(c, node(tg), drivers.Command{Script: `sleep 30; : "$1"`, Args: []string{word}, Become: true})
	}()
	defer func() { cancel(); <-done }()
	// A process is read while it may still be exec'ing (env before the
	// shell it starts): poll until a snapshot has every process marked.
	var procs, unmarked map[int]string
	if !testpoll.Within(10*time.Second, func() bool {
		procs = processesWith(word)
		unmarked = unmarkedOf(procs)
		return len(procs) >= 2 && len(unmarked) == 0 // sudo and the command's shell at least
	}) {
		if len(procs) < 2 {
			t.Fatalf("the command's processes never showed up: %v", procs)
		}
		for pid, cmdline := range unmarked {
			t.Errorf("pid %d (%q) is not marked", pid, cmdline)
		}
	}
}

// unmarkedOf returns the processes of procs whose environment lacks the
// run's marker (those gone meanwhile, as sudo -v, are left out).
func unmarkedOf(procs map[int]string) map[int]string {
	out := map[int]string{}
	for pid, cmdline := range procs {
		env, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "environ"))
		if err != nil {
			continue
		}
		vars := bytes.Split(env, []byte{0})
		if !containsVar(vars, drivers.EnvRun+"=it_mark") || !containsVar(vars, drivers.EnvCtl+"="+drivers.ControllerID()) {
			out[pid] = cmdline
		}
	}
	return out
}

func containsVar(vars [][]byte, v string) bool {
	for _, x := range vars {
		if string(x) == v {
			return true
		}
	}
	return false
}

// processesWith maps the PIDs whose command line contains word to their
// command lines.
func processesWith(word string) map[int]string {
	out := map[int]string{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && bytes.Contains(b, []byte(word)) {
			out[pid] = strings.ReplaceAll(string(b), "\x00", " ")
		}
	}
	return out
}
