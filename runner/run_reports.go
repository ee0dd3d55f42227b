package runner

import (
	"fmt"
	"os"

	"github.com/faultline-dev/faultline/runner/report"
)

// writeReports writes every requested report it can and returns an error
// for each one it could not write.
func writeReports(files ReportFiles, run report.Run) []*ReportError {
	var failed []*ReportError
	for _, out := range []struct {
		format, path string
		write        func(*os.File) error
	}{
		{"junit", files.JUnit, func(f *os.File) error { return report.WriteJUnit(f, run) }},
		{"html", files.HTML, func(f *os.File) error { return report.WriteHTML(f, run) }},
		{"json", files.JSON, func(f *os.File) error { return report.WriteJSON(f, run) }},
	} {
		if out.path == "" {
			continue
		}
		if err := writeReport(out.path, out.write); err != nil {
			failed = append(failed, &ReportError{Format: out.format, Path: out.path, Err: err})
		}
	}
	return failed
}

func writeReport(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	werr := write(f)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("%s: %w", path, werr)
	}
	return nil
}
