faultline { required_version = ">= 0.1" }

variable "ssh_key" {
  type        = string
  default     = "~/.ssh/id_ed25519"
  sensitive   = false
  description = "SSH private key"
  validation {
    condition     = length(var.ssh_key) > 0
    error_message = "The key path must not be empty."
  }
}

locals { api = "http://198.18.0.11:8080" }

cloud "lab" {
  driver = "universal"
  auth {
    username         = "root"
    private_key_file = var.ssh_key
    agent            = true
    port             = 22
    become           = true
    become_method    = "sudo"
    known_hosts      = "./known_hosts"
    host_keys        = "strict"
  }
  jump "bastion" {
    address = "127.0.0.1"
    port    = 2222
    auth { username = "ops" }
  }
  node "ctl-1" {
    address = "198.18.0.11"
    fqdn    = "ctl-1.lab"
    labels  = { role = "controller" }
    power   = power.virt
  }
  node "cmp-1" {
    address    = "198.18.0.21"
    labels     = { role = "compute" }
    power      = power.virt
    power_unit = "dom-cmp-1"
    auth { username = "stack" }
  }
  network "management" {
    iface = "eth1"
    cidr  = "198.18.0.0/24"
  }
  service "memcached" {
    driver       = "system_service"
    hosts        = ["ctl-1"]
    service_name = "memcached"
    grep         = "memcached"
    port         = 11211
  }
  container "api" {
    driver         = "docker_container"
    container_name = "api"
  }
  power "virt" {
    driver = "libvirt"
    uri    = "qemu+ssh://root@198.18.0.1/system"
  }
}

probe "api" {
  http {
    url     = "${local.api}/health"
    timeout = "2s"
  }
  ok                = status == 200 && latency < duration("500ms")
  success_threshold = 1
  failure_threshold = 1
}

scenario "memcached-loss" {
  cloud          = cloud.lab
  seed           = 7
  max_fault_time = "10m"
  timeout        = "30m"

  steady_state { probes = [probe.api] }

  step "kill-one" {
    kill  = service.memcached
    nodes = one()
  }
  step "reboot" { reboot = one(with_label("role", "compute")) }
  step "stress" {
    stress   = all()
    duration = "10s"
    cpu      = 1
  }
  wait "down" {
    until    = !probe.api.ok
    timeout  = "30s"
    interval = "1s"
  }
  wait "pause" { duration = "5s" }
  assert "api-ok" {
    condition = probe.api.ok
    message   = "API must stay up"
  }
  parallel "both" {
    step "a" { kill = service.memcached }
    step "b" { restart = container.api }
  }
  step "later" {
    restart    = service.memcached
    after      = [parallel.both]
    on_failure = "continue"
    timeout    = "1m"
    retries    = 2
  }
  wait "recovered" {
    until        = probe.api.ok
    timeout      = "5m"
    record       = "time_to_recover"
    measure_from = step.kill-one
  }
  monitor "api" {
    condition    = probe.api.ok
    during       = [step.a]
    interval     = "1s"
    on_violation = "abort"
  }
  step "say" { say = "restart api container on one node" }
  rollback "start-memcached" {
    undo  = step.kill-one
    start = service.memcached
  }
}
