package libvirt

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
	"github.com/faultline-dev/faultline/drivers/power/internal/lab"
)

// pki is a throwaway CA with one server and one client certificate, in
// the shapes libvirtd checks (key usages, basic constraints).
type pki struct {
	dir                                      string
	caCert, srvCert, srvKey, cliCert, cliKey string
	otherCA                                  string
	ca                                       *x509.Certificate
	caKey                                    *rsa.PrivateKey
}

func newPKI(t *testing.T) *pki {
	t.Helper()
	p := &pki{dir: t.TempDir()}
	var caDER []byte
	p.ca, p.caKey, caDER = selfSigned(t, "faultline test CA")
	p.caCert = p.write(t, "cacert.pem", "CERTIFICATE", caDER)
	_, _, otherDER := selfSigned(t, "some other CA")
	p.otherCA = p.write(t, "other-ca.pem", "CERTIFICATE", otherDER)
	p.srvCert, p.srvKey = p.leaf(t, "server", x509.ExtKeyUsageServerAuth)
	p.cliCert, p.cliKey = p.leaf(t, "client", x509.ExtKeyUsageClientAuth)
	return p
}

func selfSigned(t *testing.T, cn string) (*x509.Certificate, *rsa.PrivateKey, []byte) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c, key, der
}

func (p *pki) leaf(t *testing.T, name string, usage x509.ExtKeyUsage) (certFile, keyFile string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:   pkix.Name{CommonName: "127.0.0.1", Organization: []string{"faultline"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		BasicConstraintsValid: true, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{usage}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	return p.write(t, name+"cert.pem", "CERTIFICATE", der),
		p.write(t, name+"key.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key))
}

func (p *pki) write(t *testing.T, name, typ string, der []byte) string {
	path := filepath.Join(p.dir, name)
	lab.WriteFile(t, path, string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})), 0o600)
	return path
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestTCPAndTLSTransports connects to a private libvirtd listening on
// loopback TCP (no auth) and TLS (client certificates from a test CA),
// and checks that a wrong CA is refused.
func TestTCPAndTLSTransports(t *testing.T) {
	p := newPKI(t)
	tcpPort, tlsPort := freePort(t), freePort(t)
	conf := fmt.Sprintf(`listen_tcp = 1
listen_tls = 1
listen_addr = "127.0.0.1"
tcp_port = "%d"
tls_port = "%d"
auth_tcp = "none"
auth_tls = "none"
key_file = %q
cert_file = %q
ca_file = %q
`, tcpPort, tlsPort, p.srvKey, p.srvCert, p.caCert)
	lv := lab.StartLibvirtdWith(t, conf, true)
	node := drivers.Node{Name: "test"}
	if err := lab.WaitFor(30*time.Second, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(tlsPort))
		if err == nil {
			c.Close()
		}
		return err == nil
	}); err != nil {
		t.Fatalf("libvirtd not listening on TLS: %s", lv.LogTail())
	}

	t.Run("tcp", func(t *testing.T) {
		d := openRegistered(t, map[string]cty.Value{"uri": cty.StringVal(fmt.Sprintf("test+tcp://127.0.0.1:%d/default", tcpPort))}, drivers.Deps{})
		wantState(t, d, node, power.On)
	})
	t.Run("tls", func(t *testing.T) {
		d := openRegistered(t, map[string]cty.Value{
			"uri":     cty.StringVal(fmt.Sprintf("test+tls://127.0.0.1:%d/default", tlsPort)),
			"ca_file": cty.StringVal(p.caCert), "cert_file": cty.StringVal(p.cliCert), "key_file": cty.StringVal(p.cliKey),
		}, drivers.Deps{})
		wantState(t, d, node, power.On)
		wantStatus(t, do(t, d, power.VerbPowerOff, cty.NilVal, node), drivers.StatusOK, "unit test")
		wantState(t, d, node, power.Off)
	})
	t.Run("tls with the wrong CA", func(t *testing.T) {
		def, _ := drivers.Default.Lookup(drivers.FamilyPower, "libvirt")
		_, err := def.Open(t.Context(), drivers.OpenParams{Config: cty.ObjectVal(map[string]cty.Value{
			"uri":     cty.StringVal(fmt.Sprintf("test+tls://127.0.0.1:%d/default", tlsPort)),
			"ca_file": cty.StringVal(p.otherCA), "cert_file": cty.StringVal(p.cliCert), "key_file": cty.StringVal(p.cliKey),
			"connect_timeout": cty.StringVal("3s"),
		})})
		if err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("got %v", err)
		}
	})
}

// TestTLSWithoutClientCertIsRejected: libvirtd verifies client
// certificates by default; without one it answers the check byte with a
// refusal, which must surface as a clear error.
func TestTLSWithoutClientCertIsRejected(t *testing.T) {
	if _, err := os.Stat(defaultCertFile); err == nil {
		t.Skip(defaultCertFile + " exists on this machine: the driver would use it")
	}
	p := newPKI(t)
	tlsPort := freePort(t)
	conf := fmt.Sprintf("listen_tls = 1\nlisten_tcp = 0\nlisten_addr = \"127.0.0.1\"\ntls_port = \"%d\"\nauth_tls = \"none\"\n"+
		"key_file = %q\ncert_file = %q\nca_file = %q\n", tlsPort, p.srvKey, p.srvCert, p.caCert)
	lab.StartLibvirtdWith(t, conf, true)
	_ = lab.WaitFor(30*time.Second, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(tlsPort))
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	_, err := New(t.Context(), Settings{URI: fmt.Sprintf("test+tls://127.0.0.1:%d/default", tlsPort),
		TLS: TLSFiles{CAFile: p.caCert}, ConnectTimeout: 3 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "refused our client certificate") {
		t.Fatalf("got %v", err)
	}
}
