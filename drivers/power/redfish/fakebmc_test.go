package redfish

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeBMC is a Redfish service following the DMTF schema for the parts the
// driver uses: service root, SessionService sessions, the Systems
// collection, ComputerSystem with PowerState and #ComputerSystem.Reset.
type fakeBMC struct {
	user, pass string
	// allowed is ResetType@Redfish.AllowableValues (nil: all, omitted);
	// actionInfo serves them through @Redfish.ActionInfo instead.
	allowed    []string
	actionInfo bool
	// foreign is another server's base URL the BMC names: in the Sessions
	// link, the session Location, Reset targets, or as a 307 redirect for
	// system reads.
	foreign                                                   string
	foreignSessions, foreignLocation, foreignTarget, redirect bool

	mu       sync.Mutex
	systems  []*fakeSystem
	tokens   map[string]bool
	sessions int // live sessions
	resets   []string
	authFail int
}

type fakeSystem struct {
	id, name, state string
}

func newFakeBMC(names ...string) *fakeBMC {
	b := &fakeBMC{user: "root", pass: "calvin-pw", tokens: map[string]bool{}}
	for i, n := range names {
		b.systems = append(b.systems, &fakeSystem{id: fmt.Sprint(i + 1), name: n, state: "On"})
	}
	return b
}

func (b *fakeBMC) log() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.resets, ",")
}

// counts returns live sessions and 401 answers.
func (b *fakeBMC) counts() (sessions, authFail int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sessions, b.authFail
}

func (b *fakeBMC) state(id string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.systems {
		if s.id == id {
			return s.state
		}
	}
	return ""
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func redfishError(w http.ResponseWriter, code int, id, msg string) {
	writeJSON(w, code, map[string]any{"error": map[string]any{
		"code": "Base.1.8.GeneralError", "message": "A general error has occurred.",
		"@Message.ExtendedInfo": []map[string]string{{"MessageId": "Base.1.8." + id, "Message": msg}},
	}})
}

func (b *fakeBMC) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case p == "/redfish/v1" && r.Method == http.MethodGet:
		sessions := "/redfish/v1/SessionService/Sessions"
		if b.foreignSessions {
			sessions = b.foreign + sessions
		}
		writeJSON(w, 200, map[string]any{
			"@odata.id": "/redfish/v1/", "@odata.type": "#ServiceRoot.v1_5_0.ServiceRoot", "Id": "RootService",
			"RedfishVersion": "1.6.0", "Systems": map[string]string{"@odata.id": "/redfish/v1/Systems"},
			"SessionService": map[string]string{"@odata.id": "/redfish/v1/SessionService"},
			"Links":          map[string]any{"Sessions": map[string]string{"@odata.id": sessions}},
		})
		return
	case p == "/redfish/v1/SessionService/Sessions" && r.Method == http.MethodPost:
		b.login(w, r)
		return
	}
	if !b.authorized(r) {
		b.mu.Lock()
		b.authFail++
		b.mu.Unlock()
		redfishError(w, http.StatusUnauthorized, "NoValidSession", "There is no valid session established with the implementation.")
		return
	}
	switch {
	case strings.HasPrefix(p, "/redfish/v1/SessionService/Sessions/") && r.Method == http.MethodDelete:
		b.mu.Lock()
		delete(b.tokens, r.Header.Get("X-Auth-Token"))
		b.sessions--
		b.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case p == "/redfish/v1/Systems":
		b.collection(w)
	case strings.HasSuffix(p, "/Actions/ComputerSystem.Reset") && r.Method == http.MethodPost:
		b.reset(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/redfish/v1/Systems/"), "/Actions/ComputerSystem.Reset"))
	case strings.HasSuffix(p, "/ResetActionInfo"):
		writeJSON(w, 200, map[string]any{"@odata.type": "#ActionInfo.v1_1_2.ActionInfo", "Id": "ResetActionInfo",
			"Parameters": []map[string]any{{"Name": "ResetType", "Required": true, "DataType": "String", "AllowableValues": b.allowed}}})
	case strings.HasPrefix(p, "/redfish/v1/Systems/") && b.redirect:
		http.Redirect(w, r, b.foreign+r.URL.Path, http.StatusTemporaryRedirect)
	case strings.HasPrefix(p, "/redfish/v1/Systems/"):
		b.system(w, strings.TrimPrefix(p, "/redfish/v1/Systems/"))
	default:
		redfishError(w, 404, "ResourceMissingAtURI", "The resource at the URI "+p+" was not found.")
	}
}

