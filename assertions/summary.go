package assertions

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

const (
	maxSummaryLen = 300
	maxStringLen  = 60
)

// Summarize renders a probe result on one short line for journals:
// primitive attributes as name=value (long strings cut), collections as
// their size, sensitive values as (sensitive). It never panics.
func Summarize(v cty.Value) string {
	if v == cty.NilVal {
		return "(none)"
	}
	if !v.Type().IsObjectType() || v.IsNull() || !v.IsKnown() || v.IsMarked() {
		return cut(summarizeValue(v), maxSummaryLen)
	}
	names := make([]string, 0, len(v.Type().AttributeTypes()))
	for name := range v.Type().AttributeTypes() {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, name := range names {
		parts = append(parts, name+"="+summarizeValue(v.GetAttr(name)))
	}
	return cut(strings.Join(parts, " "), maxSummaryLen)
}

func summarizeValue(v cty.Value) string {
	switch {
	case v.IsMarked():
		return "(sensitive)"
	case !v.IsKnown():
		return "(unknown)"
	case v.IsNull():
		return "null"
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return strconv.Quote(cut(v.AsString(), maxStringLen))
	case ty == cty.Number:
		return v.AsBigFloat().Text('g', 6)
	case ty == cty.Bool:
		return strconv.FormatBool(v.True())
	case ty.IsListType(), ty.IsTupleType(), ty.IsSetType():
		return fmt.Sprintf("[%d]", v.LengthInt())
	case ty.IsMapType(), ty.IsObjectType():
		return fmt.Sprintf("{%d}", v.LengthInt())
	default:
		return ty.FriendlyName()
	}
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
