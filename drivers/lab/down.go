package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DownDir tears down the lab whose state.json is in dir: it ends the lab's
// processes by recorded PID (checked against their start time) and by
// network namespace, removes its Docker containers and network, its
// namespaces and root-side veth by name, and the files Up wrote. It works
// after a crash of Up or of the supervisor, and is idempotent: a dir
// without state.json is already down.
func DownDir(ctx context.Context, dir string) error {
	st, err := readState(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	return down(ctx, st)
}

func down(ctx context.Context, st *State) error {
	var errs []error
	// 1. Ask the supervisor to power everything off, then end it by PID.
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	_ = newControl(st.Dir).call(sctx, "POST", "/shutdown", "", nil)
	cancel()
	rp := readProcs(st.Dir)
	for _, p := range rp.Nodes {
		p.kill(5 * time.Second)
	}
	for _, p := range rp.Jumps {
		p.kill(5 * time.Second)
	}
	st.Supervisor.kill(5 * time.Second)
	rp.Supervisor.kill(5 * time.Second)
	// 2. Anything still inside the lab's namespaces is the lab's, and so is
	// a process whose argv names one of the lab's own absolute paths (the
	// supervisor and root-namespace jump sshd, if their PIDs were lost).
	killInNetns(st)
	killByArgv(st)
	// 3. Docker objects, by recorded name and our label.
	if st.Docker != nil {
		errs = append(errs, removeDocker(ctx, st)...)
	}
	// 4. Namespaces and the root-side veth, by name.
	errs = append(errs, teardownNetwork(ctx, st)...)
	// 5. Mounts Up made under Dir in the host's mount namespace (the
	// openstack profile's RabbitMQ tmpfs), then files.
	errs = append(errs, unmountUnder(st.Dir)...)
	for _, e := range st.Entries {
		if err := os.RemoveAll(st.path(e)); err != nil {
			errs = append(errs, err)
		}
	}
	if st.CreatedDir {
		_ = os.Remove(st.Dir) // only if empty: never remove what others put there
	}
	if len(errs) > 0 {
		return fmt.Errorf("lab: down %s: %w", st.ID, errors.Join(errs...))
	}
	return nil
}

// killInNetns SIGKILLs every process whose network namespace is one of the
// lab's (node inits first, which takes their whole PID namespace along).
func killInNetns(st *State) {
	ours := map[string]bool{}
	for _, ns := range append(st.allNetns(), switchNetns(st.ID)) {
		var fi syscall.Stat_t
		if err := syscall.Stat("/run/netns/"+ns, &fi); err == nil {
			ours["net:["+strconv.FormatUint(fi.Ino, 10)+"]"] = true
		}
	}
	if len(ours) == 0 {
		return
	}
	self := os.Getpid()
	for round := 0; round < 3; round++ {
		ents, err := os.ReadDir("/proc")
		if err != nil {
			return
		}
		found := false
		for _, e := range ents {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == self || pid <= 1 {
				continue
			}
			link, err := os.Readlink("/proc/" + e.Name() + "/ns/net")
			if err != nil || !ours[link] {
				continue
			}
			if p, err := identify(pid); err == nil && !isZombie(pid) {
				found = true
				p.kill(2 * time.Second)
			}
		}
		if !found {
			return
		}
	}
}

// killByArgv SIGKILLs processes whose argv holds one of the lab's marker
// arguments: the supervisor's executable copy and the jump sshd configs.
// These absolute paths live in the lab's own directory, so no other
// process carries them.
func killByArgv(st *State) {
	markers := map[string]bool{st.Executable: true}
	for _, j := range st.Jumps {
		markers[j.Config] = true
	}
	self := os.Getpid()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self || pid <= 1 {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		// sshd rewrites its title into one string: split on spaces too.
		for _, arg := range strings.FieldsFunc(string(b), func(r rune) bool { return r == 0 || r == ' ' }) {
			if markers[arg] {
				if p, err := identify(pid); err == nil {
					p.kill(2 * time.Second)
				}
				break
			}
		}
	}
}

// unmountUnder detaches every mount of this mount namespace below dir,
// deepest first. Only the lab makes mounts there.
func unmountUnder(dir string) []error {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return []error{err}
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	var points []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		if p := unescapeMountinfo(f[4]); strings.HasPrefix(p, dir+"/") {
			points = append(points, p)
		}
	}
	sort.Slice(points, func(i, j int) bool { return len(points[i]) > len(points[j]) })
	var errs []error
	for _, p := range points {
		if err := syscall.Unmount(p, syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOENT) {
			errs = append(errs, fmt.Errorf("unmount %s: %w", p, err))
		}
	}
	return errs
}

// unescapeMountinfo undoes mountinfo's octal escapes (\040 for a space).
func unescapeMountinfo(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
