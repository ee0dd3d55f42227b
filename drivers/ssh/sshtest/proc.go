package sshtest

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func uidOf(t testing.TB, name string) int {
	t.Helper()
	uid, err := lookupUID(name)
	if err != nil {
		t.Fatal(err)
	}
	return uid
}

func lookupUID(name string) (int, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(u.Uid)
}

// procInfo is what /proc says about one process.
type procInfo struct {
	pid, ppid, uid int
}

// processes lists the machine's processes.
func processes() []procInfo {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var out []procInfo
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "status"))
		if err != nil {
			continue
		}
		p := procInfo{pid: -1, ppid: -1, uid: -1}
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			switch f[0] {
			case "Pid:":
				p.pid, _ = strconv.Atoi(f[1])
			case "PPid:":
				p.ppid, _ = strconv.Atoi(f[1])
			case "Uid:":
				p.uid, _ = strconv.Atoi(f[1]) // real uid
			}
		}
		if p.pid > 0 {
			out = append(out, p)
		}
	}
	return out
}

// descendants lists every process below pid.
func descendants(pid int) []int {
	children := map[int][]int{}
	for _, p := range processes() {
		children[p.ppid] = append(children[p.ppid], p.pid)
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, c := range children[n] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// killPIDs sends SIGKILL to each PID.
func killPIDs(pids []int) {
	for _, p := range pids {
		_ = syscall.Kill(p, syscall.SIGKILL)
	}
}

// killUserProcesses kills, by PID, every process whose real uid is uid.
// Only lab users (unique, created by this package) are passed here.
func killUserProcesses(uid int) {
	if uid <= 0 {
		return
	}
	var pids []int
	for _, p := range processes() {
		if p.uid == uid {
			pids = append(pids, p.pid)
		}
	}
	killPIDs(pids)
}
