package scenario

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Scenario returns the named scenario, or nil.
func (c *Config) Scenario(name string) *Scenario {
	if c == nil {
		return nil
	}
	for _, s := range c.Scenarios {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Cloud returns the named cloud, or nil.
func (c *Config) Cloud(name string) *Cloud {
	if c == nil {
		return nil
	}
	for _, cl := range c.Clouds {
		if cl.Name == name {
			return cl
		}
	}
	return nil
}

// Probe returns the named probe, or nil.
func (c *Config) Probe(name string) *Probe {
	if c == nil {
		return nil
	}
	for _, p := range c.Probes {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Variable returns the named variable, or nil.
func (c *Config) Variable(name string) *Variable {
	if c == nil {
		return nil
	}
	for _, v := range c.Variables {
		if v.Name == name {
			return v
		}
	}
	return nil
}

func convertTo(v cty.Value, ty cty.Type) (cty.Value, error) { return convert.Convert(v, ty) }
