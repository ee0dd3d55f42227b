cloud "lab" {
  node "ctl-1" { address = "198.18.0.11" }
  service "memcached" {
    driver = "system_service"
    hosts  = ["ctl-1", "ctl-9"] # ERROR: Unknown node in hosts @col=24
  }
}
