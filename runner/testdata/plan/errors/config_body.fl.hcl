cloud "lab" {
  node "n1" { address = "198.18.7.41" }
  service "db" {
    driver      = "system_service"
    hosts       = ["n1"]
    service_nam = "postgres"
    port        = "not-a-port"
  }
}

scenario "s" {
  cloud = cloud.lab
  step "x" { stop = service.db }
}
