cloud "lab" {
  node "ctl-1" { address = "198.18.0.11" }
  service "memcached" { driver = "system_service" }
  service "memcached" { driver = "process" } # ERROR: Duplicate service name
}
