# A multi-step scenario: steady-state gate, a seeded kill, a wait until the
# API notices, parallel faults with durations, a recovery measurement, a
# continuous monitor and an explicit rollback next to derived ones.

variable "api_url" {
  type        = string
  default     = "http://198.18.206.11:8080/health"
  description = "health endpoint of the API under test"
}

cloud "lab" {
  driver = "universal"

  auth {
    username         = "root"
    private_key_file = "lab_key"
    known_hosts      = "./known_hosts"
  }

  node "ctl-1" {
    address = "198.18.206.11"
    labels  = { role = "controller", rack = "a" }
  }
  node "ctl-2" {
    address = "198.18.206.12"
    labels  = { role = "controller", rack = "b" }
  }
  node "cmp-1" {
    address = "198.18.206.21"
    labels  = { role = "compute", rack = "b" }
  }

  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    grep         = "^/usr/bin/memcached( |$)"
    port         = 11211
    hosts        = ["ctl-1", "ctl-2", "cmp-1"]
  }

  service "api" {
    driver      = "process"
    grep        = "lab-api"
    port        = 8080
    restart_cmd = "service lab-api restart"
    hosts       = ["ctl-1", "ctl-2"]
  }
}

probe "api" {
  http {
    url     = var.api_url
    timeout = "2s"
  }
  ok                = status == 200 && latency < duration("500ms")
  failure_threshold = 2
}

scenario "memcached-loss-api-survives" {
  cloud          = cloud.lab
  seed           = 7
  max_fault_time = "10m"
  timeout        = "20m"

  steady_state {
    probes = [probe.api]
  }

  step "kill-one" {
    kill  = service.memcached
    nodes = one(with_label("role", "controller"))
  }

  wait "api-notices" {
    until    = !probe.api.ok
    timeout  = "30s"
    interval = "1s"
  }

  parallel "double-trouble" {
    timeout = "2m"

    step "unplug-memcached" {
      unplug   = service.memcached
      nodes    = with_label("rack", "b")
      duration = "45s"
    }

    step "freeze-api" {
      freeze   = service.api
      nodes    = count(1)
      duration = "20s"
    }
  }

  monitor "api-degraded-not-dead" {
    condition    = probe.api.status != 0
    during       = [step.unplug-memcached]
    interval     = "1s"
    on_violation = "record"
  }

  step "restart-memcached" {
    restart    = service.memcached
    after      = [parallel.double-trouble]
    on_failure = "continue"
    retries    = 2
  }

  wait "recovered" {
    until        = probe.api.ok
    timeout      = "5m"
    record       = "time_to_recover"
    measure_from = step.kill-one
  }

  assert "api-healthy" {
    condition = probe.api.ok
    message   = "the API must be healthy once memcached is back"
  }

  rollback "start-memcached" {
    undo  = step.kill-one
    start = service.memcached
  }
}
