cloud "lab" {
  node "n1" {
    address = "198.18.0.11"
  }
  service "memcached" {
    driver = "system_service"
  }
}

scenario "s" {
  cloud = cloud.lab
  step "kill" {
    kill    = service.memcached
    duraton = "10s" # WARNING: Possible misspelt attribute
  }
}
