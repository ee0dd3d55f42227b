package assertions

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/faultline-dev/faultline/drivers"
)

// Probe is a configured health probe. Sample takes one observation and
// returns it as a cty object of the kind's ResultType. Failures of the
// observed system are part of the result; the error is non-nil only when
// the sample could not be attempted (ctx already done).
type Probe interface {
	Kind() string
	// Describe is a one-line, secret-free summary for plans and journals
	// (it never includes request headers or bodies).
	Describe() string
	Sample(ctx context.Context) (cty.Value, error)
}

// Deps is what a probe may build on. The runner fills it per probe.
type Deps struct {
	// Exec runs command probes.
	Exec drivers.Executor
	// Nodes are the nodes command and state probes observe, in order.
	Nodes []drivers.Node
	// States reads service or power state (the service driver or the
	// power driver of the watched object).
	States drivers.StateReader
	// Timeout is the probe block's timeout, used when the kind body sets
	// none; 0 means DefaultTimeout.
	Timeout time.Duration
	// Tokens caches Keystone tokens for http probes with a keystone block:
	// probes given the same cache and the same credentials share one token.
	// nil gives each probe a cache of its own.
	Tokens *KeystoneTokens
}

// DefaultTimeout bounds one sample when neither the kind body nor the probe
// block sets a timeout.
const DefaultTimeout = 10 * time.Second

// kindDef is everything about one probe kind. spec and resultTy are
// derived from config and result when the table is built.
type kindDef struct {
	doc       string
	config    []attrDef
	blocks    []blockDef
	result    []resultAttr
	defaultOK string
	build     func(cfg config, deps Deps) (Probe, error)

	spec     hcldec.Spec
	resultTy cty.Type
}

// Kind names.
const (
	KindHTTP         = "http"
	KindTCP          = "tcp"
	KindPrometheus   = "prometheus"
	KindCommand      = "command"
	KindServiceState = "service_state"
	KindPowerState   = "power_state"
)

var kinds = buildKinds(map[string]kindDef{
	KindHTTP:         httpKind(),
	KindTCP:          tcpKind(),
	KindPrometheus:   prometheusKind(),
	KindCommand:      commandKind(),
	KindServiceState: stateKind(serviceCounts),
	KindPowerState:   stateKind(powerCounts),
})

func buildKinds(m map[string]kindDef) map[string]kindDef {
	for name, k := range m {
		k.spec = objectSpec(k.config, k.blocks...)
		k.resultTy = resultType(k.result)
		m[name] = k
	}
	return m
}

// Kinds lists the probe kinds, sorted.
func Kinds() []string {
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Spec returns the hcldec spec of a kind's config body, for
// hcldec.Decode(body, spec, ctx). ok is false for an unknown kind.
func Spec(kind string) (hcldec.Spec, bool) {
	k, ok := kinds[kind]
	return k.spec, ok
}

// ResultType is the cty type of a kind's samples (cty.NilType for an
// unknown kind). Attributes of type cty.DynamicPseudoType (http json) hold
// any value.
func ResultType(kind string) cty.Type {
	k, ok := kinds[kind]
	if !ok {
		return cty.NilType
	}
	return k.resultTy
}

// Doc documents a kind: its config attributes, result attributes and
// default OK condition. ok is false for an unknown kind.
func Doc(kind string) (KindDoc, bool) {
	k, ok := kinds[kind]
	if !ok {
		return KindDoc{}, false
	}
	return KindDoc{
		Kind: kind, Doc: k.doc, DefaultOK: k.defaultOK,
		Config: configDocs(k.config), Blocks: blockDocs(k.blocks), Result: resultDocs(k.result),
	}, true
}

// DefaultOK is the source text of a kind's default OK condition ("" for an
// unknown kind); parse it with hclsyntax.ParseExpression.
func DefaultOK(kind string) string {
	return kinds[kind].defaultOK
}

// New builds a probe of kind from its decoded config body (the value
// hcldec.Decode returned for Spec(kind)).
func New(kind string, cfg cty.Value, deps Deps) (Probe, error) {
	k, ok := kinds[kind]
	if !ok {
		return nil, fmt.Errorf("unknown probe kind %q (want one of %s)", kind, strings.Join(Kinds(), ", "))
	}
	c, err := newConfig(kind, cfg)
	if err != nil {
		return nil, err
	}
	p, err := k.build(c, deps)
	if err != nil {
		return nil, fmt.Errorf("%s probe: %w", kind, err)
	}
	return p, nil
}

// timeoutOr returns the body's timeout, else the probe block's, else
// DefaultTimeout.
func timeoutOr(c config, deps Deps) (time.Duration, error) {
	d, err := c.duration("timeout")
	if err != nil || d > 0 {
		return d, err
	}
	if deps.Timeout > 0 {
		return deps.Timeout, nil
	}
	return DefaultTimeout, nil
}
