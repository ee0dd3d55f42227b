# The faultline demo, run against the local lab (`faultline lab up` copies
# this file next to the generated cloud.fl.hcl):
#
#   kill memcached on one node picked with the seed, watch that node's API
#   health check fail, start memcached again, and measure how long the API
#   was down from the kill until it recovered. The derived rollback makes sure memcached runs again
#   whatever happens.

probe "api" {
  http {
    url     = "http://${var.api_node}:8080/health"
    timeout = "2s"
  }
}

probe "memcached" {
  service_state {
    service = service.memcached
  }
}

variable "api_node" {
  type        = string
  default     = "198.18.100.11"
  description = "address of the lab node whose API the demo watches (node-1 of the default lab)"
}

scenario "demo" {
  cloud = cloud.lab
  seed  = 7

  steady_state {
    probes = [probe.api, probe.memcached]
  }

  step "kill-memcached" {
    kill  = service.memcached
    nodes = nodes("node-1")
  }

  wait "api-fails" {
    until    = !probe.api.ok
    timeout  = "20s"
    interval = "500ms"
  }

  step "start-memcached" {
    start = service.memcached
    nodes = nodes("node-1")
  }

  # time_to_recover is timed from the start of the fault this wait follows
  # (the kill; start-memcached restores, it is not a fault): the API's
  # outage from the kill until its health check passes again.
  wait "api-recovers" {
    until    = probe.api.ok
    timeout  = "30s"
    interval = "500ms"
    record   = "time_to_recover"
  }
}