func (b *fakeBMC) login(w http.ResponseWriter, r *http.Request) {
	var creds struct{ UserName, Password string }
	if json.NewDecoder(r.Body).Decode(&creds) != nil || creds.UserName != b.user || creds.Password != b.pass {
		redfishError(w, http.StatusUnauthorized, "NoValidSession", "Invalid username or password.")
		return
	}
	b.mu.Lock()
	b.sessions++
	tok := fmt.Sprintf("tok-%d-%d", b.sessions, time.Now().UnixNano())
	b.tokens[tok] = true
	b.mu.Unlock()
	w.Header().Set("X-Auth-Token", tok)
	loc := "/redfish/v1/SessionService/Sessions/" + tok
	if b.foreignLocation {
		loc = b.foreign + loc
	}
	w.Header().Set("Location", loc)
	writeJSON(w, http.StatusCreated, map[string]string{"@odata.id": "/redfish/v1/SessionService/Sessions/" + tok, "UserName": creds.UserName})
}

func (b *fakeBMC) authorized(r *http.Request) bool {
	if u, p, ok := r.BasicAuth(); ok {
		return u == b.user && p == b.pass
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens[r.Header.Get("X-Auth-Token")]
}

func (b *fakeBMC) collection(w http.ResponseWriter) {
	b.mu.Lock()
	members := []map[string]string{}
	for _, s := range b.systems {
		members = append(members, map[string]string{"@odata.id": "/redfish/v1/Systems/" + s.id})
	}
	b.mu.Unlock()
	writeJSON(w, 200, map[string]any{"@odata.id": "/redfish/v1/Systems", "@odata.type": "#ComputerSystemCollection.ComputerSystemCollection",
		"Name": "Computer System Collection", "Members@odata.count": len(members), "Members": members})
}

func (b *fakeBMC) find(id string) *fakeSystem {
	for _, s := range b.systems {
		if s.id == id {
			return s
		}
	}
	return nil
}

func (b *fakeBMC) system(w http.ResponseWriter, id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.find(id)
	if s == nil {
		redfishError(w, 404, "ResourceMissingAtURI", "no system "+id)
		return
	}
	target := "/redfish/v1/Systems/" + id + "/Actions/ComputerSystem.Reset"
	if b.foreignTarget {
		target = b.foreign + target
	}
	reset := map[string]any{"target": target}
	switch {
	case b.actionInfo:
		reset["@Redfish.ActionInfo"] = "/redfish/v1/Systems/" + id + "/ResetActionInfo"
	case b.allowed != nil:
		reset["ResetType@Redfish.AllowableValues"] = b.allowed
	}
	writeJSON(w, 200, map[string]any{
		"@odata.id": "/redfish/v1/Systems/" + id, "@odata.type": "#ComputerSystem.v1_13_0.ComputerSystem",
		"Id": s.id, "Name": s.name, "SystemType": "Physical", "PowerState": s.state,
		"Actions": map[string]any{"#ComputerSystem.Reset": reset},
	})
}

func (b *fakeBMC) reset(w http.ResponseWriter, r *http.Request, id string) {
	var body struct{ ResetType string }
	if json.NewDecoder(r.Body).Decode(&body) != nil {
		redfishError(w, 400, "MalformedJSON", "The request body submitted was malformed JSON.")
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.find(id)
	if s == nil {
		redfishError(w, 404, "ResourceMissingAtURI", "no system "+id)
		return
	}
	if b.allowed != nil && !slices.Contains(b.allowed, body.ResetType) {
		redfishError(w, 400, "ActionParameterNotSupported", "The parameter ResetType for the action ComputerSystem.Reset is not supported on the target resource.")
		return
	}
	switch body.ResetType {
	case "ForceOff", "GracefulShutdown":
		s.state = "Off"
	case "On", "ForceRestart", "GracefulRestart", "PowerCycle":
		s.state = "On"
	default:
		redfishError(w, 400, "ActionParameterValueNotInList", "bad ResetType "+body.ResetType)
		return
	}
	b.resets = append(b.resets, id+":"+body.ResetType)
	w.WriteHeader(http.StatusNoContent)
}

// startTLS serves h over TLS with a certificate for 127.0.0.1 signed by a
// fresh test CA, and returns the server and the CA's PEM file.
func startTLS(t *testing.T, h http.Handler) (*httptest.Server, string) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "faultline test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "bmc"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // expected handshake failures
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, caFile
}

// credentialTrap is a server on another origin that records every request
// carrying credentials: an Authorization or X-Auth-Token header, or a body
// with the password.
type credentialTrap struct {
	pass string
	mu   sync.Mutex
	hits []string
}

func (c *credentialTrap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	if r.Header.Get("Authorization") != "" || r.Header.Get("X-Auth-Token") != "" || strings.Contains(string(body), c.pass) {
		c.hits = append(c.hits, r.Method+" "+r.URL.Path)
	}
	c.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (c *credentialTrap) got() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.hits)
}
