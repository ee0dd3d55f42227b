package lab

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// NodeExec runs argv inside a running node (its mount, UTS, network and
// PID namespaces, as the node's root) with stdin, and returns its combined
// output. The host's clients use this for what only a node can do
// (rabbitmqctl, mariadb over the socket).
func (l *Lab) NodeExec(ctx context.Context, node, stdin string, argv ...string) (string, error) {
	s, err := l.State(ctx, node)
	if err != nil {
		return "", err
	}
	if s.State != NodeRunning || s.PID == 0 {
		return "", fmt.Errorf("lab: node %s is %s", node, s.State)
	}
	args := append([]string{"-t", strconv.Itoa(s.PID), "-m", "-u", "-n", "-p", "--",
		"setpriv", "--bounding-set", "-sys_time", "--"}, argv...)
	cmd := exec.CommandContext(ctx, "nsenter", args...)
	cmd.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "HOME=/root"}
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Dir = "/"
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("%s on %s: %v: %s", strings.Join(argv, " "), node, err, tail(out.String(), 800))
	}
	return out.String(), nil
}

// osSvc runs `os-svc SERVICE ACTION` in a node.
func (l *Lab) osSvc(ctx context.Context, node, svc, action string) error {
	if svc == "memcached" {
		_, err := l.NodeExec(ctx, node, "", "service", "memcached", action)
		return err
	}
	_, err := l.NodeExec(ctx, node, "", l.st.path("bin", "os-svc"), svc, action)
	if err != nil {
		if b, rerr := os.ReadFile(l.st.nodeRoot(node, "/var/log/oslab", svc+".log")); rerr == nil {
			err = fmt.Errorf("%w\n--- %s log ---\n%s", err, svc, tail(string(b), 1500))
		}
	}
	return err
}

// OpenStackEnv is the environment for the openstack/cinder CLIs on the
// host: the admin credentials through the VIP.
func (l *Lab) OpenStackEnv() ([]string, error) {
	if l.st.OpenStack == nil {
		return nil, fmt.Errorf("lab: not an openstack lab")
	}
	b, err := os.ReadFile(l.st.OpenStack.OpenRC)
	if err != nil {
		return nil, err
	}
	env := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "HOME=" + l.st.path("openstack")}
	for _, line := range strings.Split(string(b), "\n") {
		if kv, ok := strings.CutPrefix(line, "export "); ok {
			env = append(env, kv)
		}
	}
	return env, nil
}

// OpenStackCLI runs a CLI (openstack, cinder) on the host as admin.
func (l *Lab) OpenStackCLI(ctx context.Context, stdin string, argv ...string) (string, error) {
	env, err := l.OpenStackEnv()
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s: %v: %s", argv[0], err, tail(errb.String()+out.String(), 800))
	}
	return out.String(), nil
}

// poll calls f until it succeeds or timeout passes; the error names what
// was awaited and f's last error.
func poll(ctx context.Context, timeout time.Duration, what string, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	delay := 100 * time.Millisecond
	for {
		err := f(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("lab: %s: not within %v: %w", what, timeout, err)
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Second)
	}
}

// httpStatus GETs url and returns its status code.
func httpStatus(ctx context.Context, url string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
