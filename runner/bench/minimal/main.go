// Command minimal is the baseline of performance.md: the smallest honest
// x/crypto/ssh fan-out program. It dials every node concurrently (public
// key auth, strict known_hosts via knownhosts), runs one or more command
// rounds on all of them (a round finishes on every node before the next
// starts) and prints the elapsed time. faultline's cold and warm numbers
// are reported as ratios to this program's (see .ci/bench).
//
// It is NOT a tool: no jump hosts, no become, no retries, no quoting of
// user values (the commands are the caller's shell text), no output limits.
//
//	minimal -lab DIR                       # nodes, key, known_hosts of a lab
//	minimal -key K -known-hosts F -addrs 198.18.70.11,198.18.70.12
//	minimal -lab DIR -warm 20              # dial once, time 20 iterations
//	minimal -lab DIR -cmd 'pgrep -x memcached' -v   # one custom round, print output
//	minimal -lab DIR -rounds kill          # only the kill round (performance.md's method)
//
// The default rounds do what one faultline `kill = service.memcached` step
// and its derived rollback do: SIGKILL memcached and wait until it is gone,
// then start it and wait until it runs.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// KillRound kills memcached (the exact binary) and waits until it is gone.
const KillRound = `p=$(pgrep -x memcached) || exit 10; kill -s KILL $p; ` +
	`for q in $p; do while kill -0 $q 2>/dev/null; do sleep 0.02; done; done`

// StartRound starts memcached and waits until it runs.
const StartRound = `service memcached start >/dev/null 2>&1 </dev/null; ` +
	`for i in $(seq 100); do pgrep -x memcached >/dev/null && exit 0; sleep 0.05; done; exit 1`

type rounds []string

func (r *rounds) String() string     { return strings.Join(*r, "; ") }
func (r *rounds) Set(v string) error { *r = append(*r, v); return nil }

type options struct {
	lab, key, known, addrs, user string
	named                        string
	port, warm                   int
	timeout                      time.Duration
	verbose                      bool
	cmds                         rounds
}

func main() {
	start := time.Now()
	var o options
	flag.StringVar(&o.lab, "lab", "", "lab state directory (state.json, keys/client, known_hosts)")
	flag.StringVar(&o.key, "key", "", "private key file (default DIR/keys/client with -lab)")
	flag.StringVar(&o.known, "known-hosts", "", "known_hosts file (default DIR/known_hosts with -lab)")
	flag.StringVar(&o.addrs, "addrs", "", "comma-separated node addresses (default: the lab's nodes)")
	flag.StringVar(&o.user, "user", "root", "login user")
	flag.IntVar(&o.port, "port", 22, "SSH port")
	flag.IntVar(&o.warm, "warm", 0, "dial once, then time this many iterations of the rounds")
	flag.DurationVar(&o.timeout, "timeout", 2*time.Minute, "bound on the whole run")
	flag.BoolVar(&o.verbose, "v", false, "print every node's output of every round")
	flag.Var(&o.cmds, "cmd", "a command round (repeatable; default: kill memcached, then start it)")
	flag.StringVar(&o.named, "rounds", "kill,start", "the default rounds to run, in order: kill, start (ignored with -cmd)")
	flag.Parse()
	if err := run(start, o); err != nil {
		fmt.Fprintln(os.Stderr, "minimal:", err)
		os.Exit(1)
	}
}

