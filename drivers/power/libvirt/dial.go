package libvirt

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/faultline-dev/faultline/drivers"
)

// Default PKI paths of libvirt's TLS transport.
const (
	defaultCAFile   = "/etc/pki/CA/cacert.pem"
	defaultCertFile = "/etc/pki/libvirt/clientcert.pem"
	defaultKeyFile  = "/etc/pki/libvirt/private/clientkey.pem"
)

// TLSFiles are the PEM files of a qemu+tls:// connection. Empty fields take
// libvirt's default paths; a missing default client certificate is
// tolerated (servers with tls_no_verify_certificate accept that).
type TLSFiles struct {
	CAFile, CertFile, KeyFile string
}

// dialFunc opens the byte stream to libvirtd.
type dialFunc func(ctx context.Context) (net.Conn, error)

// ctxDialer adapts a dialFunc to go-libvirt's socket.Dialer, which takes
// no context: every Dial gets a fresh timeout.
type ctxDialer struct {
	dial    dialFunc
	timeout time.Duration
}

func (d ctxDialer) Dial() (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
	defer cancel()
	return d.dial(ctx)
}

// dialerFor builds the dialer for t. via is the inventory node an ssh
// connection goes through.
func dialerFor(t target, files TLSFiles, via drivers.Node, sshDial SSHDial) (dialFunc, error) {
	switch t.transport {
	case "unix":
		return func(ctx context.Context) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", t.socket)
		}, nil
	case "tcp":
		return func(ctx context.Context) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", net.JoinHostPort(t.host, t.port))
		}, nil
	case "tls":
		cfg, err := tlsConfig(t.host, files)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (net.Conn, error) { return dialTLS(ctx, t, cfg) }, nil
	case "ssh":
		if sshDial == nil {
			return nil, errors.New("libvirt over ssh needs faultline's SSH transport, and none is available here")
		}
		return func(ctx context.Context) (net.Conn, error) {
			return sshDial(ctx, via, "unix", t.socket)
		}, nil
	}
	return nil, fmt.Errorf("unsupported libvirt transport %q", t.transport)
}

// SSHDial is drivers.Deps.Dial: a connection to addr opened from node via.
type SSHDial = func(ctx context.Context, via drivers.Node, network, addr string) (net.Conn, error)

func tlsConfig(host string, f TLSFiles) (*tls.Config, error) {
	caFile := orDefault(f.CAFile, defaultCAFile)
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("libvirt tls: CA certificate: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("libvirt tls: %s holds no PEM certificate", caFile)
	}
	cfg := &tls.Config{RootCAs: pool, ServerName: host, MinVersion: tls.VersionTLS12}
	certFile, keyFile := orDefault(f.CertFile, defaultCertFile), orDefault(f.KeyFile, defaultKeyFile)
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	switch {
	case err == nil:
		cfg.Certificates = []tls.Certificate{cert}
	case f.CertFile != "" || f.KeyFile != "" || !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("libvirt tls: client certificate: %w", err)
	}
	return cfg, nil
}

// dialTLS connects and reads libvirtd's one-byte verdict on our client
// certificate, which it sends right after the handshake.
func dialTLS(ctx context.Context, t target, cfg *tls.Config) (net.Conn, error) {
	d := tls.Dialer{Config: cfg}
	c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(t.host, t.port))
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetReadDeadline(dl)
	}
	buf := make([]byte, 1)
	if _, err := c.Read(buf); err != nil {
		c.Close()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("libvirt tls: the server closed the connection after the handshake: it refused our client certificate (missing, or not signed by its CA)")
		}
		return nil, fmt.Errorf("libvirt tls: reading the server's certificate check: %w", err)
	}
	_ = c.SetReadDeadline(time.Time{})
	if buf[0] != 1 {
		c.Close()
		return nil, errors.New("libvirt tls: the server rejected our client certificate or address")
	}
	return c, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
