package redfish

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
)

// hostileBMC is a fake BMC whose links point at a credential trap on
// another origin, as set by hostile.
func hostileBMC(t *testing.T, auth string, hostile func(b *fakeBMC)) (*fakeBMC, *credentialTrap, *power.Driver) {
	t.Helper()
	trap := &credentialTrap{pass: "calvin-pw"}
	evil := httptest.NewServer(trap)
	t.Cleanup(evil.Close)
	bmc := newFakeBMC("n1")
	bmc.foreign = evil.URL
	hostile(bmc)
	srv, ca := startTLS(t, bmc)
	d := openRedfish(t, map[string]cty.Value{"endpoint": cty.StringVal(srv.URL), "ca_file": cty.StringVal(ca),
		"auth": cty.StringVal(auth)})
	return bmc, trap, d
}

// TestCredentialsStayOnOrigin: a BMC that names absolute URLs on another
// host (Reset target, Sessions link, session Location) or redirects there
// never makes the driver send that host the password, the Basic header or
// the session token (issue 13.9).
func TestCredentialsStayOnOrigin(t *testing.T) {
	for _, tc := range []struct {
		name, auth string
		hostile    func(b *fakeBMC)
	}{
		{"session, foreign reset target and session Location", "session", func(b *fakeBMC) { b.foreignTarget, b.foreignLocation = true, true }},
		{"basic, foreign reset target", "basic", func(b *fakeBMC) { b.foreignTarget = true }},
		{"session, foreign Sessions link", "session", func(b *fakeBMC) { b.foreignSessions = true }},
		{"session, redirect", "session", func(b *fakeBMC) { b.redirect = true }},
		{"basic, redirect", "basic", func(b *fakeBMC) { b.redirect = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bmc, trap, d := hostileBMC(t, tc.auth, tc.hostile)
			want(t, do(t, d, power.VerbPowerOff, drivers.Node{Name: "n1"}), drivers.StatusFailed, "another origin")
			_ = d.Close() // with a foreign session Location, there is nowhere safe to DELETE the session
			if hits := trap.got(); len(hits) > 0 {
				t.Fatalf("credentials sent to the foreign host: %v", hits)
			}
			if bmc.log() != "" {
				t.Fatalf("a reset went through: %s", bmc.log())
			}
		})
	}
}

// TestForeignLocationNotFollowed: a login whose Location is on another
// origin still works on the BMC; Close does not send the token there.
func TestForeignLocationNotFollowed(t *testing.T) {
	bmc, trap, d := hostileBMC(t, "session", func(b *fakeBMC) { b.foreignLocation = true })
	want(t, do(t, d, power.VerbPowerOff, drivers.Node{Name: "n1"}), drivers.StatusOK, "unit")
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if hits := trap.got(); len(hits) > 0 || bmc.state("1") != "Off" {
		t.Fatalf("trap %v, state %s", hits, bmc.state("1"))
	}
}

// TestBasicOverPlainHTTP: Basic auth to an http:// service is refused
// unless allow_basic_over_http is set, which then shows in every outcome;
// the option is only valid with auth = "basic".
func TestBasicOverPlainHTTP(t *testing.T) {
	bmc := newFakeBMC("n1")
	srv := httptest.NewServer(bmc)
	defer srv.Close()
	def, _ := drivers.Default.Lookup(drivers.FamilyPower, "redfish")
	cfg := map[string]cty.Value{"username": cty.StringVal("root"), "password": cty.StringVal("calvin-pw"),
		"endpoint": cty.StringVal(srv.URL), "auth": cty.StringVal("basic")}
	_, err := def.Open(context.Background(), drivers.OpenParams{Name: "bmc", Config: cty.ObjectVal(cfg)})
	if err == nil || !strings.Contains(err.Error(), "allow_basic_over_http") {
		t.Fatalf("want a refusal naming allow_basic_over_http, got %v", err)
	}

	// A unit URL on plain http is refused at request time.
	noEndpoint := openRedfish(t, map[string]cty.Value{"auth": cty.StringVal("basic")})
	out := do(t, noEndpoint, power.VerbPowerOff, drivers.Node{Name: "n1", PowerUnit: srv.URL + "/redfish/v1/Systems/1"})
	want(t, out, drivers.StatusFailed, "refusing Basic auth over plain http")
	noEndpoint.Close()
	if _, fails := bmc.counts(); bmc.log() != "" || fails != 0 {
		t.Fatalf("a request reached the BMC: resets %q, 401s %d", bmc.log(), fails)
	}

	cfg["allow_basic_over_http"] = cty.True
	d := openRedfish(t, cfg)
	defer d.Close()
	want(t, do(t, d, power.VerbPowerOff, drivers.Node{Name: "n1"}), drivers.StatusOK, "WARNING: Basic auth over plain http allowed")
	if bmc.state("1") != "Off" {
		t.Fatalf("state %s", bmc.state("1"))
	}

	cfg["auth"] = cty.StringVal("session")
	if _, err := def.Open(context.Background(), drivers.OpenParams{Name: "bmc", Config: cty.ObjectVal(cfg)}); err == nil ||
		!strings.Contains(err.Error(), `only to auth = "basic"`) {
		t.Fatalf("allow_basic_over_http with session auth: %v", err)
	}
}
