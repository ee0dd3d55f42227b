# A three-node lab exercising every plan feature: seeded picks, deferred
# discovery, power verbs grouped by controller, parallel groups, monitors,
# derived and explicit rollbacks, `say` sentences.
variable "bmc_password" {
  type      = string
  default   = "hunter2"
  sensitive = true
}

cloud "lab" {
  driver = "universal"
  auth { username = "root" }
  node "ctl-1" {
    address = "198.18.7.11"
    fqdn    = "ctl-1.lab"
    labels  = { role = "controller" }
    power   = power.virt
  }
  node "cmp-1" {
    address = "198.18.7.21"
    labels  = { role = "compute" }
    power   = power.virt
  }
  node "cmp-2" {
    address = "198.18.7.22"
    labels  = { role = "compute" }
    power   = power.bmc
  }
  network "management" {
    iface = "eth1"
    cidr  = "198.18.7.0/24"
  }
  service "memcached" {
    driver       = "system_service"
    hosts        = ["ctl-1", "cmp-1", "cmp-2"]
    service_name = "memcached"
    port         = 11211
  }
  service "nova-compute" {
    driver       = "system_service"
    service_name = "nova-compute"
  }
  container "api" {
    driver         = "docker_container"
    container_name = "api"
  }
  power "virt" {
    driver = "libvirt"
    uri    = "qemu:///system"
  }
  power "bmc" {
    driver   = "ipmi"
    address  = "198.18.7.250"
    password = var.bmc_password
  }
}

probe "api" {
  http { url = "http://198.18.7.11:8080/health" }
}

scenario "lab" {
  description    = "Lose a cache node, partition the network, power-cycle computes"
  cloud          = cloud.lab
  seed           = 42
  max_fault_time = "5m"
  timeout        = "20m"

  steady_state { probes = [probe.api] }

  step "kill-cache" {
    kill  = service.memcached
    nodes = one()
  }
  wait "cache-down" {
    until    = !probe.api.ok
    timeout  = "30s"
    interval = "1s"
  }
  parallel "chaos" {
    timeout = "2m"
    step "cut-net" {
      disconnect = network.management
      nodes      = nodes("cmp-1")
      duration   = "20s"
    }
    step "slow-net" {
      delay    = network.management
      nodes    = with_label("role", "controller")
      latency  = "200ms"
      duration = 30
    }
    step "stress-compute" {
      stress   = majority(with_label("role", "compute"))
      duration = "1m"
      cpu      = 2
    }
  }
  step "power-off" { poweroff = all() }
  step "stop-compute" {
    stop  = service.nova-compute
    nodes = count(2)
  }
  step "reboot" { say = "reboot one node" }
  assert "api-ok" {
    condition = probe.api.ok
    message   = "the API survives"
  }
  wait "recovered" {
    until        = probe.api.ok
    timeout      = "5m"
    record       = "time_to_recover"
    measure_from = step.kill-cache
  }
  step "probe-run" {
    exec    = one(fqdns("ctl-1.lab"))
    command = "uptime"
    after   = [step.kill-cache]
  }
  monitor "api" {
    condition    = probe.api.ok
    during       = [parallel.chaos]
    interval     = "2s"
    on_violation = "record"
  }
  rollback "restart-compute" {
    undo  = step.stop-compute
    start = service.nova-compute
  }
  rollback "power-on" {
    undo = step.power-off
  }
}
