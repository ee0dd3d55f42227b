cloud "lab" {
  node "ctl-1" {
    address = "198.18.0.11"
  }
  service "memcached" {
    driver = "system_service"
  }
  container "api" {
    driver = "docker_container"
  }
}

probe "p" {
  service_state {
    service   = service.memcached
    container = container.api # ERROR: Conflicting probe object
  }
}
