locals {
  a = local.b # ERROR: Cycle in local values
  b = local.a # ERROR: Cycle in local values
}
cloud "lab" {
  node "ctl-1" {
    address = "198.18.0.11"
    labels  = { role = "controller" }
  }
  service "memcached" { driver = "system_service" }
}

probe "api" {
  http { url = "http://198.18.0.11:8080/health" }
}
