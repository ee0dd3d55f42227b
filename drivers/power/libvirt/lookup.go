package libvirt

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

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

// macTTL is how long a scan of every domain's MACs is reused: resolving
// many nodes by MAC costs one scan, not one per node.
const macTTL = 10 * time.Second

// macIndex maps normalised MACs to the domains carrying them.
type macIndex struct {
	at    time.Time
	byMAC map[string][]string
}

// byMAC finds the one domain with an interface carrying mac, rescanning
// when the index is stale or lacks the MAC.
func (c *Controller) byMAC(ctx context.Context, node, mac string) (string, error) {
	want := power.NormalizeMAC(mac)
	c.macMu.Lock()
	defer c.macMu.Unlock()
	matches, fresh := c.macs.byMAC[want], time.Since(c.macs.at) < macTTL
	if len(matches) == 0 || !fresh {
		idx, err := c.scanMACs(ctx)
		if err != nil {
			return "", err
		}
		c.macs, matches = idx, idx.byMAC[want]
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return "", fmt.Errorf("%w: node %s: no libvirt domain named %q or with MAC %s", power.ErrNoUnit, node, node, mac)
	}
	return "", fmt.Errorf("node %s: MAC %s is on several libvirt domains: %s", node, mac, strings.Join(matches, ", "))
}

func (c *Controller) scanMACs(ctx context.Context) (macIndex, error) {
	idx := macIndex{at: time.Now(), byMAC: map[string][]string{}}
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
			for _, m := range domainMACs(desc) {
				idx.byMAC[m] = append(idx.byMAC[m], d.Name)
			}
		}
		return nil
	})
	return idx, err
}

type domainXML struct {
	Interfaces []struct {
		MAC struct {
			Address string `xml:"address,attr"`
		} `xml:"mac"`
	} `xml:"devices>interface"`
}

// domainMACs lists the normalised MACs of a domain's interfaces.
func domainMACs(desc string) []string {
	var d domainXML
	if xml.Unmarshal([]byte(desc), &d) != nil {
		return nil
	}
	var out []string
	for _, i := range d.Interfaces {
		if i.MAC.Address != "" {
			out = append(out, power.NormalizeMAC(i.MAC.Address))
		}
	}
	return out
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
