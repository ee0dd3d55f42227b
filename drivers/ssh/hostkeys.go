package ssh

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// Host key errors; match them with errors.Is.
var (
	// ErrHostKeyUnknown: the host is not in known_hosts (policy strict).
	ErrHostKeyUnknown = errors.New("host key unknown")
	// ErrHostKeyChanged: known_hosts lists other keys for the host — a
	// possible man-in-the-middle attack; never accepted by any policy but
	// Insecure.
	ErrHostKeyChanged = errors.New("HOST KEY CHANGED")
)

// hostKeyChecker builds per-connection host key callbacks. It serialises
// accept-new writes per known_hosts file.
type hostKeyChecker struct {
	mu     sync.Mutex
	files  map[string]*sync.Mutex
	parsed map[string]parsedKnownHosts
	warn   func(endpoint, fingerprint string)
	record func(endpoint, file, fingerprint string)
}

func (h *hostKeyChecker) fileLock(path string) *sync.Mutex {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.files == nil {
		h.files = map[string]*sync.Mutex{}
	}
	m := h.files[path]
	if m == nil {
		m = &sync.Mutex{}
		h.files[path] = m
	}
	return m
}

// knownHostsPath resolves the configured file ("" = ~/.ssh/known_hosts).
func knownHostsPath(p string) string {
	if p == "" {
		return expandHome("~/.ssh/known_hosts")
	}
	return expandHome(p)
}

// hostKeySetup is what one handshake needs: the callback and the host key
// algorithms to offer.
type hostKeySetup struct {
	callback   gossh.HostKeyCallback
	algorithms []string
}

// setup prepares host key checking for endpoint ("host:port") under policy.
// It reads known_hosts now, so keys recorded by an earlier accept-new are
// seen.
func (h *hostKeyChecker) setup(endpoint, file string, policy HostKeyPolicy) (hostKeySetup, error) {
	if policy == Insecure {
		return hostKeySetup{callback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			h.warn(endpoint, gossh.FingerprintSHA256(key))
			return nil
		}}, nil
	}
	path := knownHostsPath(file)
	db, err := h.knownHosts(path, policy)
	if err != nil {
		return hostKeySetup{}, err
	}
	known := knownKeyTypes(db, endpoint)
	check := func(hostname string, remote net.Addr, key gossh.PublicKey) error {
		err := db(hostname, remote, key)
		var ke *knownhosts.KeyError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &ke) && len(ke.Want) > 0:
			return fmt.Errorf("%w for %s: server offered %s %s, %s lists other keys for this host (possible man-in-the-middle; if the host was reinstalled, remove its line from %s)",
				ErrHostKeyChanged, endpoint, key.Type(), gossh.FingerprintSHA256(key), path, path)
		case errors.As(err, &ke) && policy == AcceptNew:
			return h.recordKey(path, endpoint, key)
		case errors.As(err, &ke):
			return fmt.Errorf("%w: %s is not in %s (host key policy strict; server offered %s %s — add it, e.g. with ssh-keyscan, or use accept-new)",
				ErrHostKeyUnknown, endpoint, path, key.Type(), gossh.FingerprintSHA256(key))
		default:
			return fmt.Errorf("host key for %s: %w", endpoint, err)
		}
	}
	return hostKeySetup{callback: check, algorithms: algorithmsFor(known)}, nil
}

// parsedKnownHosts is a parsed known_hosts file and the file state it was
// parsed from.
type parsedKnownHosts struct {
	modTime int64
	size    int64
	db      gossh.HostKeyCallback
}

// knownHosts returns path parsed, reusing the last parse while the file is
// unchanged (one parse per file, not per node, on a cold fan-out).
func (h *hostKeyChecker) knownHosts(path string, policy HostKeyPolicy) (gossh.HostKeyCallback, error) {
	st, err := os.Stat(path)
	if err != nil {
		return readKnownHosts(path, policy)
	}
	h.mu.Lock()
	c, ok := h.parsed[path]
	h.mu.Unlock()
	if ok && c.modTime == st.ModTime().UnixNano() && c.size == st.Size() {
		return c.db, nil
	}
	db, err := readKnownHosts(path, policy)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	if h.parsed == nil {
		h.parsed = map[string]parsedKnownHosts{}
	}
	h.parsed[path] = parsedKnownHosts{modTime: st.ModTime().UnixNano(), size: st.Size(), db: db}
	h.mu.Unlock()
	return db, nil
}

// readKnownHosts parses path. A missing file is an error under Strict and
// an empty database under AcceptNew.
func readKnownHosts(path string, policy HostKeyPolicy) (gossh.HostKeyCallback, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if policy == Strict {
			return nil, fmt.Errorf("%w: known_hosts file %s does not exist (host key policy strict)", ErrHostKeyUnknown, path)
		}
		return func(string, net.Addr, gossh.PublicKey) error { return &knownhosts.KeyError{} }, nil
	}
	cb, err := knownhosts.New(path)
	if err != nil {
		return nil, fmt.Errorf("known_hosts %s: %w", path, err)
	}
	return cb, nil
}

// probeKey never matches a real host key; checking it yields the keys
// known_hosts holds for a host (knownhosts.KeyError.Want).
var probeKey = func() gossh.PublicKey {
	k, err := gossh.NewPublicKey(ed25519.PublicKey(make([]byte, ed25519.PublicKeySize)))
	if err != nil {
		panic(err)
	}
	return k
}()

// knownKeyTypes lists the key types known_hosts has for endpoint.
func knownKeyTypes(db gossh.HostKeyCallback, endpoint string) []string {
	err := db(endpoint, &net.TCPAddr{IP: net.IPv4zero}, probeKey)
	var ke *knownhosts.KeyError
	if !errors.As(err, &ke) {
		return nil
	}
	var types []string
	seen := map[string]bool{}
	for _, w := range ke.Want {
		if t := w.Key.Type(); !seen[t] {
			seen[t] = true
			types = append(types, t)
		}
	}
	return types
}

// algorithmsFor maps key types to the host key algorithms that negotiate
// them, so a server holding several key types presents one known_hosts
// can verify. No known types means no restriction (unknown host).
func algorithmsFor(types []string) []string {
	var algs []string
	for _, t := range types {
		if t == gossh.KeyAlgoRSA {
			algs = append(algs, gossh.KeyAlgoRSASHA512, gossh.KeyAlgoRSASHA256, gossh.KeyAlgoRSA)
			continue
		}
		algs = append(algs, t)
	}
	return algs
}

// recordKey appends endpoint's key to path (accept-new), creating the file
// and its directory when needed.
func (h *hostKeyChecker) recordKey(path, endpoint string, key gossh.PublicKey) error {
	m := h.fileLock(path)
	m.Lock()
	defer m.Unlock()
	// Another connection may have recorded this host meanwhile.
	if db, err := readKnownHosts(path, AcceptNew); err == nil {
		err := db(endpoint, &net.TCPAddr{IP: net.IPv4zero}, key)
		var ke *knownhosts.KeyError
		if err == nil {
			return nil
		}
		if errors.As(err, &ke) && len(ke.Want) > 0 {
			return fmt.Errorf("%w for %s while recording it (accept-new): %s now lists other keys", ErrHostKeyChanged, endpoint, path)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("accept-new: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("accept-new: %w", err)
	}
	line := knownhosts.Line([]string{knownhosts.Normalize(endpoint)}, key) + "\n"
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return fmt.Errorf("accept-new: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("accept-new: writing %s: %w", path, err)
	}
	h.record(endpoint, path, gossh.FingerprintSHA256(key))
	return nil
}
