package osfaults

// secrets replaces every secret attribute by a reference to a new
// sensitive variable, so no secret reaches the HCL text.
func (m *mapper) secrets() {
	swap := func(attrs []attr, prefix string) {
		for i, a := range attrs {
			if !a.secret {
				continue
			}
			name := m.secretVar(prefix+"_"+a.name, a)
			attrs[i] = attr{name: a.name, v: refVal("var." + name)}
		}
	}
	swapAuth := func(attrs []attr, who string) {
		for i, a := range attrs {
			if !a.secret {
				continue
			}
			base := who + "ssh_password"
			if a.name == "become_password" {
				base = who + "become_password"
			}
			name := m.secretVar(base, a)
			attrs[i] = attr{name: a.name, v: refVal("var." + name)}
		}
	}
	swapAuth(m.out.auth, "")
	for _, n := range m.out.nodes {
		swapAuth(n.auth, n.name+"_")
	}
	for _, p := range m.out.powers {
		swap(p.attrs, p.name)
	}
}
