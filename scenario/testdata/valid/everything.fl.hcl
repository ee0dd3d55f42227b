# Exercises every block and attribute of the language.
faultline {
  required_version = ">= 0.1, < 1.0"
}

variable "ssh_user" {
  type        = string
  default     = "stack"
  description = "Login user on every node."
}

variable "bmc_password" {
  type      = string
  sensitive = true
  default   = "changeme"
}

variable "controllers" {
  type    = list(string)
  default = ["ctl-1", "ctl-2"]
  validation {
    condition     = length(var.controllers) >= 2
    error_message = "At least two controllers are needed to lose one."
  }
}

variable "fault" {
  type = object({ cpu = number, duration = string })
  default = {
    cpu      = 2
    duration = "20s"
  }
}

locals {
  base_url    = "http://198.18.0.11:5000"
  health_url  = "${local.base_url}/v3"
  kill_share  = max(25, min(50, 40))
  rack_labels = { for i, n in var.controllers : n => (i % 2 == 0 ? "a" : "b") }
}

cloud "lab" {
  driver = "universal"

  auth {
    username         = var.ssh_user
    private_key_file = "~/.ssh/id_ed25519"
    passphrase       = "key-passphrase"
    agent            = true
    port             = 22
    become           = true
    become_method    = "sudo"
    become_user      = "root"
    become_password  = "sudo-pw"
    known_hosts      = "./known_hosts"
    host_keys        = "accept-new"
  }

  jump "outer" {
    address  = "127.0.0.1"
    port     = 2222
    username = "ops"
  }
  jump "inner" {
    address = "198.18.0.2"
    auth {
      username = "ops"
      password = "jump-pw"
    }
  }

  node "ctl-1" {
    address = "198.18.0.11"
    fqdn    = "ctl-1.lab"
    mac     = "52:54:00:aa:bb:01"
    labels  = { role = "controller", rack = local.rack_labels["ctl-1"] }
    power   = power.bmc
  }
  node "ctl-2" {
    address = "198.18.0.12"
    fqdn    = "ctl-2.lab"
    labels  = { role = "controller", rack = local.rack_labels["ctl-2"] }
    power   = power.bmc
  }
  node "cmp-1" {
    address    = "198.18.0.21"
    port       = 2201
    labels     = { role = "compute" }
    power      = power.virt
    power_unit = "dom-cmp-1"
    auth {
      username  = "root"
      host_keys = "insecure"
    }
  }

  network "management" {
    iface = "eth1"
    cidr  = "198.18.0.0/24"
  }

  service "memcached" {
    driver       = "system_service"
    hosts        = var.controllers
    service_name = "memcached"
    grep         = "memcached"
    port         = 11211
  }
  service "keystone" {
    driver  = "process"
    grep    = "keystone-wsgi"
    restart = "systemctl restart apache2"
  }
  container "neutron_api" {
    driver         = "docker_container"
    container_name = "neutron_api"
  }

  power "virt" {
    driver = "libvirt"
    uri    = "qemu+ssh://root@198.18.0.1/system"
  }
  power "bmc" {
    driver   = "ipmi"
    username = "admin"
    password = var.bmc_password
    address  = { "ctl-1" = "198.18.1.11", "ctl-2" = "198.18.1.12" }
  }
}

probe "keystone" {
  http {
    url     = local.health_url
    timeout = "2s"
  }
  ok                = status == 200 && latency < duration("500ms")
  success_threshold = 2
  failure_threshold = 3
}

probe "memcached-port" {
  cloud = cloud.lab
  tcp {
    address = "198.18.0.11:11211"
  }
}

probe "disk" {
  command {
    nodes   = with_label("role", "controller")
    command = "df --output=pcent / | tail -1"
  }
  ok = exit_code == 0 && failed_nodes == 0
}

probe "memcached-running" {
  service_state {
    service = service.memcached
    nodes   = running(service.memcached)
  }
  ok = running >= 1
}

probe "power" {
  power_state {
    nodes = all()
  }
  timeout = "10s"
}

scenario "everything" {
  description    = "Every feature at once."
  cloud          = cloud.lab
  seed           = 42
  max_fault_time = "15m"
  timeout        = 3600

  steady_state {
    probes    = [probe.keystone, probe.memcached-port]
    condition = probe.memcached-running.ok
  }

  step "kill-one" {
    kill  = service.memcached
    nodes = one(running(service.memcached))
  }

  step "freeze" {
    freeze      = service.keystone
    nodes       = percent(local.kill_share, with_label("role", "controller"))
    duration    = var.fault.duration
    timeout     = "1m"
    retries     = 3
    retry_delay = "5s"
    on_failure  = "continue"
    description = "Freeze keystone on some controllers."
  }

  step "stress" {
    stress   = except(all(), node.cmp-1)
    duration = 10
    cpu      = var.fault.cpu
    workers  = [for n in var.controllers : upper(n)]
  }

  step "partition" {
    disconnect = network.management
    nodes      = union(node.ctl-1, fqdns("ctl-2.lab"))
    duration   = "30s"
    depends_on = [step.stress]
  }

  wait "keystone-down" {
    until    = !probe.keystone.ok
    timeout  = "30s"
    interval = "500ms"
  }

  wait "settle" {
    duration = "5s"
  }

  assert "keystone-still-up" {
    condition = probe.keystone.ok || probe.keystone.status == 503
    message   = "Keystone must answer, even if degraded."
    after     = [wait.settle]
  }

  parallel "double-trouble" {
    timeout = "5m"
    after   = [assert.keystone-still-up]

    step "unplug" {
      unplug   = service.memcached
      nodes    = majority(with_label("role", "controller"))
      duration = "45s"
    }
    step "restart-api" {
      restart = container.neutron_api
      nodes   = count(1, running(container.neutron_api))
    }
    wait "during" {
      duration = "10s"
    }
    assert "probe-ok" {
      condition = probe.memcached-port.ok
    }
  }

  step "power-cycle" {
    reset = intersect(with_label("role", "controller"), minority())
    after = [parallel.double-trouble]
  }

  step "off" {
    poweroff = power.virt
    nodes    = nodes("cmp-1")
  }

  wait "recovered" {
    until        = probe.keystone.ok
    timeout      = "5m"
    record       = "time_to_recover"
    measure_from = step.kill-one
  }

  step "say-it" {
    say = "restart neutron_api container on one node"
  }

  rollback "start-memcached" {
    undo    = step.kill-one
    start   = service.memcached
    nodes   = all()
    timeout = "2m"
  }

  rollback "confirm-freeze" {
    undo = step.freeze
  }

  monitor "keystone-latency" {
    condition    = probe.keystone.ok
    during       = [step.freeze, parallel.double-trouble]
    interval     = "2s"
    on_violation = "record"
  }
}
