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

scenario "s" {
  cloud = cloud.lab
  step "kill" {
    kill  = service.memcached
    nodes = "all" # ERROR: Invalid node selector
  }
}
