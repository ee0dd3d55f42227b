package libvirt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
)

func TestParseURI(t *testing.T) {
	cases := []struct {
		in, remote, transport, host, port, socket string
	}{
		{"qemu:///system", "qemu:///system", "unix", "", "", DefaultSocket},
		{"lxc:///system", "lxc:///system", "unix", "", "", DefaultSocket},
		{"test:///default", "test:///default", "unix", "", "", DefaultSocket},
		{"test+unix:///default?socket=/tmp/x/sock", "test:///default", "unix", "", "", "/tmp/x/sock"},
		{"qemu+tcp://hv1/system", "qemu:///system", "tcp", "hv1", "16509", DefaultSocket},
		{"qemu+tls://hv1:1234/system", "qemu:///system", "tls", "hv1", "1234", DefaultSocket},
		{"qemu://hv1/system", "qemu:///system", "tls", "hv1", "16514", DefaultSocket},
		{"qemu+ssh://root@hv1/system", "qemu:///system", "ssh", "hv1", "", DefaultSocket},
		{"qemu+libssh2://hv1:2222/system?socket=/run/s", "qemu:///system", "ssh", "hv1", "2222", "/run/s"},
		{"qemu+tcp://hv1/system?name=qemu:///session", "qemu:///session", "tcp", "hv1", "16509", DefaultSocket},
	}
	for _, c := range cases {
		got, err := parseURI(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if string(got.remote) != c.remote || got.transport != c.transport || got.host != c.host ||
			got.port != c.port || got.socket != c.socket {
			t.Errorf("%s: got %+v", c.in, got)
		}
	}
	for _, bad := range []string{"", "system", "qemu+ext:///system", "qemu+tcp:///system", "qemu+ssh:///system", "qemu+unix://hv1/system", "::"} {
		if _, err := parseURI(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestHasMACIsCaseInsensitive(t *testing.T) {
	desc := `<domain type='lxc'><name>x</name><devices>
	  <interface type='bridge'><mac address='52:54:00:ab:cd:ef'/><source bridge='br0'/></interface>
	</devices></domain>`
	got := domainMACs(desc)
	for _, mac := range []string{"52:54:00:AB:CD:EF", "52-54-00-ab-cd-ef"} {
		if len(got) != 1 || got[0] != power.NormalizeMAC(mac) {
			t.Errorf("%s not found in %q", mac, got)
		}
	}
	if len(domainMACs("<not xml")) != 0 {
		t.Error("MACs from a non-XML description")
	}
}

func TestViaNode(t *testing.T) {
	inv := []drivers.Node{{Name: "hv-1", Address: "198.18.30.5"}, {Name: "hv-2", FQDN: "hv-2.lab"}}
	tg, _ := parseURI("qemu+ssh://HV-2.lab/system")
	tg.host = "hv-2.lab"
	if n := viaNode(tg, "", inv); n.Name != "hv-2" {
		t.Errorf("by fqdn: %+v", n)
	}
	tg, _ = parseURI("qemu+ssh://198.18.30.5/system")
	if n := viaNode(tg, "", inv); n.Name != "hv-1" {
		t.Errorf("by address: %+v", n)
	}
	if n := viaNode(tg, "hv-2", inv); n.Name != "hv-2" {
		t.Errorf("explicit: %+v", n)
	}
	tg, _ = parseURI("qemu+ssh://other:2200/system")
	if n := viaNode(tg, "", inv); n.Name != "other" || n.Port != 2200 {
		t.Errorf("ad hoc: %+v", n)
	}
}

func TestTLSConfigErrorsAreClear(t *testing.T) {
	dir := t.TempDir()
	if _, err := tlsConfig("hv1", TLSFiles{CAFile: filepath.Join(dir, "missing.pem")}); err == nil ||
		!strings.Contains(err.Error(), "CA certificate") {
		t.Errorf("missing CA: %v", err)
	}
	junk := filepath.Join(dir, "junk.pem")
	os.WriteFile(junk, []byte("not pem"), 0o600)
	if _, err := tlsConfig("hv1", TLSFiles{CAFile: junk}); err == nil || !strings.Contains(err.Error(), "no PEM") {
		t.Errorf("junk CA: %v", err)
	}
}

func TestSSHWithoutTransportIsAnError(t *testing.T) {
	_, err := New(t.Context(), Settings{URI: "qemu+ssh://hv1/system"})
	if err == nil || !strings.Contains(err.Error(), "SSH transport") {
		t.Fatalf("got %v", err)
	}
}

func TestURIPasswordsAreRefusedWithoutEcho(t *testing.T) {
	for _, raw := range []string{"qemu+ssh://root:hunter2@hv1/system", "qemu+ssh://root:hunter2@hv1:bad/system"} {
		_, err := parseURI(raw)
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: %v", raw, err)
		}
	}
}
