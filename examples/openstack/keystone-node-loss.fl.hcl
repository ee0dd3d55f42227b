# Kill Keystone (its uWSGI master and workers) on one controller for 30 s.
# HAProxy's health check takes that backend out of rotation (Prometheus
# sees 2 active keystone servers), requests are routed around it (a
# refused connection is retried on another server) and the error rate of
# the keystone backend stays under 5 % while the monitor keeps asking for
# tokens. Keystone starts again and HAProxy puts it back: the time until
# all three serve again, from Keystone's start, is recorded.

probe "keystone-backend-out" {
  prometheus {
    url   = local.prometheus
    query = "max(haproxy_backend_active_servers{proxy=\"keystone\"})"
  }
  ok = error == "" && value == 2
}

# 5xx answers of the keystone backend over the last two minutes, as a share of
# all its answers, summed over the three HAProxies (only the VIP's serves).
probe "keystone-error-rate" {
  prometheus {
    url   = local.prometheus
    query = "sum(increase(haproxy_backend_http_responses_total{proxy=\"keystone\",code=\"5xx\"}[2m])) / sum(increase(haproxy_backend_http_responses_total{proxy=\"keystone\"}[2m]))"
  }
  ok = error == "" && try(value < 0.05, false)
}

scenario "keystone-node-loss" {
  cloud          = cloud.openstack
  description    = "HAProxy routes around a dead Keystone; the error rate stays under 5 %"
  seed           = 4
  max_fault_time = "10m"
  timeout        = "10m"

  steady_state {
    probes = [probe.token-issue, probe.keystone-backends-all]
  }

  parallel "keystone-down" {
    step "kill-keystone" {
      kill     = service.keystone
      nodes    = one()
      duration = "30s"
    }

    wait "haproxy-takes-it-out" {
      until    = probe.keystone-backend-out.ok
      timeout  = "30s"
      interval = "2s"
    }
  }

  monitor "token-availability" {
    condition = probe.token-issue.ok
    during    = [parallel.keystone-down, wait.back-in-rotation]
    interval  = "1s"
  }

  wait "back-in-rotation" {
    until        = probe.keystone-backends-all.ok
    timeout      = "2m"
    interval     = "2s"
    record       = "time_to_rejoin"
    measure_from = step.kill-keystone
  }

  assert "error-rate" {
    condition = probe.keystone-error-rate.ok
    message   = "more than 5 % of the keystone backend's answers were errors during the fault"
  }

  rollback "keystone-running" {
    undo = step.kill-keystone
  }
}
