package lab

import (
	"fmt"
	"os/exec"
	"syscall"
)

// startJumps runs every jump host's sshd in the foreground (-D) as our child.
func (sv *supervisor) startJumps() error {
	for _, j := range sv.st.Jumps {
		args := []string{"/usr/sbin/sshd", "-D", "-f", j.Config, "-E", sv.st.path("logs", j.Name+".log")}
		if j.Netns != "" {
			args = append([]string{"nsenter", "--net=/run/netns/" + j.Netns, "--"}, args...)
		}
		cmd := exec.Command(args[0], args[1:]...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("jump %s: %w", j.Name, err)
		}
		p, _ := identify(cmd.Process.Pid)
		sv.mu.Lock()
		sv.jumps[j.Name] = p
		sv.jcmds = append(sv.jcmds, cmd)
		sv.mu.Unlock()
		go func() {
			err := cmd.Wait()
			sv.log.Printf("jump %s: sshd ended: %v", j.Name, err)
		}()
	}
	sv.saveProcs()
	return nil
}
