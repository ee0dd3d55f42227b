cloud "lab" {
  node "n1" { address = "198.18.7.41" }
  service "db" {
    driver       = "system_servce"
    hosts        = ["n1"]
    service_name = "postgres"
  }
  container "api" {
    driver = "podman"
  }
}

scenario "s" {
  cloud = cloud.lab
  step "x" { stop = service.db }
}
