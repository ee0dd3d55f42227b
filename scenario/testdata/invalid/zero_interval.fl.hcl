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
  wait "w" {
    until    = probe.api.ok
    timeout  = "1m"
    interval = 0 # ERROR: Invalid duration
  }
}
