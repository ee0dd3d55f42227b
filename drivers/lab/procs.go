package lab

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// procStart reads a process's start time (field 22 of /proc/PID/stat).
func procStart(pid int) (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	// comm (field 2) may hold spaces and parens: fields restart after the last ')'.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("lab: malformed /proc/%d/stat", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return 0, fmt.Errorf("lab: short /proc/%d/stat", pid)
	}
	return strconv.ParseUint(f[19], 10, 64) // field 22 = index 19 after state (field 3)
}

// identify returns the Proc of a live pid.
func identify(pid int) (Proc, error) {
	st, err := procStart(pid)
	if err != nil {
		return Proc{}, err
	}
	return Proc{PID: pid, Start: st}, nil
}

// alive reports whether p is still the process we recorded.
func (p Proc) alive() bool {
	if p.PID <= 1 {
		return false
	}
	st, err := procStart(p.PID)
	return err == nil && st == p.Start
}

// kill sends SIGKILL to p if it is still the recorded process and waits up
// to wait for it to go. Zombies count as gone for our purposes only once
// reaped, so the wait is best-effort.
func (p Proc) kill(wait time.Duration) {
	if !p.alive() {
		return
	}
	_ = syscall.Kill(p.PID, syscall.SIGKILL)
	deadline := time.Now().Add(wait)
	for p.alive() && time.Now().Before(deadline) {
		if isZombie(p.PID) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func isZombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && len(s) > i+2 && s[i+2] == 'Z'
}

// pidNS returns the PID namespace link of pid ("pid:[4026531836]").
func pidNS(pid string) (string, error) {
	return os.Readlink("/proc/" + pid + "/ns/pid")
}
