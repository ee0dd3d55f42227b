package report

import (
	"sync"
	"time"
)

// Observer receives a run's events as they happen. Progress renders them;
// Collector accumulates them into a Run for the written reports; Multi
// feeds several at once.
type Observer interface {
	StepStarted(kind Kind, name string)
	StepFinished(c Case)
	ProbeSample(m Mark)
	RollbackStarted(name string)
	RollbackFinished(c Case)
	Message(text string)
}

var (
	_ Observer = (*Progress)(nil)
	_ Observer = (*Collector)(nil)
)

// Multi returns an Observer passing every event to each of obs in order.
func Multi(obs ...Observer) Observer { return multi(obs) }

type multi []Observer

func (m multi) StepStarted(k Kind, n string) {
	for _, o := range m {
		o.StepStarted(k, n)
	}
}

func (m multi) StepFinished(c Case) {
	for _, o := range m {
		o.StepFinished(c)
	}
}

func (m multi) ProbeSample(mk Mark) {
	for _, o := range m {
		o.ProbeSample(mk)
	}
}

func (m multi) RollbackStarted(n string) {
	for _, o := range m {
		o.RollbackStarted(n)
	}
}

func (m multi) RollbackFinished(c Case) {
	for _, o := range m {
		o.RollbackFinished(c)
	}
}

func (m multi) Message(s string) {
	for _, o := range m {
		o.Message(s)
	}
}

// Collector builds a Run from events. Cases are kept in finishing order;
// a finished case without Started gets the time its start event was seen,
// a mark without Time gets the clock's. Fault windows and metrics, which
// progress does not show, have their own methods. Safe for concurrent use.
type Collector struct {
	mu     sync.Mutex
	now    func() time.Time
	run    Run
	starts map[string]time.Time
}

// NewCollector starts collecting into a copy of run (ID, Scenario, Cloud,
// Seed, File, Host, Started filled by the caller). now is the clock.
func NewCollector(run Run, now func() time.Time) *Collector {
	if run.Started.IsZero() {
		run.Started = now()
	}
	return &Collector{now: now, run: run, starts: map[string]time.Time{}}
}

// StepStarted notes when a case started.
func (c *Collector) StepStarted(kind Kind, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.starts[string(kind)+"."+name] = c.now()
}

// StepFinished records a case.
func (c *Collector) StepFinished(cs Case) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cs.Started.IsZero() {
		if t, ok := c.starts[cs.Address()]; ok {
			cs.Started = t
		}
	}
	delete(c.starts, cs.Address())
	c.run.Cases = append(c.run.Cases, cs)
}

// RollbackStarted notes when a rollback started.
func (c *Collector) RollbackStarted(name string) { c.StepStarted(KindRollback, name) }

// RollbackFinished records a rollback case (c.Kind is taken as rollback).
func (c *Collector) RollbackFinished(cs Case) {
	cs.Kind = KindRollback
	c.StepFinished(cs)
}

// ProbeSample records a probe mark.
func (c *Collector) ProbeSample(m Mark) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m.Time.IsZero() {
		m.Time = c.now()
	}
	c.run.ProbeMarks = append(c.run.ProbeMarks, m)
}

// Message is not part of the written reports.
func (c *Collector) Message(string) {}

// FaultApplied opens a fault window for step on nodes, now.
func (c *Collector) FaultApplied(step string, nodes []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.run.Faults = append(c.run.Faults, FaultWindow{Step: step, Nodes: append([]string(nil), nodes...), Start: c.now()})
}

// FaultReverted closes step's open fault windows, now.
func (c *Collector) FaultReverted(step string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now()
	for i := range c.run.Faults {
		if f := &c.run.Faults[i]; f.Step == step && f.End.IsZero() {
			f.End = t
		}
	}
}

// Metric records a named number (time_to_recover in seconds, ...).
func (c *Collector) Metric(name string, v float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.run.Metrics == nil {
		c.run.Metrics = map[string]float64{}
	}
	c.run.Metrics[name] = v
}

// Finish sets the verdict and end time and returns the collected run.
// Fault windows still open stay open (End zero): the fault outlived the run.
func (c *Collector) Finish(status RunStatus, message string) Run {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.run.Status, c.run.Message, c.run.Ended = status, message, c.now()
	out := c.run
	out.Cases = append([]Case(nil), c.run.Cases...)
	out.Faults = append([]FaultWindow(nil), c.run.Faults...)
	out.ProbeMarks = append([]Mark(nil), c.run.ProbeMarks...)
	if c.run.Metrics != nil {
		out.Metrics = make(map[string]float64, len(c.run.Metrics))
		for k, v := range c.run.Metrics {
			out.Metrics[k] = v
		}
	}
	return out
}
