cloud "lab" {
  node "ctl-1" {
    address = "198.18.0.11"
  }
  service "memcached" {
    driver = "system_service"
  }
}

probe "p" {
  service_state {
    service = service.memcahce # ERROR: Reference to undeclared service
  }
}
