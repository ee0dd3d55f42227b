# Freeze memcached (SIGSTOP) on every controller for 20 s: Keystone's cache
# stops answering without closing a connection. Token validation slows but
# does not fail: a validation asked during the freeze stalls and then
# answers 200 (measured on this lab: it waits until memcached thaws; with
# oslo.cache's memcache_pool every cache call waits out its socket timeout
# while all servers are frozen). Once memcached thaws, validation is back
# under a second; the time from the thaw is recorded.

# A validation that took at least 3 s and still answered 200.
probe "stalled-validation" {
  command {
    command = local.validate_token
    nodes   = with_label("role", "monitor")
    timeout = "80s"
  }
  ok = try(tonumber(regex("^200 ([0-9.]+)", trimspace(stdout))[0]) >= 3, false)
}

scenario "memcached-freeze" {
  cloud          = cloud.openstack
  description    = "Keystone survives a frozen cache tier: validation stalls but succeeds, latency returns after the thaw"
  seed           = 5
  max_fault_time = "10m"
  timeout        = "10m"

  steady_state {
    probes = [probe.token-validation]
  }

  parallel "frozen" {
    step "freeze-memcached" {
      freeze   = service.memcached
      nodes    = all()
      duration = "20s"
    }

    wait "validation-stalls-then-succeeds" {
      until    = probe.stalled-validation.ok
      timeout  = "90s"
      interval = "1s"
    }
  }

  wait "latency-restored" {
    until        = probe.token-validation.ok
    timeout      = "2m"
    interval     = "1s"
    record       = "time_to_recover"
    measure_from = step.freeze-memcached
  }

  rollback "memcached-thawed" {
    undo = step.freeze-memcached
  }
}
