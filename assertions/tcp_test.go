package assertions

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
)

func TestTCPConnects(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan struct{})
	go func() {
		if c, err := l.Accept(); err == nil {
			c.Close()
		}
		close(accepted)
	}()
	p := mustProbe(t, KindTCP, fmt.Sprintf("address = %q\ntimeout = \"2s\"", l.Addr().String()), Deps{})
	v := mustSample(t, p)
	<-accepted
	if !mustCond(t, DefaultOK(KindTCP), v) || !mustCond(t, `error == "" && latency >= 0`, v) {
		t.Errorf("result %s", Summarize(v))
	}
	if p.Describe() != "tcp connect "+l.Addr().String() {
		t.Errorf("Describe() = %q", p.Describe())
	}
}

func TestTCPClosedPortIsAResult(t *testing.T) {
	p := mustProbe(t, KindTCP, fmt.Sprintf("address = %q", closedPort(t)), Deps{})
	v := mustSample(t, p)
	if mustCond(t, DefaultOK(KindTCP), v) {
		t.Error("default OK passed on a closed port")
	}
	if e := v.GetAttr("error").AsString(); !strings.Contains(e, "refused") {
		t.Errorf("error = %q, want connection refused", e)
	}
}

func TestTCPCancelledContextIsAnError(t *testing.T) {
	p := mustProbe(t, KindTCP, fmt.Sprintf("address = %q", closedPort(t)), Deps{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Sample(ctx); err == nil {
		t.Fatal("want an error on a cancelled context")
	}
}
