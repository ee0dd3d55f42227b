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

probe "api" {
  http {
    url = "http://198.18.0.11:8080/health"
  }
}

scenario "s" {
  cloud = cloud.lab
  steady_state { # ERROR: Empty steady_state
  }
}