func run(start time.Time, o options) error {
	if len(o.cmds) == 0 {
		for _, r := range strings.Split(o.named, ",") {
			switch strings.TrimSpace(r) {
			case "kill":
				o.cmds = append(o.cmds, KillRound)
			case "start":
				o.cmds = append(o.cmds, StartRound)
			default:
				return fmt.Errorf("-rounds: unknown round %q (want kill, start)", r)
			}
		}
	}
	addrs, err := resolveInputs(&o)
	if err != nil {
		return err
	}
	cfg, err := clientConfig(o)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	f := &fleet{cfg: cfg, verbose: o.verbose}
	if o.warm <= 0 {
		err := f.dialAndRun(ctx, addrs, o.port, o.cmds)
		fmt.Printf("mode=cold nodes=%d rounds=%d elapsed_ms=%.1f\n", len(addrs), len(o.cmds), ms(time.Since(start)))
		f.close()
		return err
	}
	t0 := time.Now()
	if err := f.dialAndRun(ctx, addrs, o.port, nil); err != nil {
		return err
	}
	defer f.close()
	dial := time.Since(t0)
	var times []time.Duration
	first := make([]time.Duration, 0, o.warm) // the first round alone (the step; the rest restores)
	for range o.warm {
		t := time.Now()
		if err := f.rounds(ctx, o.cmds[:1]); err != nil {
			return err
		}
		first = append(first, time.Since(t))
		if err := f.rounds(ctx, o.cmds[1:]); err != nil {
			return err
		}
		times = append(times, time.Since(t))
	}
	var firstSum time.Duration
	for _, t := range first {
		firstSum += t
	}
	var sum time.Duration
	for _, t := range times {
		sum += t
	}
	slices.Sort(times)
	fmt.Printf("mode=warm nodes=%d rounds=%d iters=%d dial_ms=%.1f mean_ms=%.2f median_ms=%.2f min_ms=%.2f max_ms=%.2f first_round_mean_ms=%.2f\n",
		len(addrs), len(o.cmds), o.warm, ms(dial), ms(sum/time.Duration(len(times))), ms(times[len(times)/2]), ms(times[0]), ms(times[len(times)-1]),
		ms(firstSum/time.Duration(len(first))))
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// resolveInputs fills key and known_hosts from -lab and returns the node
// addresses (-addrs, else the lab's nodes).
func resolveInputs(o *options) ([]string, error) {
	if o.lab != "" {
		if o.key == "" {
			o.key = filepath.Join(o.lab, "keys", "client")
		}
		if o.known == "" {
			o.known = filepath.Join(o.lab, "known_hosts")
		}
	}
	if o.key == "" || o.known == "" {
		return nil, errors.New("need -lab DIR, or -key and -known-hosts")
	}
	if o.addrs != "" {
		return strings.Split(o.addrs, ","), nil
	}
	if o.lab == "" {
		return nil, errors.New("need -addrs or -lab")
	}
	return labAddrs(o.lab)
}

// labAddrs reads the node addresses from a lab's state.json.
func labAddrs(dir string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil {
		return nil, err
	}
	var st struct {
		Nodes []struct{ Address string } `json:"nodes"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s/state.json: %w", dir, err)
	}
	var out []string
	for _, n := range st.Nodes {
		out = append(out, n.Address)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s/state.json lists no nodes", dir)
	}
	return out, nil
}

func clientConfig(o options) (*ssh.ClientConfig, error) {
	pem, err := os.ReadFile(o.key)
	if err != nil {
		return nil, err
	}
	signer, err := ssh.ParsePrivateKey(pem)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.key, err)
	}
	hostKeys, err := knownhosts.New(o.known)
	if err != nil {
		return nil, err
	}
	return &ssh.ClientConfig{User: o.user, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: hostKeys, Timeout: 15 * time.Second}, nil
}

// fleet holds one open client per node.
type fleet struct {
	cfg     *ssh.ClientConfig
	verbose bool
	mu      sync.Mutex
	clients []*ssh.Client
	addrs   []string
	out     sync.Mutex
}

// dialAndRun dials every address concurrently and runs the first round
// right after each node's dial; the remaining rounds follow in lockstep.
func (f *fleet) dialAndRun(ctx context.Context, addrs []string, port int, cmds []string) error {
	f.clients = make([]*ssh.Client, len(addrs))
	f.addrs = addrs
	first := ""
	if len(cmds) > 0 {
		first = cmds[0]
	}
	errs := make([]error, len(addrs))
	var wg sync.WaitGroup
	for i, a := range addrs {
		wg.Go(func() {
			c, err := dial(ctx, f.cfg, net.JoinHostPort(a, fmt.Sprint(port)))
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", a, err)
				return
			}
			f.mu.Lock()
			f.clients[i] = c
			f.mu.Unlock()
			if first != "" {
				errs[i] = f.exec(i, first)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if len(cmds) > 1 {
		return f.rounds(ctx, cmds[1:])
	}
	return nil
}

func dial(ctx context.Context, cfg *ssh.ClientConfig, addr string) (*ssh.Client, error) {
	d := net.Dialer{Timeout: cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return ssh.NewClient(c, chans, reqs), nil
}

// rounds runs each command on every open client, one round after another.
func (f *fleet) rounds(ctx context.Context, cmds []string) error {
	for _, cmd := range cmds {
		if err := ctx.Err(); err != nil {
			return err
		}
		errs := make([]error, len(f.clients))
		var wg sync.WaitGroup
		for i := range f.clients {
			wg.Go(func() { errs[i] = f.exec(i, cmd) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
	return nil
}

// exec runs cmd in a new session on node i.
func (f *fleet) exec(i int, cmd string) error {
	s, err := f.clients[i].NewSession()
	if err != nil {
		return fmt.Errorf("%s: session: %w", f.addrs[i], err)
	}
	defer s.Close()
	out, err := s.CombinedOutput(cmd)
	if f.verbose {
		f.out.Lock()
		fmt.Printf("%s\t%s\n", f.addrs[i], strings.Join(strings.Fields(string(out)), " "))
		f.out.Unlock()
	}
	if err != nil {
		return fmt.Errorf("%s: %w: %s", f.addrs[i], err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (f *fleet) close() {
	for _, c := range f.clients {
		if c != nil {
			c.Close()
		}
	}
}
