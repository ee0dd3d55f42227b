package assertions

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/zclconf/go-cty/cty"
)

func tcpKind() kindDef {
	return kindDef{
		doc:       "Opens one TCP connection per sample and closes it at once; sends nothing.",
		defaultOK: "connected",
		build:     newTCPProbe,
		config: []attrDef{
			{name: "address", ty: cty.String, required: true, doc: "host:port to connect to.", validate: check("Invalid TCP address", checkAddress)},
			timeoutAttr(),
		},
		result: []resultAttr{
			{"connected", cty.Bool, "Whether the connection opened."},
			{"latency", cty.Number, "Seconds the connect took (or failed after)."},
			{"error", cty.String, "Why it did not connect; \"\" otherwise."},
		},
	}
}

func checkAddress(v cty.Value) error {
	host, port, err := net.SplitHostPort(v.AsString())
	if err != nil {
		return fmt.Errorf("%w (want host:port, e.g. \"198.18.0.11:11211\" or \"[::1]:80\")", err)
	}
	if host == "" {
		return errors.New("the address has no host")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %q is not a number between 1 and 65535", port)
	}
	return nil
}

// tcpProbe checks that a TCP connection can be opened; it sends nothing and
// closes the connection at once.
type tcpProbe struct {
	address string
	timeout time.Duration
}

func newTCPProbe(c config, deps Deps) (Probe, error) {
	addr, err := c.requiredStr("address")
	if err != nil {
		return nil, err
	}
	if err := checkAddress(cty.StringVal(addr)); err != nil {
		return nil, fmt.Errorf("address: %w", err)
	}
	timeout, err := timeoutOr(c, deps)
	if err != nil {
		return nil, err
	}
	return &tcpProbe{address: addr, timeout: timeout}, nil
}

func (p *tcpProbe) Kind() string     { return KindTCP }
func (p *tcpProbe) Describe() string { return "tcp connect " + p.address }

func (p *tcpProbe) Sample(ctx context.Context) (cty.Value, error) {
	if err := ctx.Err(); err != nil {
		return cty.NilVal, err
	}
	dctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	start := time.Now()
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", p.address)
	latency := time.Since(start)
	msg := ""
	if err != nil {
		if ctx.Err() != nil {
			return cty.NilVal, ctx.Err()
		}
		msg = describeDialError(err)
	} else {
		_ = conn.Close()
	}
	return cty.ObjectVal(map[string]cty.Value{
		"connected": cty.BoolVal(err == nil),
		"latency":   cty.NumberFloatVal(latency.Seconds()),
		"error":     cty.StringVal(msg),
	}), nil
}

func describeDialError(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout: " + err.Error()
	}
	return err.Error()
}
