package libvirt

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"
)

// DefaultSocket is libvirtd's system socket (local and at the far end of an
// SSH tunnel).
const DefaultSocket = "/var/run/libvirt/libvirt-sock"

// Default ports for the network transports.
const (
	defaultTCPPort = "16509"
	defaultTLSPort = "16514"
)

// target is a parsed connection URI: how to reach the daemon and what to
// ask it for.
type target struct {
	// remote is the URI the daemon opens ("qemu:///system").
	remote golibvirt.ConnectURI
	// transport is unix, tcp, tls or ssh.
	transport string
	host      string
	port      string
	user      string
	// socket is the daemon socket path for unix and ssh.
	socket string
}

// parseURI splits a libvirt URI into transport and daemon-side URI.
func parseURI(raw string) (target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the raw URI, which may hold a password
		}
		return target{}, fmt.Errorf("libvirt uri: not a URI: %v", err)
	}
	if _, hasPassword := u.User.Password(); hasPassword {
		return target{}, fmt.Errorf("libvirt uri %q: passwords in the URI are refused (ssh uses the node's auth)", u.Redacted())
	}
	raw = u.String()
	driver, transport, _ := strings.Cut(u.Scheme, "+")
	if driver == "" || u.Opaque != "" {
		return target{}, fmt.Errorf("libvirt uri %q: want driver[+transport]://[host]/path, e.g. qemu:///system", raw)
	}
	if transport == "" {
		transport = "unix"
		if u.Host != "" {
			transport = "tls" // libvirt's default for remote URIs
		}
	}
	t := target{host: u.Hostname(), port: u.Port(), socket: u.Query().Get("socket")}
	if u.User != nil {
		t.user = u.User.Username()
	}
	switch transport {
	case "unix":
		if t.host != "" {
			return target{}, fmt.Errorf("libvirt uri %q: the unix transport takes no host", raw)
		}
	case "tcp", "tls":
		if t.host == "" {
			return target{}, fmt.Errorf("libvirt uri %q: the %s transport needs a host", raw, transport)
		}
	case "ssh", "libssh", "libssh2":
		if t.host == "" {
			return target{}, fmt.Errorf("libvirt uri %q: the ssh transport needs a host", raw)
		}
		transport = "ssh"
	default:
		return target{}, fmt.Errorf("libvirt uri %q: unsupported transport %q (use unix, tcp, tls or ssh)", raw, transport)
	}
	t.transport = transport
	if t.socket == "" {
		t.socket = DefaultSocket
	}
	if t.port == "" {
		switch transport {
		case "tcp":
			t.port = defaultTCPPort
		case "tls":
			t.port = defaultTLSPort
		}
	}
	// what the daemon opens: driver:///path, or the URI in ?name=
	t.remote = golibvirt.RemoteURI(u)
	return t, nil
}
