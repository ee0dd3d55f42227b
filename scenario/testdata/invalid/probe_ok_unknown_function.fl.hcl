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

probe "other" {
  http {
    url = "http://198.18.0.11:8080/health"
  }
}
probe "api2" {
  http {
    url = "http://198.18.0.11/"
  }
  ok = stauts(200) # ERROR: Call to unknown function
}
