package scenario

import (
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var authBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "username"}, {Name: "private_key_file"}, {Name: "passphrase"}, {Name: "password"},
		{Name: "agent"}, {Name: "port"}, {Name: "become"}, {Name: "become_method"},
		{Name: "become_user"}, {Name: "become_password"}, {Name: "known_hosts"}, {Name: "host_keys"},
	},
}

// becomeMethods are the privilege escalation methods accepted.
var becomeMethods = []string{"sudo", "su", "doas"}

var hostKeyPolicies = []string{string(HostKeyStrict), string(HostKeyAcceptNew), string(HostKeyInsecure)}

// decodeAuthBlock decodes an `auth` block. Secret values are wrapped in
// Secret and appended to *sensitive.
func decodeAuthBlock(block *hcl.Block, ctx *hcl.EvalContext, sensitive *[]string) (*Auth, hcl.Diagnostics) {
	a := &Auth{Set: map[string]bool{}, DeclRange: block.DefRange}
	content, diags := block.Body.Content(authBlockSchema)
	for _, attr := range sortedAttributes(content.Attributes) {
		diags = append(diags, a.setAttr(attr, ctx, sensitive)...)
	}
	if pw, ok := content.Attributes["become_password"]; ok && (a.BecomeMethod == "doas" || a.BecomeMethod == "su") {
		diags = append(diags, errorAt(pw.Expr.Range(), "become_password needs sudo",
			"%s reads a password only from a terminal, and faultline feeds passwords on stdin only: give the login user a passwordless rule (doas: `permit nopass`), log in as the user to become, or use become_method = \"sudo\".", a.BecomeMethod))
	}
	return a, diags
}

func (a *Auth) setAttr(attr *hcl.Attribute, ctx *hcl.EvalContext, sensitive *[]string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	str := func() string {
		s, moreDiags := evalString(attr.Expr, ctx, attr.Name)
		diags = append(diags, moreDiags...)
		return s
	}
	secret := func() Secret {
		s := str()
		if s != "" {
			*sensitive = append(*sensitive, s)
		}
		return NewSecret(s)
	}
	boolean := func() bool {
		b, moreDiags := evalBool(attr.Expr, ctx, attr.Name)
		diags = append(diags, moreDiags...)
		return b
	}
	switch attr.Name {
	case "username":
		a.Username = str()
	case "private_key_file":
		a.PrivateKeyFile = fromDeclaringDir(str(), attr)
	case "passphrase":
		a.Passphrase = secret()
	case "password":
		a.Password = secret()
	case "become_password":
		a.BecomePassword = secret()
	case "agent":
		a.Agent = boolean()
	case "become":
		a.Become = boolean()
	case "port":
		n, moreDiags := evalInt(attr.Expr, ctx, "port", 1, 65535)
		diags = append(diags, moreDiags...)
		a.Port = int(n)
	case "become_method":
		a.BecomeMethod = str()
		if a.BecomeMethod != "" && !contains(becomeMethods, a.BecomeMethod) {
			diags = append(diags, errorAt(attr.Expr.Range(), "Invalid become_method",
				"The become_method must be one of %s, not %q.%s", quotedOr(becomeMethods), a.BecomeMethod, didYouMean(a.BecomeMethod, becomeMethods)))
		}
	case "become_user":
		a.BecomeUser = str()
	case "known_hosts":
		a.KnownHosts = fromDeclaringDir(str(), attr)
	case "host_keys":
		s := str()
		if s != "" && !contains(hostKeyPolicies, s) {
			diags = append(diags, errorAt(attr.Expr.Range(), "Invalid host_keys",
				"The host_keys policy must be one of %s, not %q.%s", quotedOr(hostKeyPolicies), s, didYouMean(s, hostKeyPolicies)))
		}
		a.HostKeys = HostKeyPolicy(s)
	}
	if !diags.HasErrors() {
		a.Set[attr.Name] = true
	}
	return diags
}

// Merge returns a copy of a in which every attribute a did not set is
// taken from base (field by field, using Set). Either may be nil.
func (a *Auth) Merge(base *Auth) *Auth {
	if a == nil && base == nil {
		return nil
	}
	if a == nil {
		return base.clone()
	}
	out := a.clone()
	if base == nil {
		return out
	}
	for name := range base.Set {
		if out.Set[name] {
			continue
		}
		out.Set[name] = true
		switch name {
		case "username":
			out.Username = base.Username
		case "private_key_file":
			out.PrivateKeyFile = base.PrivateKeyFile
		case "passphrase":
			out.Passphrase = base.Passphrase
		case "password":
			out.Password = base.Password
		case "agent":
			out.Agent = base.Agent
		case "port":
			out.Port = base.Port
		case "become":
			out.Become = base.Become
		case "become_method":
			out.BecomeMethod = base.BecomeMethod
		case "become_user":
			out.BecomeUser = base.BecomeUser
		case "become_password":
			out.BecomePassword = base.BecomePassword
		case "known_hosts":
			out.KnownHosts = base.KnownHosts
		case "host_keys":
			out.HostKeys = base.HostKeys
		}
	}
	return out
}

func (a *Auth) clone() *Auth {
	out := *a
	out.Set = make(map[string]bool, len(a.Set))
	for k, v := range a.Set {
		out.Set[k] = v
	}
	return &out
}

// fromDeclaringDir resolves a relative file path written in attr from the
// directory of the file that declares it (like Terraform's path.module),
// not from the current directory, so a configuration means the same files
// wherever faultline runs. Absolute paths, "~/..." (expanded later) and
// "" stay as they are.
func fromDeclaringDir(p string, attr *hcl.Attribute) string {
	if p == "" || filepath.IsAbs(p) || p == "~" || strings.HasPrefix(p, "~/") {
		return p
	}
	dir := filepath.Dir(attr.Range.Filename)
	if dir == "." {
		return p // declared in a file of the current directory (or a string)
	}
	return filepath.Join(dir, p)
}
