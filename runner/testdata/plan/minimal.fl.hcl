# The smallest useful scenario: no seed (derived), no steady state, one
# fault with a derived rollback.
cloud "one" {
  node "n1" { address = "198.18.7.31" }
  service "web" {
    driver       = "system_service"
    hosts        = ["n1"]
    service_name = "nginx"
  }
}

scenario "stop-web" {
  cloud = cloud.one
  step "stop" { stop = service.web }
  wait "pause" { duration = "2s" }
}
