package lab

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// PrometheusTargetsDown asks a Prometheus for its active targets and
// returns those not "up" (job/instance: last error); an empty list means
// every target is up. It fails if Prometheus has no target at all.
func PrometheusTargetsDown(ctx context.Context, base string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/targets?state=active", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Data struct {
			ActiveTargets []struct {
				Labels    map[string]string `json:"labels"`
				Health    string            `json:"health"`
				LastError string            `json:"lastError"`
			} `json:"activeTargets"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("prometheus targets: %w", err)
	}
	if len(body.Data.ActiveTargets) == 0 {
		return nil, fmt.Errorf("prometheus has no active targets")
	}
	var down []string
	for _, t := range body.Data.ActiveTargets {
		if t.Health != "up" {
			down = append(down, fmt.Sprintf("%s/%s (%s: %s)", t.Labels["job"], t.Labels["instance"], t.Health, t.LastError))
		}
	}
	return down, nil
}

// Memory is the memory of every process in the lab's nodes.
type Memory struct {
	Processes int
	RSS, PSS  uint64 // bytes; PSS splits shared pages among their users
}

func (m Memory) String() string {
	const gib = 1 << 30
	return fmt.Sprintf("%d processes, RSS %.2f GiB, PSS %.2f GiB", m.Processes, float64(m.RSS)/gib, float64(m.PSS)/gib)
}

// Memory sums RSS and PSS (smaps_rollup) over the processes in the lab's
// network namespaces.
func (l *Lab) Memory() (Memory, error) {
	ours := map[string]bool{}
	for _, ns := range l.st.allNetns() {
		var fi syscall.Stat_t
		if err := syscall.Stat("/run/netns/"+ns, &fi); err == nil {
			ours["net:["+strconv.FormatUint(fi.Ino, 10)+"]"] = true
		}
	}
	var m Memory
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return m, err
	}
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		link, err := os.Readlink("/proc/" + e.Name() + "/ns/net")
		if err != nil || !ours[link] {
			continue
		}
		rss, pss, err := smapsRollup("/proc/" + e.Name() + "/smaps_rollup")
		if err != nil {
			continue // gone meanwhile, or a kernel thread
		}
		m.Processes++
		m.RSS += rss
		m.PSS += pss
	}
	return m, nil
}

func smapsRollup(path string) (rss, pss uint64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, err := strconv.ParseUint(fields[1], 10, 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "Rss:":
			rss = kb << 10
		case "Pss:":
			pss = kb << 10
		}
	}
	return rss, pss, sc.Err()
}
