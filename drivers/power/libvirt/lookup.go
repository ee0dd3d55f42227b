package libvirt

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/power"
)

// Resolve finds node's domain: the configured unit (a domain name, or a MAC
// when it parses as one), else a domain named like the node, else the one
// domain with an interface carrying the node's MAC (case-insensitive).
func (c *Controller) Resolve(ctx context.Context, node drivers.Node, hint string) (string, error) {
	if hint != "" {
		if ok, err := c.exists(ctx, hint); err != nil || ok {
			return hint, err
		}
		if isMAC(hint) {
			return c.byMAC(ctx, node.Name, hint)
		}
		return "", fmt.Errorf("%w: node %s: no libvirt domain named %q", power.ErrNoUnit, node.Name, hint)
	}
	if ok, err := c.exists(ctx, node.Name); err != nil || ok {
		return node.Name, err
	}
	if node.MAC != "" {
		return c.byMAC(ctx, node.Name, node.MAC)
	}
	return "", fmt.Errorf("%w: node %s: no libvirt domain named %q and the node has no MAC to match",
		power.ErrNoUnit, node.Name, node.Name)
}

func isMAC(s string) bool {
	_, err := net.ParseMAC(s)
	return err == nil
}

func (c *Controller) exists(ctx context.Context, name string) (bool, error) {
	found := false
	err := c.call(ctx, func(l *golibvirt.Libvirt) error {
		_, err := l.DomainLookupByName(name)
		if golibvirt.IsNotFound(err) {
			return nil
		}
		found = err == nil
		return err
	})
	return found, err
}

// byMAC scans every domain's XML for an interface with mac.
func (c *Controller) byMAC(ctx context.Context, node, mac string) (string, error) {
	want := power.NormalizeMAC(mac)
	var matches []string
	err := c.call(ctx, func(l *golibvirt.Libvirt) error {
		doms, _, err := l.ConnectListAllDomains(1, 0)
		if err != nil {
			return fmt.Errorf("libvirt: listing domains: %w", err)
		}
		for _, d := range doms {
			desc, err := l.DomainGetXMLDesc(d, 0)
			if err != nil {
				if golibvirt.IsNotFound(err) {
					continue // undefined meanwhile
				}
				return fmt.Errorf("libvirt: reading domain %q: %w", d.Name, err)
			}
			if hasMAC(desc, want) {
				matches = append(matches, d.Name)
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return "", err
	case len(matches) == 1:
		return matches[0], nil
	case len(matches) > 1:
		return "", fmt.Errorf("node %s: MAC %s is on several libvirt domains: %s", node, mac, strings.Join(matches, ", "))
	}
	return "", fmt.Errorf("%w: node %s: no libvirt domain named %q or with MAC %s", power.ErrNoUnit, node, node, mac)
}

type domainXML struct {
	Interfaces []struct {
		MAC struct {
			Address string `xml:"address,attr"`
		} `xml:"mac"`
	} `xml:"devices>interface"`
}

func hasMAC(desc, want string) bool {
	var d domainXML
	if xml.Unmarshal([]byte(desc), &d) != nil {
		return false
	}
	for _, i := range d.Interfaces {
		if power.NormalizeMAC(i.MAC.Address) == want {
			return true
		}
	}
	return false
}

// Snapshot creates a snapshot named name (validated by the adapter).
// Drivers without snapshots (LXC) yield power.ErrUnsupported.
func (c *Controller) Snapshot(ctx context.Context, unit, name string) error {
	if err := power.ValidSnapshotName(name); err != nil {
		return err
	}
	var doc strings.Builder
	doc.WriteString("<domainsnapshot><name>")
	_ = xml.EscapeText(&doc, []byte(name))
	doc.WriteString("</name><description>created by faultline</description></domainsnapshot>")
	return c.withDomain(ctx, unit, func(l *golibvirt.Libvirt, d golibvirt.Domain) error {
		_, err := l.DomainSnapshotCreateXML(d, doc.String(), 0)
		return c.snapErr("snapshot", unit, err)
	})
}

// Revert reverts the domain to the named snapshot.
func (c *Controller) Revert(ctx context.Context, unit, name string) error {
	return c.withDomain(ctx, unit, func(l *golibvirt.Libvirt, d golibvirt.Domain) error {
		s, err := l.DomainSnapshotLookupByName(d, name, 0)
		if err != nil {
			return c.snapErr("revert (snapshot lookup)", unit, err)
		}
		return c.snapErr("revert", unit, l.DomainRevertToSnapshot(s, 0))
	})
}

func (c *Controller) snapErr(op, unit string, err error) error {
	err = wrap(op, unit, err)
	if errors.Is(err, power.ErrUnsupported) {
		return fmt.Errorf("the libvirt %s driver does not support snapshots (%w)", c.Kind(), err)
	}
	return err
}
